// Collects the entries of an export and the expected outcome of each, case by case.
import type { ExifSpec, MediaMaker } from './export.media.js';
import {
  photoSidecar,
  sidecarName,
  type LatLon,
  type SidecarSpec,
  type SidecarStyle,
} from './export.sidecar.js';
import type {
  EntryContent,
  ExpectedAlbum,
  ExpectedAsset,
  ExpectedOther,
  PlannedEntry,
} from './export.types.js';

/** The localised root folder of each part (a real export uses one language; importers must cope). */
export const ROOTS = ['Takeout/Google Photos', 'Takeout/Google Fotos', 'Takeout/Google Фото'];

export type Dates = Pick<
  ExpectedAsset,
  'takenAt' | 'localDateTime' | 'utcOffsetMinutes' | 'dateSource'
>;

const MINUTE = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const wall = (ms: number): string => iso(ms).slice(0, 19);
/** '2021:06:01 14:00:00' → '2021-06-01T14:00:00' */
const exifWall = (v: string): string => v.replace(/^(\d{4}):(\d{2}):(\d{2}) /, '$1-$2-$3T');

export function parseOffset(v: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(v);
  if (!m) throw new Error(`bad offset ${v}`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** The sidecar's instant, with the local time and offset the file's EXIF gives (see the brief). */
export function jsonDates(instant: string, exif?: ExifSpec): Dates {
  const ms = Date.parse(instant);
  const utc: Dates = {
    takenAt: iso(ms),
    localDateTime: wall(ms),
    utcOffsetMinutes: null,
    dateSource: 'takeout-json',
  };
  if (!exif?.dateTimeOriginal) return utc;
  if (exif.offset) {
    const offset = parseOffset(exif.offset);
    return { ...utc, localDateTime: wall(ms + offset * MINUTE), utcOffsetMinutes: offset };
  }
  const local = exifWall(exif.dateTimeOriginal);
  const offset = Math.round((Date.parse(`${local}Z`) - ms) / (15 * MINUTE)) * 15;
  if (Math.abs(offset) > 14 * 60) return utc;
  return { ...utc, localDateTime: local, utcOffsetMinutes: offset };
}

/** No usable sidecar date: EXIF with its offset, or its wall clock read as UTC. */
export function exifDates(exif: ExifSpec): Dates {
  if (!exif.dateTimeOriginal) throw new Error('exifDates needs a date');
  const local = exifWall(exif.dateTimeOriginal);
  const offset = exif.offset ? parseOffset(exif.offset) : null;
  return {
    takenAt: iso(Date.parse(`${local}Z`) - (offset ?? 0) * MINUTE),
    localDateTime: local,
    utcOffsetMinutes: offset,
    dateSource: 'exif',
  };
}

/**
 * A date from the file name. A Pixel name holds the UTC instant (exact), but not the zone it was
 * taken in: the offset stays unknown (null) unless something else tells it, as media.capture.ts does.
 */
export function nameDates(local: string): Dates {
  return {
    takenAt: iso(Date.parse(`${local}Z`)),
    localDateTime: local.slice(0, 19),
    utcOffsetMinutes: null,
    dateSource: 'filename',
  };
}

export function folderYearDates(year: number): Dates {
  const local = `${String(year)}-01-01T00:00:00`;
  return {
    takenAt: iso(Date.parse(`${local}Z`)),
    localDateTime: local,
    utcOffsetMinutes: null,
    dateSource: 'folder-year',
  };
}

export type AssetInput = Pick<ExpectedAsset, 'key' | 'paths'> &
  Dates &
  Partial<Omit<ExpectedAsset, 'key' | 'paths' | keyof Dates>>;

export interface AlbumInput {
  title: string;
  description: string | null;
}

export class ExportBuilder {
  readonly entries: PlannedEntry[] = [];
  readonly assets: ExpectedAsset[] = [];
  readonly others: ExpectedOther[] = [];
  readonly notes: string[] = [];
  private readonly albums: AlbumInput[] = [];

  constructor(
    readonly partCount: number,
    readonly format: 'zip' | 'tgz',
    readonly media: MediaMaker,
  ) {}

  part(n: number): number {
    return n % this.partCount;
  }

  /** The archive path of `rel` under the root folder of part `n`. */
  path(n: number, rel: string): string {
    return `${ROOTS[this.part(n) % ROOTS.length] ?? ''}/${rel}`;
  }

  /** Adds `rel` (under the part's root) to part `n`; returns its archive path. */
  file(n: number, rel: string, data: Buffer | string): string {
    const path = this.path(n, rel);
    this.raw(n, path, { kind: 'bytes', data: typeof data === 'string' ? Buffer.from(data) : data });
    return path;
  }

  /** Adds an entry with an exact archive path. */
  raw(n: number, path: string, content: EntryContent): string {
    if (this.entries.some((e) => e.path === path)) throw new Error(`duplicate entry ${path}`);
    this.entries.push({ part: this.part(n), path, content });
    return path;
  }

  /** Writes the sidecar of `dir/mediaName` to part `n`; returns its archive path. */
  sidecar(
    n: number,
    dir: string,
    mediaName: string,
    spec: SidecarSpec,
    style: SidecarStyle = 'json',
  ): string {
    return this.file(n, `${dir}/${sidecarName(mediaName, style)}`, photoSidecar(spec));
  }

  asset(input: AssetInput): ExpectedAsset {
    if (this.assets.some((a) => a.key === input.key)) throw new Error(`duplicate key ${input.key}`);
    const asset: ExpectedAsset = {
      type: 'image',
      format: 'jpeg',
      location: null,
      locationSource: null,
      description: null,
      favorite: false,
      archived: false,
      trashed: false,
      locked: false,
      albums: [],
      ...input,
    };
    this.assets.push(asset);
    return asset;
  }

  other(other: ExpectedOther): void {
    this.others.push(other);
  }

  album(title: string, description: string | null): void {
    this.albums.push({ title, description });
  }

  /** The albums with their members, from the assets' `albums`. */
  expectedAlbums(): ExpectedAlbum[] {
    for (const a of this.assets) {
      for (const title of a.albums) {
        if (!this.albums.some((al) => al.title === title)) throw new Error(`no album ${title}`);
      }
    }
    return this.albums.map((al) => ({
      ...al,
      members: this.assets.filter((a) => a.albums.includes(al.title)).map((a) => a.key),
    }));
  }
}

/** Location expectations. */
export const fromJson = (l: LatLon): Pick<ExpectedAsset, 'location' | 'locationSource'> => ({
  location: { latitude: l.latitude, longitude: l.longitude },
  locationSource: 'takeout-json',
});
export const fromExif = (l: LatLon): Pick<ExpectedAsset, 'location' | 'locationSource'> => ({
  location: { latitude: l.latitude, longitude: l.longitude },
  locationSource: 'exif',
});
