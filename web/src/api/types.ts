export interface User {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  quotaBytes: number | null;
  createdAt: string;
  /** New uploads lose their place (GPS and named places) before they are stored. */
  stripLocation: boolean;
}

export interface Usage {
  usedBytes: number;
  quotaBytes: number | null;
}

export type View = 'timeline' | 'archive' | 'trash' | 'favorites' | 'all';

export interface BucketSummary {
  bucket: string;
  count: number;
}

/** One month of the timeline, columnar: every array has one entry per asset, newest first. */
export interface BucketPage {
  bucket: string;
  ids: string[];
  types: ('image' | 'video')[];
  localDateTimes: string[];
  ratios: number[];
  thumbhashes: (string | null)[];
  durations: (number | null)[];
  favorites: boolean[];
}

export interface Asset {
  id: string;
  ownerId: string;
  type: 'image' | 'video';
  status: 'processing' | 'ready' | 'unreadable';
  error: string | null;
  originalFileName: string;
  format: string;
  mimeType: string;
  fileSize: number;
  checksum: string;
  takenAt: string;
  localDateTime: string;
  utcOffsetMinutes: number | null;
  latitude: number | null;
  longitude: number | null;
  altitude: number | null;
  width: number | null;
  height: number | null;
  make: string | null;
  model: string | null;
  lensModel: string | null;
  exposureTime: string | null;
  fNumber: number | null;
  focalLength: number | null;
  iso: number | null;
  durationSeconds: number | null;
  description: string | null;
  isFavorite: boolean;
  isArchived: boolean;
  isTrashed: boolean;
  thumbhash: string | null;
  hasThumbnail: boolean;
  /** A live photo: its video part is at /api/assets/:id/motion. */
  hasMotion: boolean;
}

export type AlbumRole = 'owner' | 'viewer' | 'editor';
export type MemberRole = 'viewer' | 'editor';

export interface AlbumSummary {
  id: string;
  ownerId: string;
  ownerName: string;
  /** The caller's role in the album. */
  role: AlbumRole;
  /** True when the album is someone else's, shared with the caller. */
  shared: boolean;
  memberCount: number;
  title: string;
  description: string | null;
  assetCount: number;
  coverAssetId: string | null;
  sortOrder: 'asc' | 'desc';
  startDate: string | null;
  endDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AlbumMember {
  userId: string;
  name: string;
  email: string;
  role: MemberRole;
  addedAt: string;
}

export interface AlbumItem {
  id: string;
  type: 'image' | 'video';
  ratio: number;
  thumbhash: string | null;
  durationSeconds: number | null;
}

export interface Album extends AlbumSummary {
  assetIds: string[];
  items: AlbumItem[];
  members: AlbumMember[];
}

export interface DirectoryUser {
  id: string;
  name: string;
  email: string;
}

export type LinkStatus = 'active' | 'expired' | 'revoked' | 'exhausted';

export interface ShareLink {
  id: string;
  key: string;
  /** /s/<key>: the public page (the web app prefixes its own origin). */
  path: string;
  albumId: string | null;
  /** The chosen assets; empty for an album link. */
  assetIds: string[];
  label: string | null;
  description: string | null;
  hasPassword: boolean;
  /** null: never expires. */
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

/** The options of a link as sent to POST/PATCH /api/shares; absent fields are left as they are. */
export interface LinkOptions {
  label?: string | null;
  description?: string | null;
  /** An ISO date in the future, or 'never'; absent on creation: the server's default. */
  expiresAt?: string;
  /** null removes the password. */
  password?: string | null;
  maxViews?: number | null;
  allowDownload?: boolean;
  allowUpload?: boolean;
  showMetadata?: boolean;
}

export interface LinkEvent {
  kind: 'view' | 'download' | 'upload' | 'password_failed';
  at: string;
  client: string;
  assetId: string | null;
}

export interface LinkUse {
  views: number;
  downloads: number;
  uploads: number;
  passwordFailures: number;
  lastUsedAt: string | null;
  events: LinkEvent[];
}

export interface PublicAssetMetadata {
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
  metadata: PublicAssetMetadata | null;
}

/** GET /api/s/:key: what a link shows. */
export interface LinkContent {
  type: 'album' | 'assets';
  title: string | null;
  description: string | null;
  ownerName: string;
  expiresAt: string | null;
  hasPassword: boolean;
  allowDownload: boolean;
  allowUpload: boolean;
  showMetadata: boolean;
  assets: PublicAsset[];
}
