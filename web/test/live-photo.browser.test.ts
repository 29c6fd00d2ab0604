import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { importParts } from '../../server/src/modules/takeout/takeout.testing.js';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../server/src/test/factories.js';
import {
  artifactPath,
  foreignRequests,
  recordRequests,
  signedInContext,
  useBrowserAndServer,
} from './browser.js';

// A live photo as Google Takeout exports an iPhone's: the still, its MOV with the same stem,
// and the still's JSON sidecar. The MOV is H.264 and AAC, which Chromium plays.
const folder = 'Takeout/Google Photos/Photos from 2019';
const still = photo('exif-samples/jpg/exif-org/fujifilm-dx10.jpg');
const motion = photo('metadata-extractor/mov/with-gps.mov');
const ordinary = photo('exif-samples/jpg/Canon_40D.jpg');

async function livePhotoPart(target: string): Promise<string> {
  const zip = new yazl.ZipFile();
  zip.addFile(still, `${folder}/IMG_4000.JPG`);
  zip.addFile(motion, `${folder}/IMG_4000.MOV`);
  zip.addBuffer(
    Buffer.from(
      JSON.stringify({ title: 'IMG_4000.JPG', photoTakenTime: { timestamp: '1563957000' } }),
    ),
    `${folder}/IMG_4000.JPG.json`,
  );
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(target));
  return target;
}

interface AssetJson {
  id: string;
  type: string;
  originalFileName: string;
  hasMotion: boolean;
}

const web = useBrowserAndServer();
let user: TestUser;
let dir: string;
let liveId: string;
let plainId: string;

beforeAll(async () => {
  user = await createUser(web.server);
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-live-web-'));
}, 120_000);

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** The viewer's motion video, as the page has it (null before the first play). */
const videoState = (page: Page) =>
  page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('video.viewer-live-video');
    return video
      ? {
          src: video.src,
          shown: video.classList.contains('shown'),
          paused: video.paused,
          currentTime: video.currentTime,
          muted: video.muted,
          controls: video.controls,
        }
      : null;
  });

/** Opens the viewer from the timeline tile of an asset; answers when its still has loaded. */
async function openViewer(page: Page, id: string, fileName: string) {
  await page.locator(`.tile[data-asset-id="${id}"] .tile-open`).click();
  await page.getByRole('complementary', { name: 'Info' }).getByText(fileName).waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('.viewer-image');
    return img?.complete === true && img.naturalWidth > 0;
  });
}

