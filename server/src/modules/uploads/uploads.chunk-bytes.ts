import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { blobKeys, type BlobStore } from '../../storage/blob-store.js';
import { appendToFile } from './uploads.append.js';
import {
  orphanBatch,
  type IncomingChunk,
  type ReceivedChunk,
  type UploadBytes,
  type UploadRef,
} from './uploads.bytes.js';

const mib = 1024 * 1024;

/** A chunk object: the bytes one request kept from `start`. */
export interface StoredChunk {
  key: string;
  start: number;
  size: number;
}

/** A chunk as part of the upload: its first `bytes` bytes are the upload's from `start`. */
export type ChainPart = StoredChunk & { bytes: number };

/**
 * The chunks that make the upload's first bytes, up to the first gap and before `end`. A chunk
 * ends where the next one starts: bytes past that were left by a write the database never
 * counted, and the later write at that offset replaced them. `reached`: where the chain stops.
 */
export function chainOf(
  chunks: readonly StoredChunk[],
  end = Infinity,
): { parts: ChainPart[]; reached: number } {
  const parts: ChainPart[] = [];
  let reached = 0;
  for (const chunk of [...chunks].sort((a, b) => a.start - b.start)) {
    if (chunk.start >= end || chunk.start > reached) break;
    const previous = parts.at(-1);
    if (previous && chunk.start < reached) previous.bytes = chunk.start - previous.start;
    const bytes = Math.min(chunk.size, end - chunk.start);
    parts.push({ ...chunk, bytes });
    reached = chunk.start + bytes;
  }
  return { parts, reached };
}

// Where chunk keys put the owner and the upload, read off blobKeys so the two cannot drift.
const sample = blobKeys.uploadChunk('\u0001owner', '\u0001upload', 0).split('/');
const chunkFolder = `${sample.slice(0, sample.indexOf('\u0001owner')).join('/')}/`;
const uploadSegment = sample.indexOf('\u0001upload');

