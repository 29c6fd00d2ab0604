/**
 * Camera-sized photos made from the small real photos of the shared corpus, and their ingest
 * through the HTTP API: upload, then wait until no job is left.
 */
import { createHash } from 'node:crypto';
import fs, { openAsBlob } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { pool } from './measure.js';

const photos = path.resolve(import.meta.dirname, '../../shared/corpus/photos');
const exif = path.join(photos, 'exif-samples/jpg');
const jpegsIn = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => path.join(dir, f));
/** Real photos with their EXIF; the 100 px camera samples are left out, too small to scale up. */
export const cameraPhotoSources = [
  ...jpegsIn(path.join(photos, 'immich-test-assets/albums/nature')),
  ...jpegsIn(path.join(exif, 'gps')),
  ...jpegsIn(path.join(exif, 'mobile')),
  path.join(exif, 'Reconyx_HC500_Hyperfire.jpg'),
  path.join(exif, 'Canon_PowerShot_S40.jpg'),
  path.join(exif, 'orientation/landscape_1.jpg'),
  path.join(exif, 'orientation/landscape_6.jpg'),
  path.join(exif, 'orientation/portrait_6.jpg'),
];

/**
 * `count` JPEGs in `dir`, alternately 12 MP (4000×3000) and 8 MP (3264×2448), each from a corpus
 * photo scaled up with its own crop offset and quality (so every checksum differs) and film
 * grain (so that it weighs and decodes like a camera file, ~3 MB); EXIF kept.
 */
export async function makeCameraPhotos(
  dir: string,
  count: number,
): Promise<{ files: string[]; meanBytes: number }> {
  const grain = new Map<string, Promise<Buffer>>();
  const grainOf = (width: number, height: number): Promise<Buffer> => {
    const key = `${width}x${height}`;
    let buffer = grain.get(key);
    if (!buffer) {
      const noise = { type: 'gaussian' as const, mean: 128, sigma: 24 };
      buffer = sharp({ create: { width, height, channels: 3, background: '#808080', noise } })
        .raw()
        .toBuffer();
      grain.set(key, buffer);
    }
    return buffer;
  };
  const files: string[] = [];
  await pool(count, 2, async (i) => {
    const source = cameraPhotoSources[i % cameraPhotoSources.length] ?? '';
    const meta = await sharp(source).metadata();
    const [long, short] = i % 2 === 0 ? [4000, 3000] : [3264, 2448];
    // Stored orientation is kept (with the EXIF Orientation tag), so rotated sources stay rotated.
    const [width, height] = meta.width >= meta.height ? [long, short] : [short, long];
    const margin = 16 + ((i * 37) % 200);
    const file = path.join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`);
    await sharp(source)
      .resize(width + margin, height + margin, { fit: 'cover' })
      .extract({ left: (i * 13) % margin, top: (i * 7) % margin, width, height })
      .composite([
        {
          input: await grainOf(width, height),
          raw: { width, height, channels: 3 },
          blend: 'soft-light',
        },
      ])
      .withMetadata()
      .jpeg({ quality: 82 + (i % 14) })
      .toFile(file);
    files[i] = file;
  });
  const sizes = await Promise.all(files.map(async (f) => (await fsp.stat(f)).size));
  const checksums = new Set(
    await Promise.all(
      files.map(async (f) =>
        createHash('sha1')
          .update(await fsp.readFile(f))
          .digest('hex'),
      ),
    ),
  );
  if (checksums.size !== files.length) throw new Error('two generated photos are identical');
  return { files, meanBytes: sizes.reduce((a, b) => a + b, 0) / count };
}

/** Uploads every file through `POST /api/assets`, `inFlight` at a time; the new assets' ids. */
export async function uploadPhotos(
  base: string,
  token: string,
  files: readonly string[],
  inFlight: number,
): Promise<string[]> {
  const ids: string[] = [];
  await pool(files.length, inFlight, async (i) => {
    const file = files[i] ?? '';
    const form = new FormData();
    form.append('file', await openAsBlob(file), path.basename(file));
    const response = await fetch(`${base}/api/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const body = (await response.json()) as { id: string; status: string };
    if (response.status !== 201) throw new Error(`upload ${file}: ${response.status}`);
    ids[i] = body.id;
  });
  return ids;
}

export interface QueueCounts {
  queue: string;
  waiting: number;
  active: number;
  failed: number;
}

/** Polls `GET /api/jobs` every 100 ms until no job is waiting or active; the last counts. */
export async function waitForJobs(base: string, token: string): Promise<QueueCounts[]> {
  for (;;) {
    const response = await fetch(`${base}/api/jobs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const queues = (await response.json()) as QueueCounts[];
    if (queues.every((q) => q.waiting === 0 && q.active === 0)) return queues;
    await sleep(100);
  }
}

/** How many of the assets have their thumbnail. */
export async function countThumbnails(
  base: string,
  token: string,
  ids: readonly string[],
): Promise<number> {
  let ready = 0;
  for (const id of ids) {
    const response = await fetch(`${base}/api/assets/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const asset = (await response.json()) as { hasThumbnail: boolean };
    if (asset.hasThumbnail) ready++;
  }
  return ready;
}
