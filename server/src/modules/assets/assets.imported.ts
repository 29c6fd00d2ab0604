import type { AssetVisibility, NewAsset } from '../../db/db.types.js';
import { bucketOf, instantOfLocal, localDateTimeOf } from './asset-dates.js';

/** The date of an asset as another PixelUnion held it: instant, wall clock, offset and source. */
export interface ExactDate {
  takenAt: number;
  localDateTime: string;
  utcOffsetMinutes: number | null;
  source: string;
}

/**
 * What an import (a Google Takeout sidecar and its folder, a PixelUnion export's JSON) knows of
 * a file beyond its bytes.
 */
export interface ImportedFacts {
  /** The capture instant (ms): EXIF may still add the local time and offset, never move it. */
  takenAt?: number;
  /** The whole date, kept as it is (wins over `takenAt`). */
  date?: ExactDate;
  /** A date to keep only when the file itself has none, e.g. the year of a Takeout folder. */
  fallback?: { localDateTime: string; source: string };
  /** `source` defaults to 'takeout-json'. */
  location?: { latitude: number; longitude: number; altitude: number | null; source?: string };
  description?: string;
  isFavorite?: boolean;
  visibility?: AssetVisibility;
  trashed?: boolean;
  /** When it was put in the trash (ms); implies `trashed`. */
  trashedAt?: number;
  /**
   * The date, place and description are final (a PixelUnion export held them): the metadata job
   * then reads only the camera fields and dimensions from the file, and an absent place or
   * description stays absent.
   */
  keep?: boolean;
  /** The SHA-1 (hex) the bytes must have: other bytes are refused (see AssetsService.ingest). */
  sha1?: string;
}

type DateColumns = Pick<
  NewAsset,
  'taken_at' | 'local_date_time' | 'utc_offset_minutes' | 'date_source' | 'bucket'
>;

/** The date columns of a new asset: an import's date or instant, else the file time, else a fallback. */
export function initialDate(
  facts: ImportedFacts | undefined,
  fileTime: Date | undefined,
  now: number,
): DateColumns {
  const at = (
    instant: number,
    local: string,
    source: string,
    offset: number | null = null,
  ): DateColumns => ({
    taken_at: instant,
    local_date_time: local,
    utc_offset_minutes: offset,
    date_source: source,
    bucket: bucketOf(local),
  });
  const date = facts?.date;
  if (date) return at(date.takenAt, date.localDateTime, date.source, date.utcOffsetMinutes);
  if (facts?.takenAt !== undefined) {
    const instant = new Date(facts.takenAt);
    return at(facts.takenAt, localDateTimeOf(instant, null), 'takeout-json');
  }
  if (fileTime) return at(fileTime.getTime(), localDateTimeOf(fileTime, null), 'file-time');
  const fallback = facts?.fallback;
  const fallbackInstant = fallback && instantOfLocal(fallback.localDateTime, null);
  if (fallback && fallbackInstant) {
    return at(fallbackInstant.getTime(), fallback.localDateTime, fallback.source);
  }
  return at(now, localDateTimeOf(new Date(now), null), 'upload-time');
}

/** The place, description and states an import gives a new asset. */
export function importedColumns(
  facts: ImportedFacts | undefined,
  now: number,
): Partial<NewAsset> & Pick<NewAsset, 'visibility' | 'is_favorite'> {
  const location = facts?.location;
  return {
    visibility: facts?.visibility ?? 'timeline',
    is_favorite: facts?.isFavorite ? 1 : 0,
    trashed_at: facts?.trashedAt ?? (facts?.trashed ? now : null),
    description: facts?.description ?? null,
    keep_imported_facts: facts?.keep ? 1 : 0,
    ...(location
      ? {
          latitude: location.latitude,
          longitude: location.longitude,
          altitude: location.altitude,
          location_source: location.source ?? 'takeout-json',
        }
      : {}),
  };
}