function prefixOf(upload: UploadRef): string {
  const key = blobKeys.uploadChunk(upload.ownerId, upload.id, 0);
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/**
 * Each request's accepted bytes as one object of the blob store (`blobKeys.uploadChunk`), so that
 * any api process can take an upload's next request: for object storage shared by several
 * processes, each with its own disk. A body is first received into a local file, and becomes an
 * object once it ended (or was cut); the last one stays local and, with the objects before it,
 * makes the finished file.
 */
export class UploadChunkBytes implements UploadBytes {
  /**
   * `tmpDir`: this process's folder for the files being received and assembled. Files there older
   * than a day are left by a process that stopped; the folder of the object store's local copies
   * is swept of them at start (see blob-stores.ts).
   */
  constructor(
    private readonly blobs: BlobStore,
    private readonly tmpDir: string,
  ) {}

  /** Nothing to make: an upload without chunk objects has kept no byte yet. */
  create(): Promise<void> {
    return Promise.resolve();
  }

  async held(upload: UploadRef): Promise<number> {
    return chainOf(await this.chunksOf(upload)).reached;
  }

  async receive(upload: UploadRef, chunk: IncomingChunk): Promise<ReceivedChunk> {
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const spool = path.join(this.tmpDir, `${randomUUID()}.upload`);
    const assembled = path.join(this.tmpDir, `${randomUUID()}.upload`);
    const dispose = async () => {
      await fsp.rm(spool, { force: true });
      await fsp.rm(assembled, { force: true });
    };
    try {
      await fsp.writeFile(spool, '', { flag: 'wx' });
      const written = await appendToFile(chunk.source, spool, 0, chunk.limit, chunk.signal);
      const received = {
        size: chunk.offset + written.size,
        failure: written.failure,
        assemble: () => this.assemble(upload, chunk.offset, spool, assembled),
        dispose,
      };
      // The last bytes need not go to the store: they are assembled here, now.
      if (written.size === 0 || written.size === chunk.limit.bytes) return received;
      // A request that lost the upload meanwhile must not replace the chunk of the one that has it.
      if (!(await chunk.stillHeld())) {
        await dispose();
        return {
          ...received,
          size: chunk.offset,
          failure: new Error('the upload was taken over by another request'),
        };
      }
      await this.removeFrom(upload, chunk.offset);
      await this.blobs.putFile(
        blobKeys.uploadChunk(upload.ownerId, upload.id, chunk.offset),
        spool,
      );
      return received;
    } catch (error) {
      await dispose();
      throw error;
    }
  }

  async remove(upload: UploadRef): Promise<void> {
    await this.removeFrom(upload, 0);
  }

  async removeOrphans(existing: (ids: string[]) => Promise<Set<string>>): Promise<number> {
    const keysByUpload = new Map<string, string[]>();
    for await (const key of this.blobs.list(chunkFolder)) {
      const id = key.split('/')[uploadSegment];
      if (id === undefined) continue;
      const keys = keysByUpload.get(id) ?? [];
      keys.push(key);
      keysByUpload.set(id, keys);
    }
    const ids = [...keysByUpload.keys()];
    let orphans = 0;
    for (let i = 0; i < ids.length; i += orphanBatch) {
      const batch = ids.slice(i, i + orphanBatch);
      const known = await existing(batch);
      for (const id of batch.filter((candidate) => !known.has(candidate))) {
        for (const key of keysByUpload.get(id) ?? []) await this.blobs.delete(key);
        orphans++;
      }
    }
    return orphans;
  }

  private async chunksOf(upload: UploadRef): Promise<StoredChunk[]> {
    const chunks: StoredChunk[] = [];
    const prefix = prefixOf(upload);
    for await (const { key, size } of this.blobs.listWithSizes(prefix)) {
      const name = key.slice(prefix.length);
      if (/^\d+$/.test(name)) chunks.push({ key, start: Number(name), size });
    }
    return chunks;
  }

  /** Deletes the chunk objects that start at or after `offset`. */
  private async removeFrom(upload: UploadRef, offset: number): Promise<void> {
    for (const chunk of await this.chunksOf(upload)) {
      if (chunk.start >= offset) await this.blobs.delete(chunk.key);
    }
  }

  /**
   * The whole upload in one local file: the chunk objects before `lastOffset`, streamed one after
   * the other, then the last request's bytes, received in `last`.
   */
  private async assemble(
    upload: UploadRef,
    lastOffset: number,
    last: string,
    target: string,
  ): Promise<string> {
    if (lastOffset === 0) return last;
    const { parts, reached } = chainOf(await this.chunksOf(upload), lastOffset);
    if (reached !== lastOffset) {
      throw new Error(
        `The stored bytes of upload ${upload.id} stop at ${reached} of ${lastOffset}`,
      );
    }
    const blobs = this.blobs;
    // One pipeline for every piece: the file is closed (and a failed read ends it) once.
    async function* pieces(): AsyncIterable<Buffer> {
      for (const part of parts) {
        if (part.bytes === 0) continue;
        const range = part.bytes < part.size ? { start: 0, end: part.bytes - 1 } : undefined;
        yield* blobs.read(part.key, range) as AsyncIterable<Buffer>;
      }
      yield* fs.createReadStream(last, { highWaterMark: mib }) as AsyncIterable<Buffer>;
    }
    await pipeline(pieces, fs.createWriteStream(target, { flags: 'wx', highWaterMark: mib }));
    const [whole, tail] = await Promise.all([fsp.stat(target), fsp.stat(last)]);
    if (whole.size !== lastOffset + tail.size) {
      throw new Error(
        `Upload ${upload.id} assembled to ${whole.size} bytes, not ${lastOffset + tail.size}`,
      );
    }
    await fsp.rm(last, { force: true });
    return target;
  }
}
