import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { corpus, createUser, type TestUser } from '../../server/src/test/factories.js';
import {
  artifactPath,
  foreignRequests,
  recordRequests,
  signedInContext,
  useBrowserAndServer,
} from './browser.js';

// Two parts of a real export. Takeout1 holds 8 photos and videos (an album, one live-photo
// video without its still); Takeout2 holds 3, two of them byte for byte the same as photos of
// Takeout1 (the year folder and a second album hold copies). So 11 media files, 9 different ones.
const trees = ['Takeout1', 'Takeout2'].map((name) => path.join(corpus, 'takeout', name));
const partName = (i: number) => `takeout-20231010T090000Z-00${i + 1}.zip`;

/** Every file of a tree as Google names it in an export: `Takeout/Google Photos/<path>`. */
async function entriesOf(tree: string): Promise<{ name: string; file: string }[]> {
  const out: { name: string; file: string }[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      const relative = path.relative(tree, full).split(path.sep).join('/');
      out.push({
        name: `Takeout/Google Photos/${relative.replace(/^Google Photos\//, '')}`,
        file: full,
      });
    }
  };
  await walk(tree);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function zipTree(tree: string, target: string): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const { name, file } of await entriesOf(tree)) zip.addFile(file, name);
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(target));
  return target;
}

interface Report {
  summary: Record<string, number>;
  albums: { title: string; albumId: string | null }[];
  notes: string[];
  files: { path: string; outcome: string; detail: string | null }[];
}

const web = useBrowserAndServer();
let user: TestUser;
let dir: string;
let parts: string[];
/** A third part, alone: the corpus's Takeout3, whose three photos are empty files. */
let third: string;

beforeAll(async () => {
  user = await createUser(web.server);
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-takeout-web-'));
  parts = await Promise.all(trees.map((tree, i) => zipTree(tree, path.join(dir, partName(i)))));
  third = await zipTree(
    path.join(corpus, 'takeout', 'Takeout3'),
    path.join(dir, 'takeout-20231011T090000Z-001.zip'),
  );
}, 120_000);

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** The number a counter of the progress shows. */
const counter = async (page: Page, key: string) =>
  Number(await page.locator(`[data-count="${key}"] dd`).textContent());

/** Nothing on the page is wider than the screen. */
const fitsWidth = (page: Page) =>
  page.evaluate(() => {
    const scroller = document.querySelector('.takeout-page');
    return scroller !== null && scroller.scrollWidth <= scroller.clientWidth;
  });

/** The whole page: the app scrolls inside its frame, so the window grows to the content first. */
async function screenshot(page: Page, name: string) {
  const size = page.viewportSize();
  if (!size) throw new Error('no viewport');
  const height = await page.evaluate(() => {
    const scroller = document.querySelector('.takeout-page');
    const top = scroller?.getBoundingClientRect().top ?? 0;
    return Math.ceil(top + (scroller?.scrollHeight ?? 0));
  });
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await page.screenshot({ path: artifactPath(name) });
  await page.setViewportSize(size);
}

