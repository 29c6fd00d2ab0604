import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar, { type ExtractEvents } from 'tar-stream';
import { safeEntryPath } from './archive.paths.js';
import { ArchiveSourceError, type ArchiveSource } from './archive.source.js';
import {
  ArchiveError,
  asArchiveError,
  formatBytes,
  oversizeReason,
  type ArchiveLimits,
  type ArchiveVisitor,
  type ScanContext,
} from './archive.types.js';

const REFUSED_TYPES: ReadonlyMap<string, string> = new Map([
  ['symlink', 'symbolic link'],
  ['link', 'hard link'],
  ['character-device', 'character device'],
  ['block-device', 'block device'],
  ['fifo', 'FIFO (named pipe)'],
]);

/** tar-stream's entry: a streamx Readable with the parsed header. */
type TarEntry = ExtractEvents['entry'][1];

/** Destroys the pipeline when we stop on purpose, so that its rejection is not taken for damage. */
const STOP = new Error('scan stopped');

/**
 * A tar read front to back, through gunzip when `gzip`: there is no index, so every byte goes
 * through once, and each entry's stream must be consumed (or drained) before the next header
 * can be parsed.
 */
export async function scanTar(
  source: ArchiveSource,
  gzip: boolean,
  visitor: ArchiveVisitor,
  { limits, signal }: ScanContext,
): Promise<number> {
  const file = source.read();
  // The source's own failure says nothing of the archive: it reaches the pipeline as an
  // ArchiveSourceError, while the errors of the later stages only close the source.
  const input = new PassThrough();
  file.on('error', (error) => input.destroy(new ArchiveSourceError(error)));
  input.on('close', () => file.destroy());
  file.pipe(input);
  const extract = tar.extract();
  const counter = new Counter();
  const meter = new Meter(counter, gzip, limits);
  const stages = gzip ? [input, counter, createGunzip(), meter, extract] : [input, meter, extract];
  const outcome = pipeline(stages).then(
    () => undefined,
    (error: unknown) => error,
  );
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    input.destroy(STOP);
  };
  signal?.addEventListener('abort', stop, { once: true });
  // What the visitor's stream fails with when the scan is stopped rather than the archive broken.
  const stopReason = (): Error | undefined => {
    if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : STOP;
    return stopping ? STOP : undefined;
  };
  const what = gzip ? 'gzip-compressed tar archive' : 'tar archive';
  let index = 0;
  let failed: { error: unknown } | undefined;
  let visitorError: { error: unknown } | undefined;
  let entryFailure: Error | undefined;
  try {
    signal?.throwIfAborted();
    for await (const entry of extract) {
      if (index >= limits.maxEntries) {
        throw new ArchiveError(
          'ARCHIVE_BOMB',
          `${what} has more than ${limits.maxEntries} entries (the limit)`,
        );
      }
      const reader = entryReader(entry, stopReason);
      try {
        await visitEntry(entry, index, reader, visitor, limits);
      } catch (error) {
        visitorError = { error };
        throw error;
      } finally {
        entryFailure = reader.failure();
        reader.settle();
      }
      await reader.finished;
      index += 1;
    }
  } catch (error) {
    failed = { error };
    stop();
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  const pipelineError = await outcome;
  if (!file.closed) {
    await new Promise<void>((resolve) => {
      file.once('close', () => {
        resolve();
      });
    });
  }

  if (signal?.aborted) throw signal.reason;
  if (pipelineError instanceof ArchiveSourceError) throw pipelineError;
  if (entryFailure && entryFailure !== STOP) throw asArchiveError(entryFailure, what);
  if (failed) {
    if (visitorError?.error === failed.error) throw failed.error;
    throw asArchiveError(failed.error, what);
  }
  if (pipelineError !== undefined) throw asArchiveError(pipelineError, what);
  return index;
}

async function visitEntry(
  entry: TarEntry,
  index: number,
  reader: EntryReader,
  visitor: ArchiveVisitor,
  limits: ArchiveLimits,
): Promise<void> {
  const { name: raw, type } = entry.header;
  const size = entry.header.size;
  if (type === 'directory') return;
  const safe = safeEntryPath(raw);
  const reason =
    typeReason(type) ?? ('refused' in safe ? safe.refused : oversizeReason(size, limits));
  if (reason !== undefined) {
    await visitor.refused({ path: raw, index }, reason);
  } else if ('path' in safe) {
    await reader.visit(() => visitor.file({ path: safe.path, size, index }, reader.open));
  }
}

