import type { ShareLinkGrant } from '../../access/access.service.js';
import type { AssetRow, ShareLinkRow } from '../../db/db.types.js';

export type LinkStatus = 'active' | 'expired' | 'revoked' | 'exhausted';

export interface ShareLinkView {
  id: string;
  key: string;
  /** The public page's path; the web app prefixes its own origin. */
  path: string;
  albumId: string | null;
  /** The chosen assets of a link that shares a selection; empty for an album link. */
  assetIds: string[];
  label: string | null;
  description: string | null;
  hasPassword: boolean;
  expiresAt: string | null;
  maxViews: number | null;
  viewCount: number;
  allowDownload: boolean;
  allowUpload: boolean;
  showMetadata: boolean;
  status: LinkStatus;
  revokedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An asset as a link's visitor sees it: metadata only when the owner chose to show it. */
export interface PublicAsset {
  id: string;
  type: 'image' | 'video';
  mimeType: string;
  width: number | null;
  height: number | null;
  localDateTime: string;
  durationSeconds: number | null;
  thumbhash: string | null;
  hasThumbnail: boolean;
  metadata: {
    originalFileName: string;
    takenAt: string;
    latitude: number | null;
    longitude: number | null;
    altitude: number | null;
    make: string | null;
    model: string | null;
    lensModel: string | null;
    exposureTime: string | null;
    fNumber: number | null;
    focalLength: number | null;
    iso: number | null;
    description: string | null;
  } | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toGrant(row: ShareLinkRow): ShareLinkGrant {
  return {
    id: row.id,
    ownerId: row.owner_id,
    albumId: row.album_id,
    hasPassword: row.password_hash !== null,
    expiresAt: row.expires_at,
    maxViews: row.max_views,
    viewCount: row.view_count,
    revokedAt: row.revoked_at,
    allowDownload: row.allow_download === 1,
    allowUpload: row.allow_upload === 1,
  };
}

export function linkStatus(row: ShareLinkRow, now = Date.now()): LinkStatus {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  if (row.max_views !== null && row.view_count >= row.max_views) return 'exhausted';
  return 'active';
}

export function toLinkView(row: ShareLinkRow, assetIds: string[]): ShareLinkView {
  return {
    id: row.id,
    key: row.key,
    path: `/s/${row.key}`,
    albumId: row.album_id,
    assetIds,
    label: row.label,
    description: row.description,
    hasPassword: row.password_hash !== null,
    expiresAt: iso(row.expires_at),
    maxViews: row.max_views,
    viewCount: row.view_count,
    allowDownload: row.allow_download === 1,
    allowUpload: row.allow_upload === 1,
    showMetadata: row.show_metadata === 1,
    status: linkStatus(row),
    revokedAt: iso(row.revoked_at),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export function toPublicAsset(a: AssetRow, showMetadata: boolean): PublicAsset {
  return {
    id: a.id,
    type: a.type,
    mimeType: a.mime_type,
    width: a.width,
    height: a.height,
    localDateTime: a.local_date_time,
    durationSeconds: a.duration_seconds,
    thumbhash: a.thumbhash,
    hasThumbnail: a.has_thumbnail === 1,
    metadata: showMetadata
      ? {
          originalFileName: a.original_file_name,
          takenAt: new Date(a.taken_at).toISOString(),
          latitude: a.latitude,
          longitude: a.longitude,
          altitude: a.altitude,
          make: a.make,
          model: a.model,
          lensModel: a.lens_model,
          exposureTime: a.exposure_time,
          fNumber: a.f_number,
          focalLength: a.focal_length,
          iso: a.iso,
          description: a.description,
        }
      : null,
  };
}
