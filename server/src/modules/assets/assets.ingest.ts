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

/**
 * Streams an upload to a temporary file, hashing it (SHA-1) on the way, in constant memory.
 * `limitBytes` stops the stream as soon as it is passed; the partial file is removed on any error.
 */
export async function receiveToTempFile(
  source: Readable,
  tmpPath: string,
  limit: { bytes: number; error: () => DomainError },
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
