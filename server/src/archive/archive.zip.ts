import { Transform, type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { safeEntryPath } from './archive.paths.js';
import type { ArchiveSource } from './archive.source.js';
import {
  ArchiveError,
  asArchiveError,
  formatBytes,
  oversizeReason,
  type ArchiveLimits,
  type ArchiveVisitor,
  type ScanContext,
} from './archive.types.js';
import { SourceReader } from './archive.zip-reader.js';

const S_IFMT = 0o170000;
const SPECIAL_FILES: ReadonlyMap<number, string> = new Map([
  [0o120000, 'symbolic link'],
  [0o020000, 'character device'],
  [0o060000, 'block device'],
  [0o010000, 'FIFO (named pipe)'],
  [0o140000, 'socket'],
]);
const METHOD_NAMES: ReadonlyMap<number, string> = new Map([
  [9, 'Deflate64'],
  [12, 'bzip2'],
  [14, 'LZMA'],
  [93, 'Zstandard'],
  [95, 'XZ'],
  [98, 'PPMd'],
]);

/**
 * Reads the central directory one record at a time (lazyEntries) and each entry's data by a
 * ranged read of the source, so memory stays flat whatever the archive's size; every read is
 * released before the returned promise settles.
 */
export async function scanZip(
  source: ArchiveSource,
  size: number,
  visitor: ArchiveVisitor,
  { limits, signal }: ScanContext,
): Promise<number> {
  const reader = new SourceReader(source, size);
  const zip = await openZip(reader, size);
  const closed = new Promise<void>((resolve) => zip.once('close', resolve));
  // An 'error' event without a listener would crash the process; nextEntry reports them.
  zip.on('error', ignore);
  let current: Readable | undefined;
  const onAbort = (): void => {
    current?.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new ArchiveError(
        'ARCHIVE_BOMB',
        `zip archive has ${zip.entryCount} entries, over the limit of ${limits.maxEntries}`,
      );
    }
    let total = 0;
    for (let index = 0; index < zip.entryCount; index += 1) {
      const entry = await nextEntry(zip);
      signal?.throwIfAborted();
      // Raw bytes decoded without yauzl's name checks (see openZip); backslashes left as stored.
      const raw = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      const verdict = judge(entry, raw, limits);
      if (verdict === 'directory') continue;
      if ('refused' in verdict) {
        await visitor.refused({ path: raw, index }, verdict.refused);
        continue;
      }
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) {
        throw new ArchiveError(
          'ARCHIVE_BOMB',
          `zip archive declares more than ${formatBytes(limits.maxTotalBytes)} of data`,
        );
      }
      const entryStream = entryReader(zip, reader, entry, verdict.path);
      current = entryStream.stream;
      await entryStream.visit(() =>
        visitor.file({ path: verdict.path, size: entry.uncompressedSize, index }, entryStream.open),
      );
      current = undefined;
      signal?.throwIfAborted();
      entryStream.throwIfFailed();
    }
    return zip.entryCount;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    current?.destroy();
    zip.close();
    await closed;
  }
}

function ignore(): void {
  // Deliberately nothing: see the call site.
}

function openZip(reader: SourceReader, size: number): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings: false because with it yauzl rejects `../x` or `/x` by failing the whole
    // archive; we decode the name ourselves and refuse only that entry.
    yauzl.fromRandomAccessReader(
      reader,
      size,
      {
        lazyEntries: true,
        autoClose: true,
        validateEntrySizes: true,
        strictFileNames: false,
        decodeStrings: false,
      },
      (error, zip) => {
        if (error) reject(zipError(error));
        else resolve(zip);
      },
    );
  });
}

function zipError(error: Error): Error {
  if (/strong encryption|multi-disk/.test(error.message)) {
    return new ArchiveError('ARCHIVE_UNSUPPORTED', `zip archive not supported: ${error.message}`);
  }
  return asArchiveError(error, 'zip archive');
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      zip.off('entry', onEntry);
      zip.off('error', onError);
      zip.off('end', onEnd);
    };
    const onEntry = (entry: yauzl.Entry): void => {
      done();
      resolve(entry);
    };
    const onError = (error: Error): void => {
      done();
      reject(zipError(error));
    };
    const onEnd = (): void => {
      done();
      reject(new ArchiveError('ARCHIVE_CORRUPT', 'zip central directory ends early'));
    };
    zip.on('entry', onEntry);
    zip.on('error', onError);
    zip.on('end', onEnd);
    zip.readEntry();
  });
}

