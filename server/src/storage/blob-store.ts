import type { Readable } from 'node:stream';

export interface ByteRange {
  start: number;
  /** Inclusive, as in HTTP Range. */
  end: number;
}

/**
 * Where originals and derived files live. Keys are relative paths such as
 * `originals/<owner>/<asset>`; implementations must reject keys that escape their root.
 */
export interface BlobStore {
  /** Human-readable place of the data, shown on the privacy page. */
  readonly location: string;
  /** Moves (or uploads) a finished local file into the store under `key`; the local file is gone after. */
  putFile(key: string, localPath: string): Promise<void>;
  read(key: string, range?: ByteRange): Readable;
  size(key: string): Promise<number | null>;
  /** A local path for tools that need a file (exiftool, ffmpeg); `release` removes any copy. */
  localFile(key: string): Promise<{ path: string; release(): Promise<void> }>;
  delete(key: string): Promise<void>;
  /** Every key under a prefix: for erasure checks and orphan sweeps. */
  list(prefix: string): AsyncIterable<string>;
  /** As `list`, with each blob's size: one listing instead of a `size` call per blob. */
  listWithSizes(prefix: string): AsyncIterable<StoredBlob>;
}

export interface StoredBlob {
  key: string;
  /** In bytes. */
  size: number;
}

export const blobKeys = {
  original: (ownerId: string, assetId: string) => `originals/${ownerId}/${assetId}`,
  thumbnail: (ownerId: string, assetId: string) => `thumbnails/${ownerId}/${assetId}.webp`,
  preview: (ownerId: string, assetId: string) => `previews/${ownerId}/${assetId}.jpg`,
  /** Made on first view, for originals browsers cannot draw (see AssetsService.openFile). */
  fullsize: (ownerId: string, assetId: string) => `fullsize/${ownerId}/${assetId}.jpg`,
  /** The original without location, camera and personal metadata, for share links. */
  stripped: (ownerId: string, assetId: string) => `stripped/${ownerId}/${assetId}`,
  /** A live photo's video part (an iPhone's MOV beside its still, a Pixel's .MP file). */
  motion: (ownerId: string, assetId: string) => `motion/${ownerId}/${assetId}`,
  /**
   * The bytes of a resumable (tus) upload received from `offset` by one request, kept in the
   * store when it is object storage, so that any api process can take the next chunk.
   */
  uploadChunk: (ownerId: string, uploadId: string, offset: number | string) =>
    `uploads/${ownerId}/${uploadId}/${String(offset).padStart(16, '0')}`,
  /** One uploaded part (zip or tgz) of a Google Takeout or PixelUnion export being imported. */
  takeoutPart: (ownerId: string, importId: string, partId: string) =>
    `takeout/${ownerId}/${importId}/${partId}`,
};
