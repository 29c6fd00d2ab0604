import { readRange, type ArchiveSource } from './archive.source.js';
import { scanTar } from './archive.tar.js';
import {
  ArchiveError,
  DEFAULT_ARCHIVE_LIMITS,
  type ArchiveFormat,
  type ArchiveLimits,
  type ArchiveVisitor,
} from './archive.types.js';
import { scanZip } from './archive.zip.js';

export interface ScanOptions {
  limits?: Partial<ArchiveLimits>;
  signal?: AbortSignal;
}

/**
 * Visits every entry in archive order, one at a time (the visitor's promise is awaited before the
 * next entry: backpressure, constant memory whatever the archive's size).
 */
export async function scanArchive(
  source: ArchiveSource,
  visitor: ArchiveVisitor,
  options: ScanOptions = {},
): Promise<{ format: ArchiveFormat; entries: number }> {
  const { signal } = options;
  signal?.throwIfAborted();
  const limits = { ...DEFAULT_ARCHIVE_LIMITS };
  // Only the limits given: `{ maxRatio: undefined }` keeps the default.
  for (const [key, value] of Object.entries(options.limits ?? {})) {
    if (typeof value === 'number' && key in limits) limits[key as keyof ArchiveLimits] = value;
  }
  const size = await source.size();
  const format = await detectFormat(source, size);
  const context = { limits, signal };
  switch (format) {
    case 'zip':
      return { format, entries: await scanZip(source, size, visitor, context) };
    case 'tgz':
      return { format, entries: await scanTar(source, true, visitor, context) };
    case 'tar':
      return { format, entries: await scanTar(source, false, visitor, context) };
  }
}

/** By magic bytes, not by name: Takeout parts get renamed, and a name proves nothing. */
export async function detectFormat(source: ArchiveSource, size: number): Promise<ArchiveFormat> {
  const bytes = await readRange(source, 0, Math.min(262, size));
  const zip = bytes.subarray(0, 4).toString('latin1');
  if (zip === 'PK\x03\x04' || zip === 'PK\x05\x06') return 'zip';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tgz';
  if (bytes.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  throw new ArchiveError(
    'ARCHIVE_UNSUPPORTED',
    bytes.length === 0 ? 'the file is empty' : 'not a zip, tar or gzip-compressed tar archive',
  );
}
