import type { AssetRow } from '../../db/db.types.js';
import { offsetText } from './export.xmp.js';

/** The version of the export format (docs/export-format.md); raised on any incompatible change. */
export const exportFormatVersion = 1;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Where an asset's files are in the export, relative to its root folder. */
export interface AssetPaths {
  original: string | null;
  motion: string | null;
  thumbnail: string | null;
  xmp: string;
}

export interface AssetRelations {
  albums: { id: string; title: string; ownedByYou: boolean }[];
  shareLinkIds: string[];
}

/**
 * Everything held about one asset, in the shape an importer needs to recreate it: the file
 * and its checksum, the capture instant with its wall clock, offset and source, the place with
 * its source, the states (favourite, archive, locked folder, trash), description, albums.
 */
export function assetDocument(asset: AssetRow, paths: AssetPaths, relations: AssetRelations) {
  return {
    format: 'pixelunion.asset',
    version: exportFormatVersion,
    id: asset.id,
    type: asset.type,
    status: asset.status,
    error: asset.error,
    file: {
      path: paths.original,
      originalFileName: asset.original_file_name,
      mimeType: asset.mime_type,
      format: asset.format,
      size: asset.file_size,
      sha1: asset.checksum,
      createdAt: iso(asset.file_created_at),
      modifiedAt: iso(asset.file_modified_at),
    },
    motion:
      asset.motion_file_size === null
        ? null
        : { path: paths.motion, mimeType: asset.motion_mime_type, size: asset.motion_file_size },
    sidecars: { xmp: paths.xmp, thumbnail: paths.thumbnail },
    uploadedAt: new Date(asset.uploaded_at).toISOString(),
    uploadedViaShareLinkId: asset.uploaded_via_link_id,
    date: {
      takenAt: new Date(asset.taken_at).toISOString(),
      localDateTime: asset.local_date_time,
      utcOffsetMinutes: asset.utc_offset_minutes,
      utcOffset: asset.utc_offset_minutes === null ? null : offsetText(asset.utc_offset_minutes),
      source: asset.date_source,
    },
    location:
      asset.latitude === null || asset.longitude === null
        ? null
        : {
            latitude: asset.latitude,
            longitude: asset.longitude,
            altitude: asset.altitude,
            source: asset.location_source ?? 'exif',
          },
    camera: {
      make: asset.make,
      model: asset.model,
      lensModel: asset.lens_model,
      exposureTime: asset.exposure_time,
      fNumber: asset.f_number,
      focalLength: asset.focal_length,
      iso: asset.iso,
    },
    image: {
      width: asset.width,
      height: asset.height,
      orientation: asset.orientation,
      durationSeconds: asset.duration_seconds,
      thumbhash: asset.thumbhash,
    },
    description: asset.description,
    isFavorite: asset.is_favorite === 1,
    visibility: asset.visibility,
    isArchived: asset.visibility === 'archive',
    isLocked: asset.visibility === 'locked',
    isTrashed: asset.trashed_at !== null,
    trashedAt: iso(asset.trashed_at),
    albums: relations.albums,
    shareLinkIds: relations.shareLinkIds,
  };
}
export type AssetDocument = ReturnType<typeof assetDocument>;

/** JSON as written into the export: two-space indented, with a final newline. */
export const jsonBytes = (value: unknown): Buffer =>
  Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

export { iso as isoOrNull };
