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
async function decodeHeif(path: string, probe: MediaProbe): Promise<Pixels> {
  const extra = orientationAfterHeifDecoder(await readOrientationTags(path));
  const viaSharp = () => toPreviewPixels(orient(sharp(path, SHARP_INPUT), extra));
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
  const raw = await toPreviewPixels(
    orient(sharp(data, { raw: { width, height, channels: 4 } }), extra),
  );
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
  const raw: MediaProbe = { type: 'image', format: 'raw', mimeType: 'image/x-dcraw' };
  const orientation = readOrientation(await readOrientationTags(path), raw);
  return await toPreviewPixels(orient(image, orientation));
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
    if (isHeifFamily(probe)) return await decodeHeif(path, probe);
    if (probe.format === 'raw') return await decodeRaw(path);
    return await decodeImage(path, probe);
  } catch (err) {
    if (err instanceof MediaUnreadableError || err instanceof MediaToolError) throw err;
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    throw new MediaUnreadableError(`cannot decode ${probe.format}: ${message}`);
  }
}
