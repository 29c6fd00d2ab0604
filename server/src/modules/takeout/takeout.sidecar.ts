// Reads a Takeout JSON: a photo's sidecar, an album's metadata file, or something else.
// Google documents none of it, so everything is optional and numbers may come as strings.

export interface GeoPoint {
  latitude: number;
  longitude: number;
  altitude: number | null;
}
export interface PhotoSidecar {
  kind: 'photo';
  title: string | null; // original file name
  takenAt: number | null; // photoTakenTime.timestamp * 1000 (UTC instant, ms); null when missing, "0", unparsable
  location: (GeoPoint & { source: 'geoDataExif' | 'geoData' }) | null; // geoDataExif first, then geoData; 0,0 means none
  description: string | null; // '' → null
  favorited: boolean;
  archived: boolean;
  trashed: boolean;
  inLockedFolder: boolean;
  people: string[];
  /** creationTime.timestamp * 1000: when it was uploaded, never the capture time. */
  uploadedAt: number | null;
}
export interface AlbumSidecar {
  kind: 'album';
  title: string; // '' = untitled
  description: string | null;
  /** The album's `date.timestamp` * 1000 (when it was made), null when absent. */
  date: number | null;
}
export type Sidecar = PhotoSidecar | AlbumSidecar | { kind: 'other' };

type JsonObject = Record<string, unknown>;

// Any of these makes a JSON a photo's: album files never carry them.
const PHOTO_KEYS = [
  'photoTakenTime',
  'creationTime',
  'imageViews',
  'url',
  'geoDataExif',
  'modificationTime',
  'photoLastModifiedTime',
];
// Date(ms) accepts ±8.64e15; anything beyond is garbage, not a date.
const MAX_MS = 8.64e15;

/** The JSON value of a text (a byte-order mark allowed); undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/u, '')) as unknown;
  } catch {
    return undefined;
  }
}

/** Lenient: numbers as strings, unknown keys, missing keys. null when the text is not a JSON object. */
export function parseSidecar(text: string): Sidecar | null {
  return sidecarOf(parseJson(text));
}

/** parseSidecar of JSON already parsed. */
export function sidecarOf(value: unknown): Sidecar | null {
  if (!isObject(value)) return null;
  const json = value;

  // Oldest album generation: everything wrapped in `albumData`.
  if (isObject(json.albumData)) return album(json.albumData);
  if (PHOTO_KEYS.some((key) => json[key] !== undefined && json[key] !== null)) return photo(json);
  // Newer album files: `{title, description, access, date, …}` or, since 2025, just `{title}`.
  // A title that is not a string (user-generated-memory-titles.json has a list) is not an album.
  if (typeof json.title === 'string') return album(json);
  return { kind: 'other' };
}

function photo(json: JsonObject): PhotoSidecar {
  const title = text(json.title);
  return {
    kind: 'photo',
    title: title === '' ? null : title,
    takenAt: timestamp(json.photoTakenTime),
    location: geo(json.geoDataExif, 'geoDataExif') ?? geo(json.geoData, 'geoData'),
    description: description(json.description),
    favorited: flag(json.favorited),
    archived: flag(json.archived),
    trashed: flag(json.trashed),
    inLockedFolder: flag(json.inLockedFolder),
    people: people(json.people),
    uploadedAt: timestamp(json.creationTime),
  };
}

function album(json: JsonObject): AlbumSidecar {
  return {
    kind: 'album',
    title: text(json.title) ?? '',
    description: description(json.description),
    date: timestamp(json.date),
  };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

function description(value: unknown): string | null {
  const t = text(value)?.trim();
  return t === undefined || t === '' ? null : t;
}

/** A number, or a string holding only a decimal number ("1696573800", " 82.09 "). */
function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/u.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** `{timestamp: "seconds"}` → ms. 0 is Google's "unknown", never 1970. */
function timestamp(value: unknown): number | null {
  const seconds = numeric(isObject(value) ? value.timestamp : value);
  if (seconds === null || seconds === 0) return null;
  const ms = Math.round(seconds * 1000);
  return Math.abs(ms) <= MAX_MS ? ms : null;
}

function geo<S extends 'geoDataExif' | 'geoData'>(
  value: unknown,
  source: S,
): (GeoPoint & { source: S }) | null {
  if (!isObject(value)) return null;
  const latitude = numeric(value.latitude);
  const longitude = numeric(value.longitude);
  if (latitude === null || longitude === null) return null;
  // 0,0 is how Google writes "no location"; out-of-range values are not a place either.
  if (latitude === 0 && longitude === 0) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude, altitude: numeric(value.altitude), source };
}

function flag(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === 'string' && /^true$/iu.test(value));
}

function people(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names = value.map((p: unknown) => (isObject(p) ? text(p.name) : text(p))?.trim() ?? '');
  return [...new Set(names.filter((name) => name !== ''))];
}
