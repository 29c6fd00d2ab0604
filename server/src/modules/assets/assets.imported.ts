import type { AssetVisibility, NewAsset } from '../../db/db.types.js';
import { bucketOf, instantOfLocal, localDateTimeOf } from './asset-dates.js';

/** What an import (a Google Takeout sidecar, its folder) knows of a file beyond its bytes. */
export interface ImportedFacts {
  /** The capture instant (ms): EXIF may still add the local time and offset, never move it. */
  takenAt?: number;
  /** A date to keep only when the file itself has none, e.g. the year of a Takeout folder. */
  fallback?: { localDateTime: string; source: string };
  location?: { latitude: number; longitude: number; altitude: number | null };
  description?: string;
  isFavorite?: boolean;
  visibility?: AssetVisibility;
  trashed?: boolean;
}

type DateColumns = Pick<
  NewAsset,
  'taken_at' | 'local_date_time' | 'utc_offset_minutes' | 'date_source' | 'bucket'
>;

/** The date columns of a new asset: an import's instant, else the file time, else a fallback. */
export function initialDate(
  facts: ImportedFacts | undefined,
  fileTime: Date | undefined,
  now: number,
): DateColumns {
  const at = (instant: number, local: string, source: string): DateColumns => ({
    taken_at: instant,
    local_date_time: local,
    utc_offset_minutes: null,
    date_source: source,
    bucket: bucketOf(local),
  });
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
    trashed_at: facts?.trashed ? now : null,
    description: facts?.description ?? null,
    ...(location
      ? {
          latitude: location.latitude,
          longitude: location.longitude,
          altitude: location.altitude,
          location_source: 'takeout-json',
        }
      : {}),
  };
}
