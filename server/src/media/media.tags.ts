import type { RawTags } from './media.exiftool.js';

/** A finite number from a tag value ('100 0' → 100, [200, 0] → 200); null for anything else. */
export function num(value: unknown): number | null {
  const v: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const token = v.trim().split(/\s+/)[0] ?? '';
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(token)) return null;
  const n = Number(token);
  return Number.isFinite(n) ? n : null;
}

/** A trimmed single-line string without control characters; null when blank. */
export function str(value: unknown, maxLength = 2000): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value)
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s === '' ? null : s.slice(0, maxLength);
}

export function first<T>(tags: RawTags, keys: string[], read: (v: unknown) => T | null): T | null {
  for (const key of keys) {
    const v = read(tags[key]);
    if (v !== null) return v;
  }
  return null;
}

const inRange = (v: number | null, min: number, max: number): number | null =>
  v !== null && v > min && v < max ? v : null;

const round = (v: number | null, digits: number): number | null =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

function signed(value: unknown, ref: unknown, negative: string, positive: string): number | null {
  const v = num(value);
  const r = typeof ref === 'string' ? ref.trim().toUpperCase() : '';
  if (v === null) return null;
  if (r.startsWith(negative)) return -Math.abs(v);
  if (r.startsWith(positive)) return Math.abs(v);
  return v;
}

export interface Position {
  latitude: number;
  longitude: number;
  altitude: number | null;
}

/** The GPS position, or null when absent, out of range or exactly 0,0 ("null island"). */
export function readPosition(tags: RawTags): Position | null {
  const sources: [number | null, number | null][] = [
    [
      signed(tags['GPS:GPSLatitude'], tags['GPS:GPSLatitudeRef'], 'S', 'N'),
      signed(tags['GPS:GPSLongitude'], tags['GPS:GPSLongitudeRef'], 'W', 'E'),
    ],
    [num(tags['Composite:GPSLatitude']), num(tags['Composite:GPSLongitude'])],
    [num(tags['XMP-exif:GPSLatitude']), num(tags['XMP-exif:GPSLongitude'])],
  ];
  for (const [lat, lon] of sources) {
    if (lat === null || lon === null) continue;
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) continue;
    const altitude =
      num(tags['Composite:GPSAltitude']) ??
      signed(tags['GPS:GPSAltitude'], String(num(tags['GPS:GPSAltitudeRef'])), '1', '0') ??
      num(tags['XMP-exif:GPSAltitude']);
    return {
      latitude: round(lat, 7) ?? lat,
      longitude: round(lon, 7) ?? lon,
      altitude: round(inRange(altitude, -12_000, 60_000), 2),
    };
  }
  return null;
}

/** '1/125', '0.8', '30' — the way cameras print shutter speeds. */
export function formatExposure(seconds: number | null): string | null {
  if (seconds === null || seconds <= 0 || seconds > 100_000) return null;
  const inverse = 1 / seconds;
  if (seconds < 1 && Math.abs(inverse - Math.round(inverse)) / inverse < 0.03) {
    return `1/${Math.round(inverse)}`;
  }
  return String(round(seconds, seconds < 1 ? 3 : 1));
}

// Captions that cameras write by default, which are not a person's description.
const CAMERA_BOILERPLATE =
  /^(?:[\w.-]+ ){0,3}(?:digital (?:still )?camera|dsc)$|^(?:exif_jpeg_picture|camera|default)$/i;

/** The tag in whichever group holds it (e.g. CIFF in old Canon files), for tags with no rival. */
function inAnyGroup(tags: RawTags, name: string): string | null {
  const key = Object.keys(tags).find((k) => k.endsWith(`:${name}`) && str(tags[k]) !== null);
  return key === undefined ? null : str(tags[key]);
}

export function readCamera(tags: RawTags) {
  const make =
    first(tags, ['IFD0:Make', 'Keys:Make', 'UserData:Make', 'XMP-tiff:Make'], str) ??
    inAnyGroup(tags, 'Make');
  const model =
    first(tags, ['IFD0:Model', 'Keys:Model', 'UserData:Model', 'XMP-tiff:Model'], str) ??
    inAnyGroup(tags, 'Model');
  const lensId = str(tags['Composite:LensID']);
  const lensModel =
    first(tags, ['ExifIFD:LensModel', 'XMP-exifEX:LensModel', 'XMP-aux:Lens'], str) ??
    (lensId && !/^(unknown|n\/a|[\d\s.]+$)/i.test(lensId) ? lensId : null);
  const description = [
    'XMP-dc:Description',
    'IPTC:Caption-Abstract',
    'IFD0:ImageDescription',
    'Keys:Description',
    'ItemList:Description',
    'UserData:Description',
  ]
    .map((k) => str(tags[k]))
    .find((d) => d !== null && !CAMERA_BOILERPLATE.test(d) && d !== make && d !== model);
  return {
    make,
    model,
    lensModel,
    exposureTime: formatExposure(
      first(tags, ['ExifIFD:ExposureTime', 'XMP-exif:ExposureTime'], num),
    ),
    fNumber: round(inRange(first(tags, ['ExifIFD:FNumber', 'XMP-exif:FNumber'], num), 0, 1000), 2),
    focalLength: round(
      inRange(first(tags, ['ExifIFD:FocalLength', 'XMP-exif:FocalLength'], num), 0, 100_000),
      2,
    ),
    iso: round(
      inRange(first(tags, ['ExifIFD:ISO', 'Composite:ISO', 'XMP-exif:ISO'], num), 0, 1e7),
      0,
    ),
    description: description ?? null,
  };
}
