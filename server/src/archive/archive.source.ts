import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * Where an archive's bytes come from: a local file, or an object in a blob store read by ranged
 * requests, so that any process can read an archive another one received. The readers never hold
 * more than a few blocks of it in memory, nor copy it to disk.
 */
export interface ArchiveSource {
  /** The archive's length in bytes; fails when there is no archive. */
  size(): Promise<number>;
  /**
   * A stream of the bytes from `start` to `end` (inclusive, as in HTTP Range), or of them all. A
   * range reaching past the end gives the bytes up to the end. Destroying the stream releases
   * what it holds (a descriptor, a request).
   */
  read(range?: { start: number; end: number }): Readable;
}

/** An archive in a local file. */
export function fileSource(filePath: string): ArchiveSource {
  return {
    size: async () => (await stat(filePath)).size,
    read: (range) =>
      createReadStream(filePath, {
        start: range?.start,
        end: range?.end,
        highWaterMark: 1024 * 1024,
      }),
  };
}

/**
 * The source failed (a missing object, a network or disk error) rather than the archive being
 * damaged: the caller may well succeed by trying again, so it is not an ArchiveError.
 */
export class ArchiveSourceError extends Error {
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`the archive could not be read: ${detail}`, { cause });
    this.name = 'ArchiveSourceError';
  }
}

/** Wraps a source's failure once, whatever path it took to get here. */
export function sourceFailure(cause: unknown): ArchiveSourceError {
  return cause instanceof ArchiveSourceError ? cause : new ArchiveSourceError(cause);
}

/**
 * Bytes `start` to `end` (exclusive) read into memory: at most that many, fewer only at the end
 * of the source. For small reads (headers, a zip's directory), never for an entry's content.
 */
export async function readRange(
  source: ArchiveSource,
  start: number,
  end: number,
): Promise<Buffer> {
  const out = Buffer.allocUnsafe(Math.max(0, end - start));
  if (out.length === 0) return out;
  let length = 0;
  try {
    for await (const chunk of source.read({ start, end: end - 1 })) {
      const bytes = chunk as Buffer;
      if (length + bytes.length > out.length)
        throw new Error('the source gave more bytes than asked');
      bytes.copy(out, length);
      length += bytes.length;
    }
  } catch (error) {
    throw sourceFailure(error);
  }
  return out.subarray(0, length);
}