describe('import from Google Photos in Chromium', () => {
  it('uploads two Takeout parts, imports them and shows the report', async () => {
    const context = await signedInContext(web.browser, web.server.url, user.token, {
      viewport: { width: 1280, height: 900 },
    });
    const requests = recordRequests(context);
    const page = await context.newPage();
    await page.goto(web.server.url);
    await page.getByRole('heading', { name: 'Photos' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Import' })
      .click();
    await page.getByRole('heading', { name: 'Import from Google Photos' }).waitFor();
    await page.getByText('You have not imported anything from Google Photos yet.').waitFor();

    // A drop on this page is for the import, not the app's photo upload: a photo is turned away.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['not a zip'], 'holiday.jpg', { type: 'image/jpeg' }));
      const target = document.querySelector('.takeout-drop');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target?.dispatchEvent(
          new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }),
        );
      }
    });
    await page.getByRole('alert').getByText('holiday.jpg: not a Takeout archive').waitFor();
    expect(await page.getByRole('region', { name: 'Uploads' }).count()).toBe(0);

    // Both parts at once: each gets its own progress bar, and there is one for all.
    await page.getByTestId('takeout-input').setInputFiles(parts);
    await page.getByRole('progressbar', { name: 'Upload of all parts' }).waitFor();
    for (let i = 0; i < parts.length; i++) {
      await page.getByRole('progressbar', { name: `Upload of ${partName(i)}` }).waitFor();
    }
    const start = page.getByRole('button', { name: 'Start import' });
    await page.getByText('2 parts uploaded.').waitFor({ timeout: 60_000 });
    await expect.poll(() => start.isEnabled()).toBe(true);
    await screenshot(page, 'takeout-uploaded.png');
    await start.click();

    // The page follows the import to its end.
    await page
      .getByRole('region', { name: 'Progress' })
      .getByRole('status')
      .filter({ hasText: 'Finished' })
      .waitFor({ timeout: 120_000 });
    const report = page.getByRole('region', { name: 'Report' });
    await report.waitFor({ timeout: 30_000 });

    // 9, not 8: Takeout2's PXL_20231006_063528961.jpg is in no other part. The two other
    // photos of Takeout2 are copies of Takeout1's, so they count as duplicates.
    expect(await counter(page, 'imported')).toBe(9);
    expect(await counter(page, 'duplicates')).toBe(2);
    expect(await counter(page, 'failed')).toBe(0);
    expect(await counter(page, 'refused')).toBe(0);
    expect(await counter(page, 'pending')).toBe(0);
    await expect(
      page.getByRole('progressbar', { name: 'Import progress' }).getAttribute('value'),
    ).resolves.toBe('11');
    await report.getByText('9 new photos and videos imported').waitFor();

    const album = report.getByRole('link', { name: 'Album test 6/10/23' });
    await album.waitFor();
    expect(await album.getAttribute('href')).toMatch(/^\/albums\/[\w-]+$/);
    await report.getByText(/shared with you/).waitFor();

    // The JSON report, as the link downloads it.
    const download = report.getByRole('link', { name: 'Download report (JSON)' });
    const href = await download.getAttribute('href');
    if (!href) throw new Error('the download link has no address');
    const response = await page.request.get(new URL(href, web.server.url).href);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^application\/json/);
    expect(response.headers()['content-disposition']).toMatch(/^attachment/);
    const json = (await response.json()) as Report;
    expect(json.summary).toMatchObject({ media: 11, imported: 9, duplicates: 2, pending: 0 });
    expect(json.albums.map((a) => a.title).sort()).toEqual(['Album test 6/10/23', 'Sans titre(9)']);
    const albumId = json.albums.find((a) => a.title === 'Album test 6/10/23')?.albumId;
    expect(await album.getAttribute('href')).toBe(`/albums/${albumId ?? ''}`);
    await expect(fitsWidth(page)).resolves.toBe(true);
    await screenshot(page, 'takeout-import.png');

    // The album link opens the album the import made.
    await album.click();
    await page.getByRole('heading', { name: 'Album test 6/10/23', level: 2 }).waitFor();

    // Back on the import page, another export: its three photos are empty files, and the page
    // says so, file by file, in the collapsed table of what was left out.
    await page.goBack();
    await page.getByRole('heading', { name: 'Choose the parts' }).waitFor();
    await page.getByRole('list', { name: 'Past imports' }).getByText('Done').waitFor();
    await page.getByTestId('takeout-input').setInputFiles(third);
    await page.getByText('1 part uploaded.').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Start import' }).click();
    const left = page
      .getByRole('region', { name: 'Report' })
      .getByText('3 files not imported', { exact: false });
    await left.waitFor({ timeout: 120_000 });
    expect(await counter(page, 'skipped')).toBe(3);
    await left.click();
    const rows = page.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count()).toBe(4);
    await expect(rows.nth(1).textContent()).resolves.toMatch(/Skipped.*empty/);
    await screenshot(page, 'takeout-import-skipped.png');

    // On a phone, later: both imports are listed, and the first shows its report again.
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${web.server.url}/import`);
    const past = phone.getByRole('list', { name: 'Past imports' });
    await expect.poll(() => past.getByText('Done').count()).toBe(2);
    await past
      .getByRole('listitem')
      .filter({ hasText: '9 photos and videos imported' })
      .getByRole('button', { name: 'Show' })
      .click();
    await phone.getByRole('region', { name: 'Report' }).waitFor();
    expect(await counter(phone, 'imported')).toBe(9);
    await expect(fitsWidth(phone)).resolves.toBe(true);
    await screenshot(phone, 'takeout-import-phone.png');

    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
    await context.close();
  });

  it('continues an interrupted part after the page is closed, without uploading again', async () => {
    const owner = await createUser(web.server, { admin: user });
    const context = await signedInContext(web.browser, web.server.url, owner.token, {
      viewport: { width: 1280, height: 900 },
    });
    const requests = recordRequests(context);
    // The parts go one after the other: the first one arrives, then the connection drops.
    let patches = 0;
    let cut = false;
    await context.route('**/api/uploads/*', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      patches++;
      if (patches === 1 && !cut) return route.continue();
      cut = true;
      return route.abort('connectionreset');
    });
    const page = await context.newPage();
    await page.goto(`${web.server.url}/import`);
    await page.getByRole('heading', { name: 'Choose the parts' }).waitFor();
    await page.getByTestId('takeout-input').setInputFiles(parts);
    await page
      .getByRole('listitem')
      .filter({ hasText: partName(0) })
      .getByText('Uploaded')
      .waitFor();
    await expect.poll(() => cut).toBe(true);
    await page.close();
    await context.unroute('**/api/uploads/*');

    // Back later: the import waits for its parts; the same files are chosen again.
    const again = await context.newPage();
    const sent: { method: string; url: string }[] = [];
    again.on('request', (r) => {
      if (r.url().includes('/api/uploads')) sent.push({ method: r.method(), url: r.url() });
    });
    await again.goto(`${web.server.url}/import`);
    await again.getByText('1 part was uploaded earlier.', { exact: false }).waitFor();
    await again.getByTestId('takeout-input').setInputFiles(parts);
    await again.getByText('2 parts uploaded.').waitFor({ timeout: 60_000 });
    await again
      .getByRole('listitem')
      .filter({ hasText: partName(0) })
      .getByText('Uploaded earlier')
      .waitFor();
    // The second part continued the upload it had begun (HEAD, then PATCH), and the first
    // was not sent again.
    expect(sent.map((r) => r.method)).toEqual(['HEAD', 'PATCH']);

    const imports = await again.request.get(`${web.server.url}/api/takeout/imports`);
    const [open] = (await imports.json()) as { status: string; parts: { fileName: string }[] }[];
    expect(open?.status).toBe('uploading');
    expect(open?.parts.map((p) => p.fileName).sort()).toEqual([partName(0), partName(1)]);
    await expect(again.getByRole('button', { name: 'Start import' }).isEnabled()).resolves.toBe(
      true,
    );
    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
    await context.close();
  });
});
