import { MediaToolError } from './media.errors.js';
import { open } from 'node:fs/promises';
import { resolveCaptureDate } from './media.capture.js';
import { exiftool, readTags, type RawTags } from './media.exiftool.js';
import { embeddedMotionOf } from './media.motion.js';
import { readOrientation } from './media.orientation.js';
import { first, num, readCamera, readPosition, str } from './media.tags.js';
import {
  MediaUnreadableError,
  type ExtractedMetadata,
  type ExtractHints,
  type MediaProbe,
} from './media.types.js';

function positiveInt(v: unknown): number | null {
  const n = num(v);
  return n !== null && Number.isInteger(n) && n > 0 && n < 1_000_000 ? n : null;
}

/** Stored pixel size (before orientation): Composite:ImageSize, else the format's own tags. */
function readStoredSize(tags: RawTags): [number, number] | null {
  const size = tags['Composite:ImageSize'];
  if (typeof size === 'string') {
    const [w, h] = size.split(/[\sx]+/).map(positiveInt);
    if (w && h) return [w, h];
  }
  const groups = ['File', 'PNG', 'RIFF', 'GIF', 'IFD0', 'ExifIFD', 'Track1', 'Track2', 'Track3'];
  for (const g of groups) {
    const w = positiveInt(tags[`${g}:ImageWidth`]);
    const h = positiveInt(tags[`${g}:ImageHeight`]);
    if (w && h) return [w, h];
  }
  return null;
}

const durationKeys = (tags: RawTags): string[] =>
  Object.keys(tags).filter((k) => k.endsWith(':Duration') && !k.startsWith('Track'));

/** The file's size in bytes, after checking it can be read. */
async function assertReadable(path: string): Promise<number> {
  try {
    const fh = await open(path, 'r');
    try {
      const stat = await fh.stat();
      if (!stat.isFile()) throw new Error('not a regular file');
      await fh.read(Buffer.alloc(1), 0, 1, 0);
      return stat.size;
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new MediaUnreadableError(`cannot read file: ${(err as Error).message}`);
  }
}

/**
 * Capture date, place, size and camera of a photo or video. Odd or damaged metadata gives
 * nulls (and a date from the file name or file times), never an exception; only a file that
 * cannot be read at all throws MediaUnreadableError.
 */
export async function extractMetadata(
  path: string,
  probe: MediaProbe,
  hints: ExtractHints,
): Promise<ExtractedMetadata> {
  const fileSize = await assertReadable(path);
  let tags: RawTags;
  try {
    tags = await readTags(path);
  } catch (err) {
    // A busy machine can make exiftool time out on a sound file: that is worth a retry of the
    // job, not a photo silently without its date.
    if (err instanceof Error && err.message.startsWith('timeout:')) {
      throw new MediaToolError(`exiftool timed out reading ${path}: ${err.message}`);
    }
    // A damaged file may make exiftool print nonsense: fall back to the file name and times.
    // But a broken installation must not pass silently: version() throws then.
    await exiftool().version();
    tags = {};
  }
  const isVideo = probe.type === 'video';
  const position = readPosition(tags);
  const zone = position ? str(tags['ExifTool:GeolocationTimeZone']) : null;
  const orientation = readOrientation(tags, probe);
  const size = readStoredSize(tags);
  const rotation = isVideo ? (num(tags['Composite:Rotation']) ?? 0) : 0;
  const swap = (orientation !== null && orientation >= 5) || Math.abs(rotation) % 180 === 90;
  const duration = isVideo
    ? first(tags, ['QuickTime:Duration', 'Composite:Duration', ...durationKeys(tags)], num)
    : null;
  return {
    ...resolveCaptureDate(tags, isVideo, hints, zone),
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
    altitude: position?.altitude ?? null,
    width: size ? size[swap ? 1 : 0] : null,
    height: size ? size[swap ? 0 : 1] : null,
    orientation,
    ...readCamera(tags),
    durationSeconds: duration !== null && duration > 0 ? Math.round(duration * 1000) / 1000 : null,
    embeddedMotion: isVideo ? null : embeddedMotionOf(tags, fileSize),
  };
}
