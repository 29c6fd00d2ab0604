// Google Takeout JSON files in Google's own shape: photo sidecars, album metadata, and their names.

/** The longest JSON file name Google writes, in characters (Unicode code points). */
export const MAX_JSON_NAME = 51;

export const codePoints = (s: string): number => Array.from(s).length;

/** Cuts a JSON file name the way Google does: the part before '.json' to 46 code points. */
export function truncateJsonName(name: string): string {
  if (codePoints(name) <= MAX_JSON_NAME) return name;
  const stem = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
  return (
    Array.from(stem)
      .slice(0, MAX_JSON_NAME - '.json'.length)
      .join('') + '.json'
  );
}

export type SidecarStyle =
  | 'json' // IMG.jpg.json
  | 'supplemental' // IMG.jpg.supplemental-metadata.json
  | 'counter' // IMG.jpg(1).json for IMG(1).jpg
  | 'supplemental-counter' // IMG.jpg.supplemental-metadata(1).json
  | 'counter-supplemental'; // IMG.jpg(1).supplemental-metadata.json

/** The sidecar name of `mediaName` (a counter is read from `IMG(1).jpg` and moved), truncated. */
export function sidecarName(mediaName: string, style: SidecarStyle = 'json'): string {
  const m = /^(.*)\((\d+)\)(\.[^.]*)$/.exec(mediaName);
  const base = m ? `${m[1] ?? ''}${m[3] ?? ''}` : mediaName;
  const n = m ? `(${m[2] ?? ''})` : '';
  const name = {
    json: `${mediaName}.json`,
    supplemental: `${mediaName}.supplemental-metadata.json`,
    counter: `${base}${n}.json`,
    'supplemental-counter': `${base}.supplemental-metadata${n}.json`,
    'counter-supplemental': `${base}${n}.supplemental-metadata.json`,
  }[style];
  return truncateJsonName(name);
}

export interface LatLon {
  latitude: number;
  longitude: number;
}

export interface SidecarSpec {
  title: string;
  /** ISO instant; '0' writes timestamp "0"; null leaves photoTakenTime out. */
  taken: string | null;
  /** Write photoTakenTime.timestamp as a JSON number instead of a string. */
  takenAsNumber?: boolean;
  /** geoData; 'zero' writes 0,0; absent writes 0,0 as Google does. */
  geo?: LatLon | 'zero';
  geoExif?: LatLon | 'zero';
  /** Write latitude/longitude/altitude as strings. */
  numbersAsStrings?: boolean;
  description?: string;
  favorited?: boolean;
  archived?: boolean;
  trashed?: boolean;
  inLockedFolder?: boolean;
  people?: string[];
  /** Unknown keys, merged last. */
  extra?: Record<string, unknown>;
}

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** Google's `formatted`, e.g. 'Oct 6, 2023, 6:30:00 AM UTC'. */
export function formatted(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (v: number): string => String(v).padStart(2, '0');
  const clock = `${String(h % 12 === 0 ? 12 : h % 12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const month = MONTHS[d.getUTCMonth()] ?? '';
  return `${month} ${String(d.getUTCDate())}, ${String(d.getUTCFullYear())}, ${clock} ${h < 12 ? 'AM' : 'PM'} UTC`;
}

function timestamp(ms: number): { timestamp: string; formatted: string } {
  return { timestamp: String(Math.floor(ms / 1000)), formatted: formatted(ms) };
}

function geo(value: LatLon | 'zero' | undefined, asStrings: boolean): Record<string, unknown> {
  const { latitude, longitude } = value === undefined || value === 'zero' ? ZERO : value;
  const altitude = value === undefined || value === 'zero' ? 0 : 12.5;
  const out = { latitude, longitude, altitude, latitudeSpan: 0, longitudeSpan: 0 };
  if (!asStrings) return out;
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, String(v)]));
}

const ZERO: LatLon = { latitude: 0, longitude: 0 };

/** Upload time used in every sidecar (Google's creationTime). */
export const UPLOADED_AT = Date.parse('2024-02-03T04:05:06Z');

/** A photo's sidecar JSON text, in Google's key order. */
export function photoSidecar(spec: SidecarSpec): string {
  const numbers = spec.numbersAsStrings ?? false;
  const json: Record<string, unknown> = {
    title: spec.title,
    description: spec.description ?? '',
    imageViews: '3',
    creationTime: timestamp(UPLOADED_AT),
  };
  if (spec.taken === '0') json.photoTakenTime = { timestamp: '0', formatted: formatted(0) };
  else if (spec.taken !== null) {
    const ms = Date.parse(spec.taken);
    const t = timestamp(ms);
    json.photoTakenTime = spec.takenAsNumber ? { ...t, timestamp: Math.floor(ms / 1000) } : t;
  }
  json.geoData = geo(spec.geo, numbers);
  json.geoDataExif = geo(spec.geoExif, numbers);
  if (spec.people) json.people = spec.people.map((name) => ({ name }));
  json.url = 'https://photos.google.com/photo/AF1QipSyntheticTakeoutExport';
  json.googlePhotosOrigin = {
    mobileUpload: { deviceFolder: { localFolderName: '' }, deviceType: 'ANDROID_PHONE' },
  };
  if (spec.favorited) json.favorited = true;
  if (spec.archived) json.archived = true;
  if (spec.trashed) json.trashed = true;
  if (spec.inLockedFolder) json.inLockedFolder = true;
  return JSON.stringify({ ...json, ...spec.extra }, null, 2);
}

/** The three generations of album metadata files. */
export type AlbumGeneration = 'albumData' | 'full' | 'title-only';

export function albumMetadata(gen: AlbumGeneration, title: string, description = ''): string {
  const full = {
    title,
    description,
    access: 'protected',
    date: timestamp(UPLOADED_AT),
    location: '',
    geoData: geo('zero', false),
  };
  const json = gen === 'albumData' ? { albumData: full } : gen === 'full' ? full : { title };
  return JSON.stringify(json, null, 2);
}
