import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { embeddedJpeg, readOrientationTag } from './media.exiftool.js';
import { extractFrame } from './media.ffmpeg.js';
import { decodeHeic } from './media.heic.js';
import { rgbaTiffWithIcc } from './media.tiff.js';
import { MediaUnreadableError, type MediaProbe } from './media.types.js';

export const PREVIEW_MAX = 1440;

const SHARP_INPUT: SharpOptions = {
  failOn: 'error',
  limitInputPixels: 512_000_000, // panoramas exceed sharp's default of 268 MP
  animated: false,
};

/** Upright, preview-sized (≤1440², never enlarged) 8-bit sRGB RGBA pixels. */
export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

async function toPreviewPixels(image: Sharp): Promise<Pixels> {
  const { data, info } = await image
    .resize({ width: PREVIEW_MAX, height: PREVIEW_MAX, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Applies EXIF orientation by hand, for pixels that lost their EXIF (RAW previews, ffmpeg). */
export function orient(image: Sharp, orientation: number | null): Sharp {
  // sharp always mirrors before it rotates
  switch (orientation) {
    case 2:
      return image.flop();
    case 3:
      return image.rotate(180);
    case 4:
      return image.flip();
    case 5:
      return image.flop().rotate(270);
    case 6:
      return image.rotate(90);
    case 7:
      return image.flop().rotate(90);
    case 8:
      return image.rotate(270);
    case null:
    default:
      return image;
  }
}

async function decodeHeif(path: string): Promise<Pixels> {
  let decoded;
  try {
    decoded = await decodeHeic(path);
  } catch (heicError) {
    // not HEVC (e.g. AV1 or JPEG in a HEIF box): sharp's own libheif may manage
    return await toPreviewPixels(sharp(path, SHARP_INPUT).autoOrient()).catch(() => {
      throw heicError;
    });
  }
  const { width, height, data } = decoded;
  const raw = await toPreviewPixels(sharp(data, { raw: { width, height, channels: 4 } }));
  const icc = await sharp(path)
    .metadata()
    .then((m) => m.icc)
    .catch(() => undefined);
  if (!icc) return raw; // nclx or no colour info: treat as sRGB
  return await toPreviewPixels(sharp(rgbaTiffWithIcc(raw.data, raw.width, raw.height, icc)));
}

async function decodeRaw(path: string): Promise<Pixels> {
  const jpeg = await embeddedJpeg(path);
  if (!jpeg) return await toPreviewPixels(sharp(path, SHARP_INPUT).autoOrient());
  const own = await sharp(jpeg).metadata();
  const image = sharp(jpeg, SHARP_INPUT);
  if (own.orientation) return await toPreviewPixels(image.autoOrient());
  return await toPreviewPixels(orient(image, await readOrientationTag(path)));
}

// formats ffmpeg can also decode, used when libvips gives up on a damaged file
const FFMPEG_IMAGE_FALLBACK = new Set(['jpeg', 'png', 'tiff', 'webp', 'gif']);

async function decodeImage(path: string, probe: MediaProbe): Promise<Pixels> {
  try {
    return await toPreviewPixels(sharp(path, SHARP_INPUT).autoOrient());
  } catch (sharpError) {
    if (!FFMPEG_IMAGE_FALLBACK.has(probe.format)) throw sharpError;
    const frame = await extractFrame(path, null).catch(() => {
      throw sharpError;
    });
    const orientation = await sharp(path)
      .metadata()
      .then((m) => m.orientation ?? null)
      .catch(() => null);
    return await toPreviewPixels(orient(sharp(frame, SHARP_INPUT), orientation));
  }
}

/** Decodes whatever the probe says the file is into upright preview-sized sRGB pixels. */
export async function decodePreview(path: string, probe: MediaProbe): Promise<Pixels> {
  try {
    if (probe.type === 'video') return await toPreviewPixels(sharp(await extractFrame(path)));
    if (probe.format === 'heic') return await decodeHeif(path);
    if (probe.format === 'raw') return await decodeRaw(path);
    return await decodeImage(path, probe);
  } catch (err) {
    if (err instanceof MediaUnreadableError) throw err;
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    throw new MediaUnreadableError(`cannot decode ${probe.format}: ${message}`);
  }
}
