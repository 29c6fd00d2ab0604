import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../../errors.js';

export interface ReceivedFile {
  path: string;
  size: number;
  checksum: string;
}

export interface UploadLimit {
  bytes: number;
  error: () => DomainError;
}

/** The most bytes a user may upload now: the smaller of their room and the size limit. */
export function uploadLimit(
  usage: { usedBytes: number; quotaBytes: number | null },
  maxUploadBytes: number,
): UploadLimit {
  const { usedBytes, quotaBytes } = usage;
  const room = quotaBytes === null ? Infinity : quotaBytes - usedBytes;
  if (room < maxUploadBytes) {
    return {
      bytes: room,
      error: () =>
        new DomainError(
          'QUOTA_EXCEEDED',
          `Storage quota of ${quotaBytes ?? 0} bytes would be exceeded`,
          { quotaBytes, usedBytes },
        ),
    };
  }
  return {
    bytes: maxUploadBytes,
    error: () =>
      new DomainError('FILE_TOO_LARGE', `The file is larger than ${maxUploadBytes} bytes`),
  };
}

/**
 * Streams an upload to a temporary file, hashing it (SHA-1) on the way, in constant memory.
 * `limitBytes` stops the stream as soon as it is passed; the partial file is removed on any error.
 */
export async function receiveToTempFile(
  source: Readable,
  tmpPath: string,
  limit: UploadLimit,
): Promise<ReceivedFile> {
  await fsp.mkdir(path.dirname(tmpPath), { recursive: true });
  const hash = createHash('sha1');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit.bytes) {
        callback(limit.error());
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, fs.createWriteStream(tmpPath, { highWaterMark: 1024 * 1024 }));
  } catch (error) {
    await fsp.rm(tmpPath, { force: true });
    if (error instanceof DomainError) throw error;
    throw new DomainError(
      'VALIDATION_FAILED',
      `The upload was interrupted: ${(error as Error).message}`,
    );
  }
  return { path: tmpPath, size, checksum: hash.digest('hex') };
}

/**
 * Moves a finished file (a resumable upload) to `tmpPath` and hashes it there, reading it once in
 * 1 MiB chunks. The file is removed on any error.
 */
export async function moveToTempFile(filePath: string, tmpPath: string): Promise<ReceivedFile> {
  await fsp.mkdir(path.dirname(tmpPath), { recursive: true });
  try {
    await fsp.rename(filePath, tmpPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await fsp.copyFile(filePath, tmpPath);
    await fsp.rm(filePath, { force: true });
  }
  try {
    const hash = createHash('sha1');
    let size = 0;
    for await (const chunk of fs.createReadStream(tmpPath, { highWaterMark: 1024 * 1024 })) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      hash.update(bytes);
    }
    return { path: tmpPath, size, checksum: hash.digest('hex') };
  } catch (error) {
    await fsp.rm(tmpPath, { force: true });
    throw error;
  }
}

/**
 * Refuses a file whose bytes are not the ones an import expected (a PixelUnion export names the
 * SHA-1 of each original); `details.expectedSha1` tells the importer why.
 */
export function requireChecksum(
  received: ReceivedFile,
  expected: string | undefined,
  filename: string,
): void {
  if (expected === undefined || expected === received.checksum) return;
  throw new DomainError(
    'VALIDATION_FAILED',
    `The SHA-1 of ${filename} is ${received.checksum}, not ${expected}`,
    { expectedSha1: expected, sha1: received.checksum },
  );
}
