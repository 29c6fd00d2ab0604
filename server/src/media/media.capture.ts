import {
  formatLocal,
  fromInstant,
  instantMs,
  isPlausible,
  localAsUtcMs,
  parseExifDate,
  parseOffset,
  zoneOffsetAt,
  zoneOffsetForLocal,
  type WallClock,
} from './media.dates.js';
import type { RawTags } from './media.exiftool.js';
import { dateFromFilename } from './media.filename.js';
import type { DateSource, ExtractedMetadata, ExtractHints } from './media.types.js';

type CaptureDate = Pick<
  ExtractedMetadata,
  'takenAt' | 'localDateTime' | 'utcOffsetMinutes' | 'dateSource'
>;

interface Candidate {
  clock: WallClock;
  source: DateSource;
  /** the value is UTC by definition (QuickTime CreateDate, file times), not local time */
  utc: boolean;
}

const NOT_EXIF_GROUP =
  /^(XMP|Composite|QuickTime|Keys|UserData|ItemList|Track\d|System|File|RIFF|Matroska)/;

/** A date tag, with sub-seconds and offset taken from companion tags when the value has none. */
function withCompanions(tags: RawTags, key: string, subSecKey: string, offsetKeys: string[]) {
  const clock = parseExifDate(tags[key]);
  if (!clock) return null;
  const subSec = tags[subSecKey];
  if (!clock.hasFraction && (typeof subSec === 'string' || typeof subSec === 'number')) {
    const digits = String(subSec).trim();
    if (/^\d+$/.test(digits)) {
      clock.millisecond = Number(digits.slice(0, 3).padEnd(3, '0'));
      clock.hasFraction = true;
    }
  }
  if (clock.offsetMinutes === null) {
    clock.offsetMinutes =
      offsetKeys.map((k) => parseOffset(tags[k])).find((o) => o !== null) ?? null;
  }
  return clock;
}

function exifCandidates(tags: RawTags): Candidate[] {
  const out: (WallClock | null)[] = [];
  const original = ['ExifIFD:OffsetTimeOriginal', 'ExifIFD:OffsetTime'];
  const digitized = ['ExifIFD:OffsetTimeDigitized', 'ExifIFD:OffsetTime'];
  for (const g of ['ExifIFD', 'IFD0']) {
    out.push(withCompanions(tags, `${g}:DateTimeOriginal`, 'ExifIFD:SubSecTimeOriginal', original));
  }
  for (const g of ['ExifIFD', 'IFD0']) {
    out.push(withCompanions(tags, `${g}:CreateDate`, 'ExifIFD:SubSecTimeDigitized', digitized));
  }
  // maker notes and other camera-written blocks (e.g. Reconyx, Olympus PictureInfo)
  for (const key of Object.keys(tags)) {
    const group = key.slice(0, key.indexOf(':'));
    if (key.endsWith(':DateTimeOriginal') && group !== 'ExifIFD' && group !== 'IFD0') {
      if (!NOT_EXIF_GROUP.test(group)) out.push(parseExifDate(tags[key]));
    }
  }
  return out.flatMap((clock) => (clock ? [{ clock, source: 'exif' as const, utc: false }] : []));
}

function quickTimeCandidates(tags: RawTags): Candidate[] {
  const local = Object.keys(tags).filter(
    (k) =>
      /^(Keys|UserData|ItemList):CreationDate$/.test(k) ||
      k === 'UserData:DateTimeOriginal' ||
      k === 'RIFF:DateTimeOriginal',
  );
  // QuickTime stores its movie and media times in UTC
  const utc = [
    'QuickTime:CreateDate',
    'Matroska:DateTimeOriginal',
    ...Object.keys(tags).filter((k) => /^Track\d+:MediaCreateDate$/.test(k)),
  ];
  return [
    ...local.map((k) => ({ key: k, utc: false })),
    ...utc.map((k) => ({ key: k, utc: true })),
  ].flatMap(({ key, utc: isUtc }) => {
    const clock = parseExifDate(tags[key]);
    return clock ? [{ clock, source: 'quicktime' as const, utc: isUtc }] : [];
  });
}