function judge(
  entry: yauzl.Entry,
  raw: string,
  limits: ArchiveLimits,
): 'directory' | { path: string } | { refused: string } {
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (raw.endsWith('/') || raw.endsWith('\\') || type === 0o040000) return 'directory';
  const special = SPECIAL_FILES.get(type);
  if (special !== undefined) return { refused: special };
  if (type !== 0 && type !== 0o100000)
    return { refused: `unknown file type 0o${type.toString(8)}` };
  if (entry.isEncrypted()) return { refused: 'encrypted entry' };
  const method = entry.compressionMethod;
  if (method !== 0 && method !== 8) {
    const name = METHOD_NAMES.get(method);
    return { refused: `unsupported compression method ${method}${name ? ` (${name})` : ''}` };
  }
  const safe = safeEntryPath(raw);
  if ('refused' in safe) return safe;
  const size = entry.uncompressedSize;
  const oversize = oversizeReason(size, limits);
  if (oversize !== undefined) return { refused: oversize };
  // Declared sizes decide: the inflated stream is checked against them, so a liar is caught.
  const ratio = size / Math.max(1, entry.compressedSize);
  if (size > limits.ratioFloorBytes && ratio > limits.maxRatio) {
    return { refused: `compression ratio 1:${Math.round(ratio)} is a zip bomb` };
  }
  return safe;
}

/**
 * The stream the visitor gets, handed out at once although yauzl opens entries asynchronously
 * (it reads the local header first). It checks length and CRC-32: yauzl checks neither for stored
 * entries nor the CRC for any, and an importer must never keep silently damaged bytes.
 */
function entryReader(zip: yauzl.ZipFile, reader: SourceReader, entry: yauzl.Entry, path: string) {
  let failure: Error | undefined;
  let opened = false;
  let settled = false;
  const fail = (error: Error): Error => {
    failure ??= error;
    return asArchiveError(error, `zip entry ${path}`);
  };
  let bytes = 0;
  let crc = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      if (bytes !== entry.uncompressedSize) {
        callback(fail(new Error(`${bytes} bytes read, ${entry.uncompressedSize} declared`)));
      } else if (crc !== entry.crc32) {
        callback(fail(new Error('CRC-32 mismatch, the data is damaged')));
      } else callback();
    },
  });

  // Destroyed with an error (abort, damage) before the visitor listens: that must not crash.
  stream.on('error', ignore);

  const open = (): Readable => {
    if (settled) throw new Error('open() called after the visitor settled');
    if (opened) throw new Error('open() called twice for one entry');
    opened = true;
    const header = entry.relativeOffsetOfLocalHeader;
    reader.expect(
      header,
      header + 30 + entry.fileNameLength + entry.extraFieldLength + entry.compressedSize,
    );
    zip.openReadStream(entry, (error, source) => {
      if (error) {
        stream.destroy(fail(error));
        return;
      }
      if (stream.destroyed) {
        source.destroy();
        return;
      }
      source.on('error', (sourceError: Error) => stream.destroy(fail(sourceError)));
      // The visitor may stop reading early: release the file range (and its fd reference).
      stream.once('close', () => source.destroy());
      source.pipe(stream);
    });
    return stream;
  };

  return {
    stream,
    open,
    async visit(run: () => Promise<void>): Promise<void> {
      try {
        await run();
      } catch (error) {
        // A visitor failing because its stream broke is the archive's fault, not the visitor's.
        if (failure) throw asArchiveError(failure, `zip entry ${path}`);
        throw error;
      } finally {
        settled = true;
        if (!stream.readableEnded) stream.destroy();
      }
    },
    throwIfFailed(): void {
      if (failure) throw asArchiveError(failure, `zip entry ${path}`);
    },
  };
}
