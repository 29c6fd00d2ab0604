import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAssets } from '../../bench/synthetic-library.js';
import { blobKeys } from '../../server/src/storage/blob-store.js';
import { api, createUser, type TestUser } from '../../server/src/test/factories.js';
import { artifactPath, signedInContext, useBrowserAndServer } from './browser.js';

// Two months of 750 photos each: months as full as a large library's, where the timeline's
// window moves inside one month for thousands of pixels.
const ASSETS = 1500;
const span = { first: Date.UTC(2024, 0, 1), last: Date.UTC(2024, 2, 1) };

const web = useBrowserAndServer({ timeout: 180_000 });
let user: TestUser;
let dir: string;

beforeAll(async () => {
  user = await createUser(web.server);
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-scroll-web-'));
  const { db } = web.server.ctx.database;
  await seedAssets(db, [user.id], ASSETS, 7, span);
  const thumbnail = path.join(dir, 'thumbnail.webp');
  await sharp({ create: { width: 96, height: 72, channels: 3, background: '#3a7' } })
    .webp()
    .toFile(thumbnail);
  const rows = await db.selectFrom('assets').select('id').where('owner_id', '=', user.id).execute();
  for (let i = 0; i < rows.length; i += 50) {
    await Promise.all(
      rows.slice(i, i + 50).map(async (row) => {
        // putFile moves its file into the store: one copy each.
        const copy = path.join(dir, `${row.id}.webp`);
        await fsp.copyFile(thumbnail, copy);
        await web.server.ctx.blobs.putFile(blobKeys.thumbnail(user.id, row.id), copy);
      }),
    );
  }
}, 180_000);

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('scrolling the timeline', () => {
  it('reuses tile elements for the photos coming into view, each showing its own photo', async () => {
    const context = await signedInContext(web.browser, web.server.url, user.token, {
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(web.server.url);
    await page.locator('.tile').first().waitFor();

    const scroll = await page.evaluate(async () => {
      const scroller = document.querySelector<HTMLElement>('.timeline');
      if (!scroller) throw new Error('no timeline');
      // Every tile element that showed a photo during the scroll (a moved element counts once).
      const elements = new Set<HTMLElement>();
      const seen = new Set<string>();
      const wrong: string[] = [];
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      for (;;) {
        const before = scroller.scrollTop;
        scroller.scrollTop = before + 300;
        await frame();
        await frame();
        const shown = new Set<string>();
        for (const tile of document.querySelectorAll<HTMLElement>('.tile')) {
          const id = tile.dataset.assetId ?? '';
          if (shown.has(id)) wrong.push(`${id} shown twice`);
          shown.add(id);
          seen.add(id);
          elements.add(tile);
          const img = tile.querySelector('img');
          if (img && !img.src.includes(`/api/assets/${id}/thumbnail`)) {
            wrong.push(`tile of ${id} shows ${img.src}`);
          }
        }
        if (scroller.scrollTop === before) break;
      }
      return { elements: elements.size, seen: seen.size, wrong };
    });

    expect(scroll.wrong).toEqual([]);
    // The seeded library minus what is archived, locked or in the trash (about 3 %).
    expect(scroll.seen).toBeGreaterThan(ASSETS * 0.9);
    // Without reuse every photo seen gets an element of its own; with it, elements are made
    // when a month comes into view, and then move from the top of the window to its bottom.
    expect(scroll.elements).toBeLessThan(scroll.seen / 2);

    // Stopped at the end: the tiles on screen load their own thumbnails.
    await page.waitForFunction(() => {
      const screen = document.querySelector('.timeline')?.getBoundingClientRect();
      if (!screen) return false;
      const onScreen = [...document.querySelectorAll<HTMLElement>('.tile')].filter((tile) => {
        const box = tile.getBoundingClientRect();
        return box.bottom > screen.top && box.top < screen.bottom;
      });
      return (
        onScreen.length > 10 &&
        onScreen.every((tile) => {
          const img = tile.querySelector('img');
          return (
            img?.complete === true &&
            img.naturalWidth > 0 &&
            img.classList.contains('loaded') &&
            img.src.includes(`/api/assets/${tile.dataset.assetId ?? ''}/thumbnail`)
          );
        })
      );
    });
    // After the thumbnails' 0.2 s fade-in.
    await page.waitForTimeout(300);
    await page.screenshot({ path: artifactPath('timeline-scrolled-to-end.png') });
    await context.close();
  });
  it('selects a shift-click range from one month into the next', async () => {
    const context = await signedInContext(web.browser, web.server.url, user.token, {
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(web.server.url);
    const idsOf = async (bucket: string) =>
      (
        await api<{ ids: string[] }>(
          web.server,
          'GET',
          `/api/timeline/buckets/${bucket}?view=timeline`,
          { token: user.token },
        )
      ).body.ids;
    const february = await idsOf('2024-02');
    const order = [...february, ...(await idsOf('2024-01'))];
    const first = order[5] ?? '';
    const last = order[february.length + 10] ?? '';

    const firstTile = page.locator(`.tile[data-asset-id="${first}"]`);
    await firstTile.hover();
    await firstTile.locator('.tile-check').click();
    await page.getByText('1 selected').waitFor();
    // Down into January until the other end is rendered, then shift-click it.
    await page.evaluate(async (id) => {
      const scroller = document.querySelector<HTMLElement>('.timeline');
      while (scroller && !document.querySelector(`.tile[data-asset-id="${id}"]`)) {
        scroller.scrollTop += 400;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }, last);
    await page.locator(`.tile[data-asset-id="${last}"] .tile-open`).click({ modifiers: ['Shift'] });
    const expected = february.length + 10 - 5 + 1;
    await page.getByText(`${expected} selected`).waitFor();
    await expect
      .poll(() => page.locator(`.tile.selected[data-asset-id="${last}"]`).count())
      .toBe(1);
    await context.close();
  });
});
