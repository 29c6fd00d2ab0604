export interface User {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  quotaBytes: number | null;
  createdAt: string;
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
}

export interface AlbumSummary {
  id: string;
  title: string;
  assetCount: number;
  coverAssetId: string | null;
  startDate: string | null;
  endDate: string | null;
}

export interface Album {
  id: string;
  title: string;
  description: string | null;
  assetIds: string[];
}
