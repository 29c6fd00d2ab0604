export type AssetType = 'image' | 'video';

export interface MediaProbe {
  type: AssetType;
  /** 'jpeg'|'heic'|'png'|'webp'|'avif'|'tiff'|'gif'|'jxl'|'raw'|'mp4'|'mov'|'3gp'|'webm'|'mkv'|'avi'|'mts' */
  format: string;
  mimeType: string;
}

export type DateSource = 'exif' | 'quicktime' | 'xmp' | 'filename' | 'file-time' | 'none';

export interface ExtractedMetadata {
  /** The capture instant. When the offset is unknown: the local wall-clock read as UTC. */
  takenAt: Date | null;
  /** Wall-clock where taken, 'YYYY-MM-DDTHH:mm:ss' or with '.SSS'. */
  localDateTime: string | null;
  utcOffsetMinutes: number | null;
  dateSource: DateSource;
  latitude: number | null;
  longitude: number | null;
  altitude: number | null;
  /** After applying orientation (swapped for 5-8 and for 90°/270° video rotation). */
  width: number | null;
  height: number | null;
  /** 1..8 */
  orientation: number | null;
  make: string | null;
  model: string | null;
  lensModel: string | null;
  /** e.g. '1/125' */
  exposureTime: string | null;
  fNumber: number | null;
  focalLength: number | null;
  iso: number | null;
  durationSeconds: number | null;
  description: string | null;
  /** A video appended to a still (Google/Android motion photo); null for videos and plain files. */
  embeddedMotion: EmbeddedMotion | null;
}

/** Where a motion photo's video lies in the file: `length` bytes from `start`, up to the end. */
export interface EmbeddedMotion {
  start: number;
  length: number;
}

export interface ThumbnailResult {
  /** base64 */
  thumbhash: string;
  /** of the preview */
  width: number;
  height: number;
}

export interface ExtractHints {
  fileName: string;
  fileModifiedAt?: Date;
  fileCreatedAt?: Date;
}

export interface ThumbnailPaths {
  thumbnailPath: string;
  previewPath: string;
}

/** The file cannot be read or its pixels cannot be decoded; `reason` says why. */
export class MediaUnreadableError extends Error {
  constructor(public readonly reason: string) {
    super(`unreadable media: ${reason}`);
    this.name = 'MediaUnreadableError';
  }
}
