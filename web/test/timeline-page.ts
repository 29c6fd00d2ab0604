import fs from 'node:fs';
import path from 'node:path';
import { exiftool, type ExifDateTime } from 'exiftool-vendored';
import type { Page } from 'playwright-core';
import { artifactPath } from './browser.js';

// What the timeline page looks like to a test: months, tiles, drops, and the facts to expect.

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August'];

export interface Expected {
  file: string;
  month: string;
  day: string;
  time: string;
  camera: string;
}

/** What the file's own EXIF says: the wall-clock capture time and the camera. */
export async function exifFacts(file: string): Promise<Expected> {
  const tags = await exiftool.read(file);
  const date = tags.DateTimeOriginal as ExifDateTime;
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    file,
    month: `${monthNames[date.month - 1] ?? ''} ${date.year}`,
    day: `${date.day} ${monthNames[date.month - 1] ?? ''} ${date.year}`,
    time: `${pad(date.hour)}:${pad(date.minute)}:${pad(date.second)}`,
    camera: `${tags.Make ?? ''} ${tags.Model ?? ''}`,
  };
}

/** Drops files on the page the way a file manager does: dragenter, dragover, drop. */
export async function dropFiles(page: Page, files: string[]) {
  const payload = files.map((f) => ({
    name: path.basename(f),
    base64: fs.readFileSync(f).toString('base64'),
  }));
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: 'image/jpeg' }));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(
        new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
    }
  }, payload);
}

export const month = (page: Page, label: string) =>
  page.locator('section.month').filter({ has: page.getByRole('heading', { name: label }) });

export async function thumbnailsLoaded(page: Page, count: number) {
  await page
    .waitForFunction(
      (n) => {
        const images = Array.from(document.querySelectorAll<HTMLImageElement>('.tile img'));
        return images.length === n && images.every((img) => img.complete && img.naturalWidth > 0);
      },
      count,
      { timeout: 45_000 },
    )
    .catch(async (error: unknown) => {
      await page.screenshot({ path: artifactPath('thumbnails-failed.png') });
      const state = await page.$$eval('.tile img', (imgs) =>
        imgs.map((i) => [
          (i as HTMLImageElement).src,
          (i as HTMLImageElement).complete,
          (i as HTMLImageElement).naturalWidth,
        ]),
      );
      console.log(state, await page.locator('section.month').allTextContents());
      throw error;
    });
}
