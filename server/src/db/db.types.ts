import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types shared by both dialects. Timestamps are epoch milliseconds and flags are 0/1
 * integers so that SQLite and PostgreSQL return the same JavaScript values.
 */
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_admin: number;
  quota_bytes: number | null;
  created_at: number;
  erasure_requested_at: number | null;
  erasure_due_at: number | null;
  erasure_receipt_hash: string | null;
  strip_location: Generated<number>;
}

/** What an erasure removed and when; nothing in it identifies the erased user. */
export interface ErasureReceiptsTable {
  id: string;
  token_hash: string;
  requested_at: number | null;
  erased_at: number;
  erased_by: 'user' | 'admin';
  /** JSON: counts of what was deleted, by kind. */
  summary: string;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  key_hash: string;
  created_at: number;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

export type AssetStatus = 'processing' | 'ready' | 'unreadable';
export type AssetVisibility = 'timeline' | 'archive' | 'locked';

export interface AssetsTable {
  id: string;
  owner_id: string;
  type: 'image' | 'video';
  format: string;
  mime_type: string;
  status: AssetStatus;
  error: string | null;
  original_file_name: string;
  file_size: number;
  checksum: string;
  file_created_at: number | null;
  file_modified_at: number | null;
  uploaded_at: number;
  taken_at: number;
  local_date_time: string;
  utc_offset_minutes: number | null;
  date_source: string;
  bucket: string;
  latitude: number | null;
  longitude: number | null;
  altitude: number | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  make: string | null;
  model: string | null;
  lens_model: string | null;
  exposure_time: string | null;
  f_number: number | null;
  focal_length: number | null;
  iso: number | null;
  duration_seconds: number | null;
  description: string | null;
  is_favorite: number;
  visibility: AssetVisibility;
  trashed_at: number | null;
  thumbhash: string | null;
  has_thumbnail: number;
  /** Set when a visitor uploaded it through a share link of the owner. */
  uploaded_via_link_id: Generated<string | null>;
  /** A live photo's motion part (blobKeys.motion), when it has one. */
  motion_file_size: Generated<number | null>;
  motion_mime_type: Generated<string | null>;
  /** 'takeout-json' when an import's sidecar gave the place (EXIF then never overrides it). */
  location_source: Generated<string | null>;
  /** 1: an import gave the date, place and description exactly (a PixelUnion export); kept. */
  keep_imported_facts: Generated<number>;
}

/** Per owner, month and category: how many assets the timeline shows. Kept by the assets repo. */
export interface TimelineBucketsTable {
  owner_id: string;
  bucket: string;
  category: string;
  count: number;
}

/** `held`: committed with its rows but not to run until released (see JobQueue.enqueue). */
export type JobStatus = 'held' | 'waiting' | 'active' | 'completed' | 'failed';

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_after: number;
  locked_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  /** When a queue engine's relay last saw the job in the engine; null until handed over. */
  relayed_at: number | null;
}

/** When a periodic task is next due, whichever worker process runs it. */
export interface PeriodicRunsTable {
  name: string;
  next_run_at: number;
}

/** A tus upload: received bytes are in `<dataDir>/tmp/resumable/<id>` until the asset is made. */
export interface ResumableUploadsTable {
  id: string;
  owner_id: string;
  upload_length: number;
  upload_offset: number;
  filename: string;
  file_created_at: number | null;
  file_modified_at: number | null;
  /** Held by the request that is writing (or finishing) the upload; stale after a while. */
  lock_token: string | null;
  locked_at: number | null;
  /** Set once the finished file was ingested; the row is then kept only to answer HEAD. */
  asset_id: string | null;
  asset_status: 'created' | 'duplicate' | 'takeout-part' | null;
  created_at: number;
  expires_at: number;
  /** A part of this Google Takeout import: finished, it joins the import instead of the library. */
  takeout_import_id: Generated<string | null>;
}

export interface AlbumsTable {
  id: string;
  owner_id: string;
  title: string;
  description: string | null;
  cover_asset_id: string | null;
  sort_order: Generated<'asc' | 'desc'>;
  created_at: number;
  updated_at: number;
}

export interface AlbumAssetsTable {
  album_id: string;
  asset_id: string;
  added_by: string;
  added_at: number;
}

export type AlbumRole = 'viewer' | 'editor';

export interface AlbumMembersTable {
  album_id: string;
  user_id: string;
  role: AlbumRole;
  added_at: number;
}

