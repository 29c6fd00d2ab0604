import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus, waitForJobs } from '../../server/src/test/factories.js';
import {
  artifactPath,
  foreignRequests,
  recordRequests,
  signedInContext,
  useBrowserAndServer,
} from './browser.js';

const gpsPhotos = ['DSCN0010.jpg', 'DSCN0012.jpg', 'DSCN0021.jpg'].map((f) =>
  path.join(corpus, 'photos/exif-samples/jpg/gps', f),
);
const owner = { name: 'Olga Owner', email: 'olga@example.org', password: 'correct horse battery' };
const member = {
  name: 'Vera Viewer',
  email: 'vera@example.org',
  password: 'another long password',
};
const linkPassword = 'sesame-street-42';

const web = useBrowserAndServer();
let ownerToken: string;
let memberToken: string;
let albumId: string;

async function call<T>(method: string, url: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(web.server.url + url, { method, headers, body: payload });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const login = async (who: { email: string; password: string }) =>
  (await call<{ token: string }>('POST', '/api/auth/login', null, who)).token;

/** Every thumbnail of the page's grid has arrived. */
async function thumbnailsLoaded(page: Page, count: number) {
  await page.waitForFunction(
    (n) => {
      const images = Array.from(document.querySelectorAll<HTMLImageElement>('.tile img'));
      return images.length === n && images.every((img) => img.complete && img.naturalWidth > 0);
    },
    count,
    { timeout: 30_000 },
  );
}

beforeAll(async () => {
  // The owner (first user, admin) and a second user, through the API to save time.
  await call('POST', '/api/auth/setup', null, owner);
  ownerToken = await login(owner);
  await call('POST', '/api/users', ownerToken, member);
  memberToken = await login(member);
  const ids: string[] = [];
  for (const file of gpsPhotos) {
    const form = new FormData();
    form.append('file', await fs.openAsBlob(file), path.basename(file));
    ids.push((await call<{ id: string }>('POST', '/api/assets', ownerToken, form)).id);
  }
  await waitForJobs(web.server);
  albumId = (
    await call<{ id: string }>('POST', '/api/albums', ownerToken, {
      title: 'Summer walk',
      assetIds: ids,
    })
  ).id;
}, 120_000);

describe('sharing in Chromium', () => {
  let ownerContext: BrowserContext;
  let visitorContext: BrowserContext;

  beforeAll(async () => {
    ownerContext = await signedInContext(web.browser, web.server.url, ownerToken, {
      viewport: { width: 1280, height: 800 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    visitorContext = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await ownerContext.close();
    await visitorContext.close();
  });

  it('shares an album by a password link, is visited, downloaded, and revoked', async () => {
    // The owner opens the album and creates a link: password, downloads allowed.
    const ownerPage = await ownerContext.newPage();
    await ownerPage.goto(`${web.server.url}/albums/${albumId}`);
    await ownerPage.getByRole('heading', { name: 'Summer walk', level: 2 }).waitFor();
    await ownerPage.getByRole('button', { name: 'Share link' }).click();
    const dialog = ownerPage.getByRole('dialog', { name: 'Share “Summer walk”' });
    await expect(dialog.getByLabel('Expires').inputValue()).resolves.toBe('30');
    await expect(dialog.getByLabel('Allow download').isChecked()).resolves.toBe(false);
    await expect(dialog.getByLabel('Show metadata').isChecked()).resolves.toBe(false);
    await dialog
      .getByText('Location, camera and file names are removed unless you turn this on.')
      .waitFor();
    await dialog.getByLabel('Password (optional)').fill(linkPassword);
    await dialog.getByLabel('Allow download').check();
    await dialog.getByLabel('Label (only you see it)').fill('For the family');
    await ownerPage.screenshot({ path: artifactPath('share-dialog.png') });
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const address = dialog.getByLabel('Link address');
    await address.waitFor();
    const url = await address.inputValue();
    expect(url).toMatch(new RegExp(`^${web.server.url}/s/[A-Za-z0-9_-]{32}$`));
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByText('Copied').waitFor();
    await expect(ownerPage.evaluate(() => navigator.clipboard.readText())).resolves.toBe(url);
    await ownerPage.screenshot({ path: artifactPath('share-dialog-created.png') });
    await dialog.getByRole('button', { name: 'Done' }).click();

    // A visitor without an account: the password form, a wrong password, the right one.
    const requests = recordRequests(visitorContext);
    const visitor = await visitorContext.newPage();
    const documentResponse = await visitor.goto(url);
    expect(documentResponse?.headers()['referrer-policy']).toBe('no-referrer');
    await visitor.getByRole('heading', { name: 'Protected photos' }).waitFor();
    await visitor.screenshot({ path: artifactPath('public-password.png') });
    await visitor.getByLabel('Password').fill('not the password');
    await visitor.getByRole('button', { name: 'Open' }).click();
    await visitor.getByRole('alert').getByText('Wrong password').waitFor();
    await visitor.getByLabel('Password').fill(linkPassword);
    await visitor.getByRole('button', { name: 'Open' }).click();
    await visitor.getByRole('heading', { name: 'Summer walk' }).waitFor();
    await visitor.getByText('Shared by Olga Owner · 3 items').waitFor();
    await thumbnailsLoaded(visitor, 3);
    // No file names, places or cameras: the link does not show metadata.
    const text = (await visitor.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/DSCN|NIKON|\.jpg/i);
    await visitor.waitForTimeout(300); // thumbnails fade in
    await visitor.screenshot({ path: artifactPath('public-grid.png') });

    // The viewer: preview, next, Esc; no info (no metadata).
    await visitor.locator('.tile-open').first().click();
    const viewer = visitor.getByRole('dialog', { name: /\(1 of 3\)/ });
    await viewer.waitFor();
    await visitor.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.viewer-image');
      return img?.complete === true && img.naturalWidth > 0;
    });
    await expect(viewer.getByRole('button', { name: 'Show info' }).count()).resolves.toBe(0);
    await viewer.getByRole('link', { name: 'Download this photo' }).waitFor();
    await visitor.screenshot({ path: artifactPath('public-viewer.png') });
    await visitor.keyboard.press('ArrowRight');
    await visitor.getByRole('dialog', { name: /\(2 of 3\)/ }).waitFor();
    await visitor.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // Download all: a zip arrives.
    const downloading = visitor.waitForEvent('download');
    await visitor.getByRole('button', { name: 'Download all' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const zipPath = artifactPath('shared-download.zip');
    await download.saveAs(zipPath);
    const zip = fs.readFileSync(zipPath);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.length).toBeGreaterThan(10_000);
    fs.rmSync(zipPath);

    // Phone-sized public page.
    await visitor.setViewportSize({ width: 390, height: 844 });
    await visitor.waitForTimeout(200);
    await visitor.screenshot({ path: artifactPath('public-grid-phone.png') });
    await visitor.setViewportSize({ width: 1280, height: 800 });

    // The owner sees the link on the Sharing page, with its use, and revokes it.
    await ownerPage.getByRole('link', { name: 'Sharing' }).click();
    const card = ownerPage.getByRole('listitem', { name: 'Link For the family' });
    await card.getByText('Album “Summer walk”').waitFor();
    await card.getByText('Active').waitFor();
    await ownerPage.screenshot({ path: artifactPath('sharing-page.png') });
    await card.getByRole('button', { name: 'Activity' }).click();
    const activity = ownerPage.getByRole('dialog', { name: 'Activity of “For the family”' });
    await activity.getByRole('cell', { name: 'Wrong password' }).waitFor();
    await activity.getByRole('cell', { name: 'View' }).first().waitFor();
    await activity.getByRole('cell', { name: 'Download' }).first().waitFor();
    await ownerPage.screenshot({ path: artifactPath('sharing-activity.png') });
    await activity.getByRole('button', { name: 'Close' }).click();
    // Edit its options (PATCH): a view limit.
    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = ownerPage.getByRole('dialog', { name: 'Edit link “For the family”' });
    await expect(edit.getByLabel('Allow download').isChecked()).resolves.toBe(true);
    await edit.getByLabel('Maximum views (optional)').fill('50');
    await edit.getByRole('button', { name: 'Save' }).click();
    await card.getByText(/\d+ \/ 50/).waitFor();
    await ownerPage.setViewportSize({ width: 390, height: 844 });
    await ownerPage.waitForTimeout(300); // the menu's slide-out transition
    await ownerPage.screenshot({ path: artifactPath('sharing-page-phone.png') });
    await ownerPage.setViewportSize({ width: 1280, height: 800 });
    ownerPage.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: 'Revoke' }).click();
    await card.getByText('Revoked', { exact: true }).waitFor();

    // The open page stops: the next thumbnail it asks for fails with 410, and it says why.
    await visitor.getByRole('heading', { name: 'Summer walk' }).waitFor();
    await visitor.evaluate(() => {
      const img = document.querySelector<HTMLImageElement>('.tile img');
      if (img) img.src = `${img.src}?again=1`;
    });
    await visitor.getByRole('heading', { name: 'This link was revoked' }).waitFor();
    await visitor.reload();
    await visitor.getByRole('heading', { name: 'This link was revoked' }).waitFor();
    await visitor.screenshot({ path: artifactPath('public-revoked.png') });
    const key = new URL(url).pathname.split('/')[2] ?? '';
    const album = await call<{ assetIds: string[] }>('GET', `/api/albums/${albumId}`, ownerToken);
    const thumbnail = await visitor.request.get(
      `${web.server.url}/api/s/${key}/assets/${album.assetIds[0] ?? ''}/thumbnail`,
    );
    expect(thumbnail.status()).toBe(410);
    expect(thumbnail.headers()['cache-control']).toContain('no-store');
    expect(thumbnail.headers()['referrer-policy']).toBe('no-referrer');

    // Nothing from any other origin; every page document says no-referrer.
    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
    // The public page never asks who is signed in.
    expect(requests.map((r) => new URL(r.url()).pathname)).not.toContain('/api/users/me');
    const documents = requests.filter((r) => r.resourceType() === 'document');
    expect(documents.length).toBeGreaterThan(1);
    // The link's API answers say so too, and are never cached.
    const apiCalls = requests.filter((r) => new URL(r.url()).pathname.startsWith('/api/s/'));
    expect(apiCalls.length).toBeGreaterThan(3);
    for (const r of apiCalls) {
      const headers = (await r.response())?.headers() ?? {};
      expect(headers['referrer-policy'], r.url()).toBe('no-referrer');
      expect(headers['cache-control'], r.url()).toContain('no-store');
    }
    for (const d of documents) {
      if (!new URL(d.url()).pathname.startsWith('/s/')) continue;
      const response = await d.response();
      expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    }
    await ownerPage.close();
  });

  it('shares the album with another user as a viewer, who cannot change it', async () => {
    const ownerPage = await ownerContext.newPage();
    await ownerPage.goto(`${web.server.url}/albums/${albumId}`);
    await ownerPage.getByRole('button', { name: 'People' }).click();
    const people = ownerPage.getByRole('dialog', { name: /with people/ });
    await people.getByLabel('Person').selectOption({ label: `${member.name} (${member.email})` });
    await people.getByLabel('Role').selectOption('viewer');
    await people.getByRole('button', { name: 'Share' }).click();
    await people.getByLabel(`Role of ${member.name}`).waitFor();
    await expect(people.getByLabel(`Role of ${member.name}`).inputValue()).resolves.toBe('viewer');
    await ownerPage.screenshot({ path: artifactPath('album-members.png') });
    await people.getByRole('button', { name: 'Close' }).click();
    await ownerPage.getByText(`Shared with ${member.name}`).waitFor();
    await ownerPage.close();

    const memberContext = await signedInContext(web.browser, web.server.url, memberToken, {
      viewport: { width: 1280, height: 800 },
    });
    const page = await memberContext.newPage();
    await page.goto(`${web.server.url}/albums`);
    const card = page.getByRole('link', { name: /Summer walk/ });
    await card.getByText('Shared by Olga Owner · Viewer').waitFor();
    await page.screenshot({ path: artifactPath('albums-shared-with-me.png') });
    await card.click();
    await page.getByText('Shared by Olga Owner: you can view and download').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Open photo' }).count()).toBe(3);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('.justified-grid img')).every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    );
    for (const name of ['Add photos', 'Remove from album', 'Share link', 'People']) {
      await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    }
    await page.screenshot({ path: artifactPath('album-as-viewer.png') });
    // The viewer opens the owner's photo: download, but no favourite and no trash.
    await page.getByRole('button', { name: 'Open photo' }).first().click();
    await page.getByRole('link', { name: 'Download original' }).waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.viewer-image');
      return img?.complete === true && img.naturalWidth > 0;
    });
    for (const name of ['Move to trash', 'Add to favourites']) {
      await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    }
    await page.keyboard.press('Escape');
    await memberContext.close();
  });

  it('shares chosen photos from the timeline, and takes uploads through an album link', async () => {
    // From the timeline's selection bar: a link to one photo, with the default options.
    const ownerPage = await ownerContext.newPage();
    await ownerPage.setViewportSize({ width: 390, height: 844 });
    await ownerPage.goto(web.server.url);
    await ownerPage.locator('.tile').first().hover();
    await ownerPage.locator('.tile-check').first().click();
    await ownerPage.getByRole('button', { name: 'Share link' }).click();
    const dialog = ownerPage.getByRole('dialog', { name: 'Share 1 photo' });
    await expect(dialog.getByLabel('Allow upload into the album').count()).resolves.toBe(0);
    await ownerPage.screenshot({ path: artifactPath('share-dialog-phone.png') });
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const photoUrl = await dialog.getByLabel('Link address').inputValue();
    await ownerPage.close();

    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const requests = recordRequests(context);
    const page = await context.newPage();
    await page.goto(photoUrl);
    await page.getByRole('heading', { name: 'Shared photos' }).waitFor();
    await thumbnailsLoaded(page, 1);
    await expect(page.getByRole('button', { name: 'Download all' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Upload' }).count()).resolves.toBe(0);
    await page.locator('.tile-open').first().click();
    await page.getByRole('dialog', { name: /\(1 of 1\)/ }).waitFor();
    await expect(page.getByRole('link', { name: 'Download this photo' }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');

    // An album link that takes uploads: one new photo, one already there.
    const link = await call<{ path: string }>('POST', '/api/shares', ownerToken, {
      albumId,
      allowUpload: true,
    });
    await page.goto(web.server.url + link.path);
    await thumbnailsLoaded(page, 3);
    await page
      .getByTestId('public-upload-input')
      .setInputFiles([
        path.join(path.dirname(gpsPhotos[0] ?? ''), 'DSCN0025.jpg'),
        gpsPhotos[0] ?? '',
      ]);
    const uploads = page.getByRole('region', { name: 'Uploads' });
    await uploads.getByText('1 added, 1 already there, 0 failed').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.tile').count(), { timeout: 15_000 }).toBe(4);
    await thumbnailsLoaded(page, 4);
    await page.screenshot({ path: artifactPath('public-upload.png') });
    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
    await context.close();
  });
});
