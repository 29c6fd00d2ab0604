// The expected outcome of importing a synthetic Google Takeout export (see export.ts).

export type DateSource = 'takeout-json' | 'exif' | 'filename' | 'folder-year';

export interface ExpectedAsset {
  /** A name for the case, e.g. 'counter-moved (1)'. */
  key: string;
  /** Archive entry paths whose bytes are this asset (identical bytes): the importer imports one and reports the others as duplicates. */
  paths: string[];
  type: 'image' | 'video';
  /** What the content really is: 'jpeg' | 'png' | 'mp4' | 'mov' … (as media.sniff.ts names it). */
  format: string;
  /** Expected capture instant, ISO 8601 UTC with 'Z' (always with milliseconds). */
  takenAt: string;
  /** 'YYYY-MM-DDTHH:mm:ss' wall clock where taken (second precision: compare the first 19 characters). */
  localDateTime: string;
  utcOffsetMinutes: number | null;
  dateSource: DateSource;
  /** Compare with a tolerance of 1e-6 (EXIF stores rationals). */
  location: { latitude: number; longitude: number } | null;
  locationSource: 'takeout-json' | 'exif' | null;
  description: string | null;
  favorite: boolean;
  archived: boolean;
  trashed: boolean;
  locked: boolean;
  /** Titles of the albums it must be in. */
  albums: string[];
  /** Live photo: the archive path of its motion part (not a separate asset). */
  motionPath?: string;
  /** Names in the sidecar's `people` (informative: not every importer keeps them). */
  people?: string[];
}

export interface ExpectedOther {
  path: string;
  outcome: 'ignored' | 'refused' | 'skipped';
  /** A word the importer's message should contain, e.g. 'symbolic link', '..', 'absolute', 'ratio', 'not a photo'. */
  reason: string;
}

export interface ExpectedAlbum {
  title: string;
  description: string | null;
  /** Asset keys. */
  members: string[];
}

export interface GeneratedExport {
  /** Absolute paths of the written part files, in order. */
  parts: string[];
  assets: ExpectedAsset[];
  others: ExpectedOther[];
  albums: ExpectedAlbum[];
  /** What differs between formats or is deliberately left out (e.g. no zip bomb in a tgz). */
  notes: string[];
}

export interface GenerateOptions {
  dir: string;
  format: 'zip' | 'tgz';
  parts: number;
  seed?: number;
}

/** The bytes of one archive entry. */
export type EntryContent =
  | { kind: 'bytes'; data: Buffer }
  /** `size` zero bytes, streamed (never held in memory). */
  | { kind: 'zeros'; size: number }
  | { kind: 'symlink'; target: string };

/** One entry of one part, in writing order. */
export interface PlannedEntry {
  /** 0-based part index (already reduced modulo the part count). */
  part: number;
  /** The exact archive path (may be unsafe: '..', absolute). */
  path: string;
  content: EntryContent;
}