/** A share link: of an album (album_id) or of a chosen set of assets (share_link_assets). */
export interface ShareLinksTable {
  id: string;
  owner_id: string;
  album_id: string | null;
  /** Kept so the owner can copy the link again; lookups go through key_hash. */
  key: string;
  key_hash: string;
  password_hash: string | null;
  expires_at: number | null;
  max_views: number | null;
  view_count: Generated<number>;
  allow_download: number;
  allow_upload: number;
  show_metadata: number;
  description: string | null;
  label: string | null;
  revoked_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ShareLinkAssetsTable {
  link_id: string;
  asset_id: string;
}

export interface ShareLinkPassesTable {
  token_hash: string;
  link_id: string;
  unlocked: number;
  viewed: number;
  created_at: number;
  expires_at: number;
}

export type ShareLinkEventKind = 'view' | 'download' | 'upload' | 'password_failed';

export interface ShareLinkEventsTable {
  id: string;
  link_id: string;
  kind: ShareLinkEventKind;
  at: number;
  /** Coarse: browser, system and a shortened address; never a full IP address. */
  client: string;
  asset_id: string | null;
}

export type TakeoutImportStatus =
  'uploading' | 'queued' | 'indexing' | 'matching' | 'importing' | 'done' | 'failed' | 'cancelled';

export type TakeoutImportSource = 'google-takeout' | 'pixelunion';

export interface TakeoutImportsTable {
  id: string;
  owner_id: string;
  /** What the archives are, detected when they are indexed. */
  source: Generated<TakeoutImportSource>;
  status: TakeoutImportStatus;
  error: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** An uploaded archive part; its bytes are in the blob store (`blobKeys.takeoutPart`) until the end. */
export interface TakeoutPartsTable {
  id: string;
  import_id: string;
  file_name: string;
  size: number;
  status: 'uploaded' | 'indexed' | 'failed';
  format: string | null;
  error: string | null;
  created_at: number;
}

export type TakeoutEntryRole = 'media' | 'sidecar' | 'album-meta' | 'ignored' | 'refused';
export type TakeoutOutcome =
  'imported' | 'duplicate' | 'motion' | 'skipped' | 'failed' | 'ignored' | 'refused';

/** One entry of one part: what the index phase saw, the match found and the import did. */
export interface TakeoutEntriesTable {
  id: Generated<number>;
  import_id: string;
  part_id: string;
  entry_index: number;
  path: string;
  folder: string;
  name: string;
  size: number;
  role: TakeoutEntryRole;
  /** For sidecars and album metadata: the parsed JSON (takeout.sidecar.ts's Sidecar). */
  sidecar: string | null;
  sidecar_entry_id: number | null;
  match_how: string | null;
  /** For a live photo's motion file: the entry of its still. */
  motion_of_entry_id: number | null;
  outcome: TakeoutOutcome | null;
  detail: string | null;
  asset_id: string | null;
}

export interface TakeoutAlbumsTable {
  import_id: string;
  folder: string;
  title: string;
  description: string | null;
  album_id: string | null;
}

export type ExportStatus = 'queued' | 'building' | 'ready' | 'failed';

/** A full export of one user's library (export.builder.ts); expires at `expires_at`. */
export interface ExportsTable {
  id: string;
  owner_id: string;
  status: ExportStatus;
  error: string | null;
  /** The folder every path in the zips starts with: `PixelUnion export <date>`. */
  root: string;
  part_size: number;
  asset_count: number;
  assets_done: number;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  expires_at: number;
}

export interface ExportPartsTable {
  export_id: string;
  part: number;
  size: number;
  entry_count: number;
}

/** One file of an export's zips: its path there and the blob its bytes are read from. */
export interface ExportEntriesTable {
  export_id: string;
  seq: number;
  asset_id: string | null;
  kind: 'original' | 'motion' | 'json' | 'xmp' | 'thumbnail' | 'file';
  part: number | null;
  path: string;
  blob_key: string;
  size: number;
  crc32: number;
  modified_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  rate_limits: RateLimitsTable;
  assets: AssetsTable;
  timeline_buckets: TimelineBucketsTable;
  jobs: JobsTable;
  periodic_runs: PeriodicRunsTable;
  albums: AlbumsTable;
  album_assets: AlbumAssetsTable;
  resumable_uploads: ResumableUploadsTable;
  album_members: AlbumMembersTable;
  share_links: ShareLinksTable;
  share_link_assets: ShareLinkAssetsTable;
  share_link_passes: ShareLinkPassesTable;
  share_link_events: ShareLinkEventsTable;
  takeout_imports: TakeoutImportsTable;
  takeout_parts: TakeoutPartsTable;
  takeout_entries: TakeoutEntriesTable;
  takeout_albums: TakeoutAlbumsTable;
  erasure_receipts: ErasureReceiptsTable;
  exports: ExportsTable;
  export_parts: ExportPartsTable;
  export_entries: ExportEntriesTable;
}

export type UserRow = Selectable<UsersTable>;
export type AssetRow = Selectable<AssetsTable>;
export type NewAsset = Insertable<AssetsTable>;
export type AssetUpdate = Updateable<AssetsTable>;
export type JobRow = Selectable<JobsTable>;
export type ResumableUploadRow = Selectable<ResumableUploadsTable>;
export type ShareLinkRow = Selectable<ShareLinksTable>;
export type ShareLinkEventRow = Selectable<ShareLinkEventsTable>;
export type TakeoutImportRow = Selectable<TakeoutImportsTable>;
export type TakeoutPartRow = Selectable<TakeoutPartsTable>;
export type TakeoutEntryRow = Selectable<TakeoutEntriesTable>;
export type NewTakeoutEntry = Insertable<TakeoutEntriesTable>;
export type ExportRow = Selectable<ExportsTable>;
export type ExportEntryRow = Selectable<ExportEntriesTable>;