describe('live photos in the viewer, in Chromium', () => {
  it('imports a live photo from Takeout, with its motion part', async () => {
    const part = await livePhotoPart(path.join(dir, 'takeout-20240101T090000Z-001.zip'));
    const { progress, report } = await importParts(web.server, user, [part]);
    expect(progress.status).toBe('done');
    expect(progress.counts).toMatchObject({ imported: 1, motion: 1, failed: 0, skipped: 0 });
    const byName = (name: string) => report.files.find((f) => f.path.endsWith(`/${name}`));
    expect(byName('IMG_4000.MOV')?.outcome).toBe('motion');
    liveId = byName('IMG_4000.JPG')?.assetId ?? '';
    expect(liveId).not.toBe('');

    const live = await api<AssetJson>(web.server, 'GET', `/api/assets/${liveId}`, {
      token: user.token,
    });
    expect(live.body).toMatchObject({ type: 'image', hasMotion: true });
    const video = await fetch(`${web.server.url}/api/assets/${liveId}/motion`, {
      headers: { ...user.headers, range: 'bytes=0-99' },
    });
    expect(video.status).toBe(206);
    expect(video.headers.get('content-type')).toMatch(/^video\//);
    await video.arrayBuffer();

    // An ordinary photo beside it.
    const plain = await uploadFixture(web.server, user, ordinary);
    expect(plain.status).toBe(201);
    plainId = plain.body.id;
    await waitForJobs(web.server);
    const plainAsset = await api<AssetJson>(web.server, 'GET', `/api/assets/${plainId}`, {
      token: user.token,
    });
    expect(plainAsset.body.hasMotion).toBe(false);
  });

  it('plays the motion over the still only when asked: badge, hover, L key, errors', async () => {
    const context = await signedInContext(web.browser, web.server.url, user.token, {
      viewport: { width: 1280, height: 800 },
    });
    const requests = recordRequests(context);
    const motionAnswers: number[] = [];
    context.on('response', (response) => {
      if (response.url().endsWith('/motion')) motionAnswers.push(response.status());
    });
    const page = await context.newPage();
    await page.goto(web.server.url);
    await page.getByRole('heading', { name: 'Photos' }).waitFor();
    await expect.poll(() => page.locator('.tile').count()).toBe(2);
    const order = await page
      .locator('.tile')
      .evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-asset-id')));
    const towardsLive = order.indexOf(liveId) < order.indexOf(plainId) ? 'ArrowLeft' : 'ArrowRight';

    // An ordinary photo has no LIVE badge.
    await openViewer(page, plainId, 'Canon_40D.jpg');
    const play = page.getByRole('button', { name: 'Play live photo' });
    expect(await play.count()).toBe(0);

    // Browsing onto the live photo shows its badge, and fetches nothing of its video.
    await page.mouse.move(640, 500);
    await page.keyboard.press(towardsLive);
    await page.getByRole('complementary', { name: 'Info' }).getByText('IMG_4000.JPG').waitFor();
    await play.waitFor();
    await page.waitForTimeout(500);
    expect(await page.locator('video').count()).toBe(0);
    expect(requests.filter((r) => r.url().endsWith('/motion'))).toEqual([]);
    expect(await play.getAttribute('aria-pressed')).toBe('false');
    await page.screenshot({ path: artifactPath('live-photo-still.png') });

    // Pressed: the motion plays in place of the still, muted and without controls, to its end.
    await play.click();
    await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('video.viewer-live-video');
        return v !== null && v.classList.contains('shown') && !v.paused && v.currentTime > 0.3;
      },
      undefined,
      { timeout: 30_000 },
    );
    const playing = await videoState(page);
    expect(playing).toMatchObject({ shown: true, muted: true, controls: false });
    expect(playing?.src).toMatch(new RegExp(`/api/assets/${liveId}/motion$`));
    expect(motionAnswers.length).toBeGreaterThan(0);
    expect(motionAnswers.every((s) => s === 200 || s === 206)).toBe(true);
    expect(await play.getAttribute('aria-pressed')).toBe('true');
    // Same place and size as the still.
    const stillBox = await page.locator('.viewer-image').boundingBox();
    const videoBox = await page.locator('video.viewer-live-video').boundingBox();
    expect(stillBox).not.toBeNull();
    for (const key of ['x', 'y', 'width', 'height'] as const) {
      expect(Math.abs((videoBox?.[key] ?? -1) - (stillBox?.[key] ?? 0))).toBeLessThan(1.5);
    }
    await page.screenshot({ path: artifactPath('live-photo-playing.png') });
    // The mouse leaving the badge does not stop a pressed play; its end brings the still back.
    await page.mouse.move(640, 500);
    await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('video.viewer-live-video');
        return v !== null && v.ended && !v.classList.contains('shown');
      },
      undefined,
      { timeout: 15_000 },
    );
    expect(await play.getAttribute('aria-pressed')).toBe('false');

    // The L key plays it again from the start, and stops it.
    await page.keyboard.press('l');
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('video.viewer-live-video');
      return v !== null && v.classList.contains('shown') && !v.paused && v.currentTime > 0;
    });
    await page.keyboard.press('l');
    await expect.poll(() => videoState(page)).toMatchObject({ shown: false, paused: true });
    expect(await play.getAttribute('aria-pressed')).toBe('false');

    // A mouse resting on the badge plays it while it rests there.
    await play.hover();
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('video.viewer-live-video');
      return v !== null && v.classList.contains('shown') && !v.paused;
    });
    await page.mouse.move(640, 500);
    await expect.poll(() => videoState(page)).toMatchObject({ shown: false, paused: true });

    // Browsing away and back does not play anything by itself.
    await page.keyboard.press(towardsLive === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft');
    await page.getByRole('complementary', { name: 'Info' }).getByText('Canon_40D.jpg').waitFor();
    expect(await page.locator('video').count()).toBe(0);
    await page.keyboard.press('l'); // not a live photo: nothing happens
    expect(await page.locator('video').count()).toBe(0);
    await page.keyboard.press('Escape');

    // A video that cannot be had: no broken player, the badge says so.
    await context.route('**/api/assets/*/motion', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: '{}' }),
    );
    await openViewer(page, liveId, 'IMG_4000.JPG');
    await play.click();
    await page.getByRole('status').getByText('Live photo could not play').waitFor();
    expect(await play.count()).toBe(0);
    expect(await videoState(page)).toMatchObject({ shown: false });
    await page.screenshot({ path: artifactPath('live-photo-failed.png') });
    await context.unroute('**/api/assets/*/motion');

    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
    await context.close();
  });

  it('plays while a finger holds the photo on a phone', async () => {
    const context = await signedInContext(web.browser, web.server.url, user.token, {
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    const requests = recordRequests(context);
    const page = await context.newPage();
    await page.goto(web.server.url);
    await page.locator(`.tile[data-asset-id="${liveId}"] .tile-open`).click();
    await page.getByRole('button', { name: 'Play live photo' }).waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.viewer-image');
      return img?.complete === true && img.naturalWidth > 0;
    });
    const box = await page.locator('.viewer-image').boundingBox();
    if (!box) throw new Error('no photo');
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };

    // A finger down on the photo, held: touch events by the DevTools protocol, as a phone sends.
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchEnd') =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x: at.x, y: at.y }],
      });
    await touch('touchStart');
    await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('video.viewer-live-video');
        return v !== null && v.classList.contains('shown') && !v.paused && v.currentTime > 0.2;
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: artifactPath('live-photo-phone-hold.png') });
    await touch('touchEnd');
    await expect.poll(() => videoState(page)).toMatchObject({ shown: false, paused: true });
    // The hold was no swipe: the same photo is still shown.
    await page.getByRole('button', { name: 'Play live photo' }).waitFor();

    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
    await context.close();
  });
});
