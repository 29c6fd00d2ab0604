import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { decodePreview, type Pixels } from './media.decode.js';
import type { MediaProbe, ThumbnailPaths, ThumbnailResult } from './media.types.js';

const THUMB_HEIGHT = 250;
const THUMB_MAX_WIDTH = 1000; // panoramas
const HASH_MAX = 100;

/** ~250 px tall, never enlarged, at most 1000 px wide. */
export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  let h = Math.min(THUMB_HEIGHT, height);
  let w = Math.max(1, Math.round((h * width) / height));
  if (w > THUMB_MAX_WIDTH) {
    w = THUMB_MAX_WIDTH;
    h = Math.max(1, Math.round((w * height) / width));
  }
  return { width: w, height: h };
}

function isOpaque(p: Pixels): boolean {
  for (let i = 3; i < p.data.length; i += 4) if (p.data[i] !== 255) return false;
  return true;
}

/** Writes via a temporary file and a rename, so a crash never leaves half an image behind. */
async function writeAtomically(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

const rgba = (p: Pixels) =>
  sharp(p.data, { raw: { width: p.width, height: p.height, channels: 4 } });

async function thumbhash(p: Pixels): Promise<string> {
  const { data, info } = await rgba(p)
    .resize({ width: HASH_MAX, height: HASH_MAX, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}

/** The WebP thumbnail, and the thumbhash computed from the (smaller) thumbnail pixels. */
async function thumbnailAndHash(pixels: Pixels, opaque: boolean): Promise<[Buffer, string]> {
  const { data, info } = await rgba(pixels)
    .resize({ ...thumbnailSize(pixels.width, pixels.height), fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const small: Pixels = { data, width: info.width, height: info.height };
  const webp = (opaque ? rgba(small).removeAlpha() : rgba(small)).webp({ quality: 80 }).toBuffer();
  return await Promise.all([webp, thumbhash(small)]);
}

/**
 * Writes a WebP thumbnail (~250 px tall) and a JPEG preview (inside 1440×1440), both upright,
 * sRGB and without metadata, and returns a thumbhash and the preview's size. Throws
 * MediaUnreadableError when the pixels cannot be decoded.
 */
export async function generateThumbnails(
  path: string,
  probe: MediaProbe,
  out: ThumbnailPaths,
): Promise<ThumbnailResult> {
  const pixels = await decodePreview(path, probe);
  const opaque = isOpaque(pixels);
  // independent encodes run side by side: sharp uses one libvips thread per pipeline here
  const [preview, [thumbnail, hash]] = await Promise.all([
    (opaque ? rgba(pixels).removeAlpha() : rgba(pixels).flatten({ background: '#ffffff' }))
      // baseline, not progressive: half the encoding time, and previews are small enough
      .jpeg({ quality: 82 })
      .toBuffer(),
    thumbnailAndHash(pixels, opaque),
  ]);
  await Promise.all([
    writeAtomically(out.previewPath, preview),
    writeAtomically(out.thumbnailPath, thumbnail),
  ]);
  return { thumbhash: hash, width: pixels.width, height: pixels.height };
}

/** Longest side of a full-size rendition: every camera photo, without huge panoramas. */
export const FULL_SIZE_MAX = 8192;

/**
 * Writes a JPEG of the whole picture (upright, sRGB, at most FULL_SIZE_MAX a side), for formats
 * browsers cannot draw (HEIC, RAW, TIFF), so that the viewer can zoom into every pixel.
 */
export async function generateFullSize(
  path: string,
  probe: MediaProbe,
  out: string,
): Promise<void> {
  const pixels = await decodePreview(path, probe, FULL_SIZE_MAX);
  const jpeg = await rgba(pixels)
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 90 })
    .toBuffer();
  await writeAtomically(out, jpeg);
}
