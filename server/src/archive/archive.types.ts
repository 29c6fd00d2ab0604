import type { Readable } from 'node:stream';
import { ArchiveSourceError } from './archive.source.js';

export type ArchiveFormat = 'zip' | 'tgz' | 'tar';

export interface ArchiveEntry {
  /** The entry's path, '/'-separated, NFC-normalised, checked by safeEntryPath. */
  path: string;
  /** Uncompressed size as the archive declares it. */
  size: number;
  /**
   * Position of the entry in the archive, from 0, counting every entry (directories and refused
   * ones too), so that a later scan of the same file can recognise it.
   */
  index: number;
}

export interface ArchiveVisitor {
  /**
   * A regular file. Calling `open()` (at most once, and only before the returned promise settles)
   * gives a stream of its bytes, which the visitor must consume or destroy before resolving; not
   * calling it skips the entry cheaply.
   */
  file(entry: ArchiveEntry, open: () => Readable): Promise<void>;
  /** An entry refused for safety; the scan goes on with the next entry. `path` is the raw name as stored. */
  refused(entry: { path: string; index: number }, reason: string): Promise<void>;
}

export interface ArchiveLimits {
  /** More entries in one archive → ARCHIVE_BOMB (zip: before visiting any; tar: once passed). */
  maxEntries: number;
  /** A bigger entry is refused. */
  maxEntryBytes: number;
  /** Zip: an entry above this ratio (and above `ratioFloorBytes`) is refused; tgz: the whole gzip stream is watched → ARCHIVE_BOMB. */
  maxRatio: number;
  /** Below this many bytes the ratio is not judged: small files of zeros are normal. */
  ratioFloorBytes: number;
  /** Sum of declared sizes (zip) or of bytes read (tar) above it → ARCHIVE_BOMB. */
  maxTotalBytes: number;
}

const GiB = 1024 ** 3;

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 2_000_000,
  maxEntryBytes: 64 * GiB,
  maxRatio: 200,
  ratioFloorBytes: 64 * 1024 ** 2,
  maxTotalBytes: 4 * 1024 * GiB,
});

export type ArchiveErrorCode = 'ARCHIVE_CORRUPT' | 'ARCHIVE_BOMB' | 'ARCHIVE_UNSUPPORTED';

export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

/** What the readers share: the limits in force and the caller's abort signal. */
export interface ScanContext {
  limits: ArchiveLimits;
  signal: AbortSignal | undefined;
}

/** "80 GB", "1.5 MB": for refusal reasons a person reads (binary units, the usual labels). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${shown} ${units[unit] ?? 'bytes'}`;
}

/** The reason an entry of `size` bytes is refused, or undefined when it is within the limit. */
export function oversizeReason(size: number, limits: ArchiveLimits): string | undefined {
  if (size <= limits.maxEntryBytes) return undefined;
  return `entry of ${formatBytes(size)} is over the ${formatBytes(limits.maxEntryBytes)} limit`;
}

/**
 * Errors from the archive libraries become ARCHIVE_CORRUPT; ours and the source's (a read that
 * failed, which says nothing of the archive) pass as they are.
 */
export function asArchiveError(error: unknown, what: string): Error {
  if (error instanceof ArchiveError || error instanceof ArchiveSourceError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ArchiveError('ARCHIVE_CORRUPT', `${what} is corrupt or truncated: ${detail}`);
}