const XMP_KEYS = ['XMP-photoshop:DateCreated', 'XMP-exif:DateTimeOriginal', 'XMP-xmp:CreateDate'];
// XMP dates that may carry the zone an EXIF date lacks (not IPTC: writers pad it with +00:00)
const ZONE_DONORS = XMP_KEYS;

function xmpCandidates(tags: RawTags): Candidate[] {
  return XMP_KEYS.flatMap((k) => {
    const clock = parseExifDate(tags[k]);
    return clock ? [{ clock, source: 'xmp' as const, utc: false }] : [];
  });
}

/** Last resort among embedded dates: the UTC time of the GPS fix. */
function gpsTimeCandidates(tags: RawTags): Candidate[] {
  return (['Composite:GPSDateTime', 'XMP-exif:GPSDateTime'] as const).flatMap((k) => {
    const clock = parseExifDate(tags[k]);
    const source = k.startsWith('XMP') ? ('xmp' as const) : ('exif' as const);
    return clock ? [{ clock, source, utc: true }] : [];
  });
}

/** The offset of another date tag naming the same wall-clock second, if any has one. */
function borrowedOffset(tags: RawTags, clock: WallClock): number | null {
  const second = Math.floor(localAsUtcMs(clock) / 1000);
  for (const key of ZONE_DONORS) {
    const other = parseExifDate(tags[key]);
    if (other?.offsetMinutes != null && Math.floor(localAsUtcMs(other) / 1000) === second) {
      return other.offsetMinutes;
    }
  }
  return null;
}

function toResult(clock: WallClock, source: DateSource): CaptureDate {
  return {
    takenAt: new Date(instantMs(clock)),
    localDateTime: formatLocal(clock),
    utcOffsetMinutes: clock.offsetMinutes,
    dateSource: source,
  };
}

/** A UTC instant shown in the zone of the GPS position when known, else as UTC wall-clock. */
function fromUtc(ms: number, hasFraction: boolean, gpsZone: string | null, source: DateSource) {
  const offset = gpsZone ? zoneOffsetAt(gpsZone, ms) : null;
  return toResult(fromInstant(ms, offset, hasFraction), source);
}

/**
 * Picks the capture date: EXIF (QuickTime first for videos) → XMP → file name → file times.
 * Without a known offset, takenAt is the wall-clock read as UTC and utcOffsetMinutes is null.
 */
export function resolveCaptureDate(
  tags: RawTags,
  isVideo: boolean,
  hints: ExtractHints,
  gpsZone: string | null,
  now = Date.now(),
): CaptureDate {
  const embedded = [
    ...(isVideo ? quickTimeCandidates(tags) : []),
    ...exifCandidates(tags),
    ...xmpCandidates(tags),
    ...gpsTimeCandidates(tags),
  ].find((c) => isPlausible(c.clock, now));
  if (embedded) {
    const { clock, source, utc } = embedded;
    if (utc) return fromUtc(instantMs(clock), clock.hasFraction, gpsZone, source);
    clock.offsetMinutes ??=
      borrowedOffset(tags, clock) ?? (gpsZone ? zoneOffsetForLocal(gpsZone, clock) : null);
    return toResult(clock, source);
  }
  const named = dateFromFilename(hints.fileName);
  if (named && isPlausible(named.clock, now)) {
    const { clock, utc, dateOnly } = named;
    if (utc) return fromUtc(localAsUtcMs(clock), clock.hasFraction, gpsZone, 'filename');
    if (!dateOnly && gpsZone) clock.offsetMinutes = zoneOffsetForLocal(gpsZone, clock);
    return toResult(clock, 'filename');
  }
  const fileTimes = [hints.fileModifiedAt, hints.fileCreatedAt]
    .map((d) => d?.getTime())
    .filter((ms): ms is number => ms !== undefined && Number.isFinite(ms))
    .filter((ms) => isPlausible(fromInstant(ms, 0, false), now));
  if (fileTimes.length > 0) return fromUtc(Math.min(...fileTimes), true, gpsZone, 'file-time');
  return { takenAt: null, localDateTime: null, utcOffsetMinutes: null, dateSource: 'none' };
}
