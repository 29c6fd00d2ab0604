import { ExifTool } from 'exiftool-vendored';

/** Tag values as exiftool's JSON gives them with -G1: keys are 'Group:Tag'. */
export type RawTags = Readonly<Record<string, unknown>>;

const TASK_TIMEOUT_MS = 15_000;

let shared: ExifTool | null = null;

/** One ExifTool (up to two perl processes) for the whole process, created on first use. */
export function exiftool(): ExifTool {
  shared ??= new ExifTool({
    maxProcs: 2,
    taskTimeoutMillis: TASK_TIMEOUT_MS,
    // A damaged file that hangs exiftool hangs it again: fail once, let the job queue decide.
    taskRetries: 0,
    useMWG: false,
  });
  return shared;
}

export async function closeExiftool(): Promise<void> {
  const et = shared;
  shared = null;
  if (et) await et.end();
}

const TEXT_TAGS = [
  'MIMEType', 'Error', 'Warning', 'GeolocationTimeZone',
  'DateTimeOriginal', 'CreateDate', 'SubSecTimeOriginal', 'SubSecTimeDigitized', 'OffsetTime',
  'OffsetTimeOriginal', 'OffsetTimeDigitized', 'DateCreated', 'CreationDate', 'MediaCreateDate',
  'GPSDateTime', 'GPSLatitudeRef', 'GPSLongitudeRef',
  'Make', 'Model', 'LensModel', 'Lens', 'LensID', 'ImageSize',
  'ImageDescription', 'Description', 'Caption-Abstract',
  // Motion photos (media.motion.ts): the Google container's items, one list entry per item.
  'DirectoryItemSemantic',
]; // prettier-ignore
const NUMERIC_TAGS = [
  'GPSLatitude', 'GPSLongitude', 'GPSAltitude', 'GPSAltitudeRef',
  'ImageWidth', 'ImageHeight', 'Orientation', 'Rotation', 'Mirroring',
  'ExposureTime', 'FNumber', 'FocalLength', 'ISO', 'Duration',
  'MotionPhoto', 'MicroVideo', 'MicroVideoOffset', 'DirectoryItemLength',
]; // prettier-ignore

const READ_ARGS = [
  '-G1',
  '-api',
  'geolocation',
  ...TEXT_TAGS.map((t) => `-${t}`),
  ...NUMERIC_TAGS.map((t) => `-${t}#`),
];

/**
 * Reads the tags this module uses, group-qualified ('ExifIFD:DateTimeOriginal'), numbers as
 * numbers. `-api geolocation` adds GeolocationTimeZone from exiftool's own offline database.
 */
export async function readTags(path: string): Promise<RawTags> {
  const tags: RawTags = await exiftool().readRaw(path, { readArgs: READ_ARGS });
  return tags;
}

/** The first embedded JPEG of a camera RAW file (full-size JpgFromRaw first), or null. */
export async function embeddedJpeg(path: string): Promise<Buffer | null> {
  for (const tag of ['JpgFromRaw', 'PreviewImage', 'OtherImage']) {
    const jpeg = await exiftool()
      .extractBinaryTagToBuffer(tag, path)
      .catch(() => null);
    if (jpeg && jpeg.length > 2 && jpeg[0] === 0xff && jpeg[1] === 0xd8) return jpeg;
  }
  return null;
}

/** Just the tags that say how a picture is oriented (EXIF, HEIF irot/imir); {} on failure. */
export async function readOrientationTags(path: string): Promise<RawTags> {
  const readArgs = ['-G1', '-IFD0:Orientation#', '-QuickTime:Rotation#', '-QuickTime:Mirroring#'];
  try {
    const tags: RawTags = await exiftool().readRaw(path, { readArgs });
    return tags;
  } catch {
    return {};
  }
}