function typeReason(type: string | null): string | undefined {
  if (type === 'file' || type === 'contiguous-file') return undefined;
  // tar-stream gives null for type flags it does not know (GNU sparse files, for one).
  return REFUSED_TYPES.get(type ?? '') ?? `unsupported entry type ${type ?? 'unknown'}`;
}

type EntryReader = ReturnType<typeof entryReader>;

/**
 * Bridges tar-stream's entry (a streamx stream, which also must not be destroyed: that would
 * destroy the whole extractor) to a Node stream for the visitor. Whatever the visitor does, the
 * entry ends up read to its end, so that the next header can be parsed.
 */
function entryReader(source: TarEntry, stopError: () => Error | undefined) {
  let failure: Error | undefined;
  let ended = false;
  let settled = false;
  let out: PassThrough | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    source.on('end', () => {
      ended = true;
      resolve();
    });
    source.on('error', (error: Error) => {
      failure ??= error;
      reject(error);
    });
    source.on('close', () => {
      if (!ended) reject(failure ?? new Error('entry stream closed early'));
    });
  });
  // Awaited by scanTar unless the visitor failed first; then only the rejection is to be ignored.
  finished.catch(ignore);
  /** Once the visitor is done (or was never called): read whatever it left, unseen. */
  const settle = (): void => {
    if (settled) return;
    settled = true;
    if (!out) {
      source.on('data', ignore);
      source.resume();
    } else if (!out.readableEnded) out.destroy();
  };

  const open = (): Readable => {
    if (settled) throw new Error('open() called after the visitor settled');
    if (out) throw new Error('open() called twice for one entry');
    const stream = new PassThrough();
    out = stream;
    // Destroyed with an error (abort, damage) before the visitor listens: that must not crash.
    stream.on('error', ignore);
    source.on('data', (chunk) => {
      // Bytes arriving after the visitor gave up are dropped: that is the drain.
      if (!stream.destroyed && !stream.write(chunk)) source.pause();
    });
    stream.on('drain', () => source.resume());
    source.on('end', () => {
      if (!stream.destroyed) stream.end();
    });
    source.on('error', (error: Error) => {
      stream.destroy(stopError() ?? asArchiveError(error, 'tar entry'));
    });
    stream.on('close', () => {
      if (!ended) source.resume();
    });
    return stream;
  };

  return {
    open,
    finished,
    failure: (): Error | undefined => failure,
    async visit(run: () => Promise<void>): Promise<void> {
      try {
        await run();
      } catch (error) {
        // A visitor failing because its stream broke is the archive's fault, not the visitor's.
        if (failure && failure !== stopError()) throw asArchiveError(failure, 'tar entry');
        throw error;
      } finally {
        settle();
      }
    },
    settle,
  };
}

function ignore(): void {
  // Deliberately nothing: see the call sites.
}

/** Counts the compressed bytes gunzip receives. */
class Counter extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/** Counts the bytes the tar parser receives: the total limit, and the gzip ratio once past the floor. */
class Meter extends Transform {
  private bytes = 0;

  constructor(
    private readonly compressed: Counter,
    private readonly gzip: boolean,
    private readonly limits: ArchiveLimits,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const { maxTotalBytes, ratioFloorBytes, maxRatio } = this.limits;
    if (this.bytes > maxTotalBytes) {
      callback(
        new ArchiveError('ARCHIVE_BOMB', `archive holds more than ${formatBytes(maxTotalBytes)}`),
      );
      return;
    }
    if (this.gzip && this.bytes > ratioFloorBytes) {
      const ratio = this.bytes / Math.max(1, this.compressed.bytes);
      if (ratio > maxRatio) {
        const message = `compression ratio 1:${Math.round(ratio)} is a gzip bomb`;
        callback(new ArchiveError('ARCHIVE_BOMB', message));
        return;
      }
    }
    callback(null, chunk);
  }
}
