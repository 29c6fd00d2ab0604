import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { embeddedJpeg, readOrientationTags } from './media.exiftool.js';
import { MediaToolError } from './media.errors.js';
import { extractFrame } from './media.ffmpeg.js';
import { decodeHeic } from './media.heic.js';
import { isHeifFamily, orientationAfterHeifDecoder, readOrientation } from './media.orientation.js';
import { rgbaTiffWithIcc } from './media.tiff.js';
import { MediaUnreadableError, type MediaProbe } from './media.types.js';

export const PREVIEW_MAX = 1440;
const DECODE_TIMEOUT_S = 60;

const SHARP_INPUT: SharpOptions = {
  failOn: 'error',
  limitInputPixels: 512_000_000, // panoramas exceed sharp's default of 268 MP
  animated: false,
};

/** Upright 8-bit sRGB RGBA pixels, at most a given size (preview: ≤1440², never enlarged). */
export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

async function toPixels(image: Sharp, max: number): Promise<Pixels> {
  const { data, info } = await image
    .resize({ width: max, height: max, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .timeout({ seconds: DECODE_TIMEOUT_S })
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

/**
 * HEIC via heic-decode (libheif WASM: HEVC), AVIF or a failed HEIC via sharp's libheif. Both
 * apply irot/imir themselves; a file without them may still need its EXIF orientation.
 */
async function decodeHeif(path: string, probe: MediaProbe, max: number): Promise<Pixels> {
  const extra = orientationAfterHeifDecoder(await readOrientationTags(path));
  const viaSharp = () => toPixels(orient(sharp(path, SHARP_INPUT), extra), max);
  if (probe.format !== 'heic') return await viaSharp();
  let decoded;
  try {
    decoded = await decodeHeic(path);
  } catch (heicError) {
    if (heicError instanceof MediaToolError) throw heicError;
    // not HEVC (e.g. AV1 or JPEG in a HEIF box): sharp's own libheif may manage
    return await viaSharp().catch(() => {
      throw heicError;
    });
  }
  const { width, height, data } = decoded;
  const raw = await toPixels(
    orient(sharp(data, { raw: { width, height, channels: 4 } }), extra),
    max,
  );
  const icc = await sharp(path)
    .metadata()
    .then((m) => m.icc)
    .catch(() => undefined);
  if (!icc) return raw; // nclx or no colour info: treat as sRGB
  return await toPixels(sharp(rgbaTiffWithIcc(raw.data, raw.width, raw.height, icc)), max);
}

async function decodeRaw(path: string, max: number): Promise<Pixels> {
  const jpeg = await embeddedJpeg(path);
  if (!jpeg) return await toPixels(sharp(path, SHARP_INPUT).autoOrient(), max);
  const own = await sharp(jpeg).metadata();
  const image = sharp(jpeg, SHARP_INPUT);
  if (own.orientation) return await toPixels(image.autoOrient(), max);
  const raw: MediaProbe = { type: 'image', format: 'raw', mimeType: 'image/x-dcraw' };
  const orientation = readOrientation(await readOrientationTags(path), raw);
  return await toPixels(orient(image, orientation), max);
}

// formats ffmpeg can also decode, used when libvips gives up on a damaged file
const FFMPEG_IMAGE_FALLBACK = new Set(['jpeg', 'png', 'tiff', 'webp', 'gif']);

async function decodeImage(path: string, probe: MediaProbe, max: number): Promise<Pixels> {
  try {
    return await toPixels(sharp(path, SHARP_INPUT).autoOrient(), max);
  } catch (sharpError) {
    if (!FFMPEG_IMAGE_FALLBACK.has(probe.format)) throw sharpError;
    const frame = await extractFrame(path, null).catch(() => {
      throw sharpError;
    });
    const orientation = await sharp(path)
      .metadata()
      .then((m) => m.orientation ?? null)
      .catch(() => null);
    return await toPixels(orient(sharp(frame, SHARP_INPUT), orientation), max);
  }
}

/**
 * Decodes whatever the probe says the file is into upright sRGB pixels no larger than `max` on
 * either side (never enlarged): preview-sized by default.
 */
export async function decodePreview(
  path: string,
  probe: MediaProbe,
  max = PREVIEW_MAX,
): Promise<Pixels> {
  try {
    if (probe.type === 'video') return await toPixels(sharp(await extractFrame(path)), max);
    if (isHeifFamily(probe)) return await decodeHeif(path, probe, max);
    if (probe.format === 'raw') return await decodeRaw(path, max);
    return await decodeImage(path, probe, max);
  } catch (err) {
    if (err instanceof MediaUnreadableError || err instanceof MediaToolError) throw err;
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    throw new MediaUnreadableError(`cannot decode ${probe.format}: ${message}`);
  }
}
