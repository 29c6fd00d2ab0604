import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exiftool } from 'exiftool-vendored';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../server/src/test/factories.js';
import { artifactPath, foreignRequests, recordRequests, useBrowserAndServer } from './browser.js';
import { dropFiles, exifFacts, month, thumbnailsLoaded } from './timeline-page.js';

const photos = path.join(corpus, 'photos');
const byInput = [
  'exif-samples/jpg/Canon_40D.jpg',
  'exif-samples/jpg/Nikon_D70.jpg',
  'exif-samples/heic/IMG_5195.HEIC',
].map((f) => path.join(photos, f));
const byDrop = ['exif-samples/jpg/Pentax_K10D.jpg', 'exif-samples/jpg/Panasonic_DMC-FZ30.jpg'].map(
  (f) => path.join(photos, f),
);
const admin = { name: 'Ada Admin', email: 'ada@example.org', password: 'correct horse battery' };
const web = useBrowserAndServer();

afterAll(async () => {
  await exiftool.end();
});

async function signIn(page: Page) {
  await page.goto(web.server.url);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Photos' }).waitFor();
}

describe('the web app in Chromium', () => {
  let context: BrowserContext;
  let requests: Request[];

  beforeAll(async () => {
    context = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    requests = recordRequests(context);
  });
  afterAll(async () => {
    await context.close();
  });

  it('sets up, signs in, uploads, shows, favourites, trashes and restores', async () => {
    const page = await context.newPage();
    const first = await page.goto(web.server.url);
    const csp = first?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    for (const directive of csp.split(';')) {
      const sources = directive.trim().split(/\s+/).slice(1);
      for (const source of sources) {
        expect(["'self'", "'none'", 'data:', 'blob:']).toContain(source);
      }
    }

    // First run: the admin account, then straight into the (empty) library.
    await page.getByRole('heading', { name: 'Welcome to PixelUnion' }).waitFor();
    await page.getByLabel('Name').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel(/^Password/).fill(admin.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('No photos yet').waitFor();

    // The session survives a reload; sign-out and sign-in work.
    await page.reload();
    await page.getByText('No photos yet').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to PixelUnion' }).waitFor();
    await signIn(page);

    // Upload: three files by the file input, two by drag and drop.
    await page.getByTestId('upload-input').setInputFiles(byInput);
    await dropFiles(page, byDrop);
    const panel = page.getByRole('region', { name: 'Uploads' });
    await panel.getByText('5 uploaded').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('upload-panel.png') });

    // Each photo appears in the month of its EXIF date, with its thumbnail.
    const facts = await Promise.all([...byInput, ...byDrop].map(exifFacts));
    const perMonth = new Map<string, number>();
    for (const f of facts) perMonth.set(f.month, (perMonth.get(f.month) ?? 0) + 1);
    await thumbnailsLoaded(page, facts.length);
    for (const [label, count] of perMonth) {
      await expect.poll(() => month(page, label).locator('.tile').count()).toBe(count);
    }
    const headings = await page.locator('.month-header').allTextContents();
    expect(headings).toEqual(['April 2021', 'July 2008', 'May 2008', 'March 2008']);
    await page.getByRole('button', { name: 'Close uploads' }).click();
    await page.waitForTimeout(300); // thumbnails fade in
    await page.screenshot({ path: artifactPath('timeline.png') });

    // The same photo again is reported as a duplicate; a text file fails with the server's reason.
    const notes = path.join(os.tmpdir(), `pixelunion-notes-${process.pid}.txt`);
    fs.writeFileSync(notes, 'not a photo\n'.repeat(100));
    await page.getByTestId('upload-input').setInputFiles([byInput[0] ?? '', notes]);
    await panel.getByText('0 uploaded, 1 duplicate, 1 failed').waitFor({ timeout: 20_000 });
    await expect(panel.locator('[data-status=duplicate]').textContent()).resolves.toContain(
      'Already in your library',
    );
    const failure = await panel.locator('[data-status=error] .upload-message').textContent();
    expect(failure?.length).toBeGreaterThan(5);
    fs.rmSync(notes);
    await page.screenshot({ path: artifactPath('upload-duplicate-and-error.png') });
    await page.getByRole('button', { name: 'Close uploads' }).click();

    // Shift-click selects a range; Clear selection empties it.
    const checks = page.locator('.tile-check');
    await page.locator('.tile').nth(0).hover();
    await checks.nth(0).click();
    await checks.nth(2).click({ modifiers: ['Shift'] });
    await page.getByText('3 selected').waitFor();
    await page.getByRole('button', { name: 'Clear selection' }).click();

    // The viewer's info panel shows the date and camera the EXIF holds.
    const nikon = facts[1];
    if (!nikon) throw new Error('no Nikon facts');
    await month(page, nikon.month).locator('.tile-open').first().click();
    const info = page.getByRole('complementary', { name: 'Info' });
    await info.getByText(nikon.camera).waitFor();
    await expect.poll(() => info.textContent()).toContain(nikon.day);
    await expect.poll(() => info.textContent()).toContain(nikon.time);
    await expect.poll(() => info.textContent()).toContain('Nikon_D70.jpg');
    await page.keyboard.press('ArrowLeft');
    await info.getByText('Pentax_K10D.jpg').waitFor();
    await page.keyboard.press('ArrowRight');
    await info.getByText('Nikon_D70.jpg').waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.viewer-image');
      return img?.complete === true && img.naturalWidth > 0;
    });
    await page.screenshot({ path: artifactPath('viewer.png') });

    // Favourite with the keyboard; it shows on the favourites page.
    await page.keyboard.press('f');
    await page.getByRole('button', { name: 'Remove from favourites' }).first().waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Favourites' }).click();
    await expect.poll(() => page.locator('.tile').count()).toBe(1);

    // Delete one to the trash from the selection bar; restore it from the trash.
    await page.getByRole('link', { name: 'Photos' }).click();
    const panasonic = month(page, 'July 2008');
    await panasonic.locator('.tile').first().hover();
    await panasonic.locator('.tile-check').first().click();
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await expect.poll(() => month(page, 'July 2008').count()).toBe(0);
    await page.getByRole('link', { name: 'Trash' }).click();
    await expect.poll(() => page.locator('.tile').count()).toBe(1);
    await page.locator('.tile').first().hover();
    await page.locator('.tile-check').first().click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('The trash is empty.').waitFor();
    await page.getByRole('link', { name: 'Photos' }).click();
    await expect.poll(() => month(page, 'July 2008').locator('.tile').count()).toBe(1);

    // Add to a new album from the selection; the albums page lists it.
    await month(page, 'May 2008').locator('.tile').first().hover();
    await month(page, 'May 2008').locator('.tile-check').first().click();
    await page.getByRole('button', { name: 'Add to album' }).click();
    const dialog = page.getByRole('dialog', { name: /Add 1 to an album/ });
    await dialog.getByLabel('New album title').fill('Lizards');
    await dialog.getByRole('button', { name: 'Create and add' }).click();
    await dialog.getByText('Added 1 to “Lizards”.').waitFor();
    await page.getByRole('link', { name: 'Albums' }).click();
    await page
      .getByRole('link', { name: /Lizards/ })
      .getByText('1 item')
      .waitFor();
    await page.screenshot({ path: artifactPath('albums.png') });
    // The album page: its photo in the justified grid, with the count and the date.
    await page.getByRole('link', { name: /Lizards/ }).click();
    await page.getByText(/1 item · 2008-05-30/).waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.justified-grid img');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    await page.screenshot({ path: artifactPath('album.png') });
    // The owner renames it, then deletes it: the photo stays in the library.
    const inAlbum = await page
      .locator('.justified-grid .tile')
      .first()
      .getAttribute('data-asset-id');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit album' });
    await edit.getByLabel('Title').fill('Reptiles');
    await edit.getByLabel('Order').selectOption('asc');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.locator('.album-title', { hasText: 'Reptiles' }).waitFor();
    page.once('dialog', (confirm) => void confirm.accept());
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Delete album' }).click();
    await page.getByRole('button', { name: 'Create album' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: /Reptiles/ }).count()).toBe(0);
    const kept = await page.request.get(`${web.server.url}/api/assets/${inAlbum ?? ''}`);
    expect(kept.status()).toBe(200);

    // The admin creates a user with a quota.
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Bob');
    await page.getByLabel('Email').fill('bob@example.org');
    await page.getByLabel('Password').fill('another long password');
    await page.getByLabel(/^Quota \(GiB/).fill('2');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'bob@example.org' }).waitFor();
    await expect(page.getByLabel('Quota of Bob in GiB').inputValue()).resolves.toBe('2');
    await page.screenshot({ path: artifactPath('admin.png') });
    await page.getByRole('link', { name: 'Photos' }).click();

    // Phone-sized: the menu folds away, the viewer stacks the info panel under the photo.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(400); // the menu's slide-out transition
    await page.screenshot({ path: artifactPath('timeline-phone-dark.png') });
    await page.locator('.tile-open').first().click();
    await page.getByRole('button', { name: 'Show info' }).waitFor();
    await page.keyboard.press('i');
    await page.getByRole('complementary', { name: 'Info' }).waitFor();
    await page.screenshot({ path: artifactPath('viewer-phone.png') });
    await page.keyboard.press('Escape');

    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
    expect(requests.length).toBeGreaterThan(10);
  });
  it('plays a video with seeking, zooms, edits a description, archives and downloads', async () => {
    const page = await context.newPage();
    await page.goto(web.server.url);
    await page.getByRole('heading', { name: 'Photos' }).waitFor();
    const video = path.join(photos, 'metadata-extractor/mp4/with-gps.mp4');
    await page.getByTestId('upload-input').setInputFiles(video);
    await page.getByRole('region', { name: 'Uploads' }).getByText('1 uploaded').waitFor();
    const badge = page.locator('.tile-badge');
    await badge.waitFor({ timeout: 30_000 });

    // Video: the original streams with Range requests; seeking asks for a later range.
    const ranges: string[] = [];
    page.on('request', (r) => {
      const range = r.headers().range;
      if (r.url().endsWith('/original') && range) ranges.push(range);
    });
    await page.locator('.tile', { has: badge }).locator('.tile-open').click();
    const player = page.locator('video.viewer-video');
    await player.waitFor();
    await page.waitForFunction(
      () => (document.querySelector('video')?.readyState ?? 0) >= 1,
      undefined,
      { timeout: 15_000 },
    );
    const duration = await player.evaluate((v: HTMLVideoElement) => v.duration);
    expect(duration).toBeGreaterThan(0);
    await player.evaluate((v: HTMLVideoElement) => {
      v.pause();
      v.currentTime = v.duration / 2;
    });
    await page.waitForFunction(() => {
      const v = document.querySelector('video');
      return v !== null && !v.seeking && v.currentTime > 0;
    });
    expect(ranges.length).toBeGreaterThan(0);
    await page.keyboard.press('Escape');

    // Zoom shows every pixel: a HEIC as a full-size JPEG made by the server (2566×3313 here),
    // a JPEG as its original; the description is saved.
    const fullSizeShown = (minWidth: number) =>
      page.waitForFunction((min) => {
        const img = document.querySelector<HTMLImageElement>('.viewer-image');
        return !!img?.src.endsWith('/fullsize') && img.complete && img.naturalWidth >= min;
      }, minWidth);
    await month(page, 'April 2021').locator('.tile-open').first().click();
    await page.getByRole('button', { name: 'Zoom in to full size' }).click();
    await fullSizeShown(2566);
    await page.keyboard.press('Escape');
    await month(page, 'May 2008').locator('.tile-open').first().click();
    await page.getByRole('button', { name: 'Zoom in to full size' }).click();
    await fullSizeShown(1);
    const info = page.getByRole('complementary', { name: 'Info' });
    await info.getByRole('textbox').fill('Spring flowers');
    await info.getByRole('heading', { name: 'Info' }).click();
    await info.getByText('Saved').waitFor();
    await page.keyboard.press('Escape');

    // Archive from the selection: it leaves the timeline for the archive page.
    const before = await page.locator('.tile').count();
    await page.locator('.tile').first().hover();
    await page.locator('.tile-check').first().click();
    await page.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => page.locator('.tile').count()).toBe(before - 1);
    await page.getByRole('link', { name: 'Archive' }).click();
    await expect.poll(() => page.locator('.tile').count()).toBe(1);

    // A day's check selects the day; Escape clears the selection.
    await page.getByRole('link', { name: 'Photos' }).click();
    await page.getByRole('button', { name: 'Select Sunday 4 May 2008' }).click();
    await page.getByText('1 selected').waitFor();
    await page.keyboard.press('Escape');
    await page.getByText('1 selected').waitFor({ state: 'detached' });

    // Delete in the viewer moves to the trash; emptying the trash deletes for good.
    const count = await page.locator('.tile').count();
    await month(page, 'May 2008').locator('.tile-open').last().click();
    await page.getByRole('complementary', { name: 'Info' }).getByText('Pentax_K10D.jpg').waitFor();
    await page.keyboard.press('Delete');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.tile').count()).toBe(count - 1);
    await page.getByRole('link', { name: 'Trash' }).click();
    await expect.poll(() => page.locator('.tile').count()).toBe(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Empty trash' }).click();
    await page.getByText('Deleted 1 item for good.').waitFor();
    await page.getByText('The trash is empty.').waitFor();

    // Download a selection: a zip attachment from a form POST.
    await page.getByRole('link', { name: 'Photos' }).click();
    await page.locator('.tile').nth(1).hover();
    await page.locator('.tile-check').nth(1).click();
    await page.locator('.tile-check').nth(2).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.zip$/);
    await page.close();
    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
  });
});
