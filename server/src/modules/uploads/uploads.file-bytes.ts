import fsp from 'node:fs/promises';
import path from 'node:path';
import { appendToFile } from './uploads.append.js';
import {
  orphanBatch,
  type IncomingChunk,
  type ReceivedChunk,
  type UploadBytes,
  type UploadRef,
} from './uploads.bytes.js';

/**
 * Each upload's bytes in one file `dir/<id>` of this server's disk, which is the finished file:
 * for a single process whose blob store is a local folder, where it is moved without a copy.
 */
export class UploadFileBytes implements UploadBytes {
  constructor(private readonly dir: string) {}

  private fileOf(id: string): string {
    return path.join(this.dir, id);
  }

  async create(upload: UploadRef): Promise<void> {
    // The row exists before its file, so a file without a row is always an orphan.
    await fsp.mkdir(this.dir, { recursive: true });
    await fsp.writeFile(this.fileOf(upload.id), '', { flag: 'wx' });
  }

  held(upload: UploadRef): Promise<number | null> {
    return fsp.stat(this.fileOf(upload.id)).then(
      (stat) => stat.size,
      () => null,
    );
  }

  async receive(upload: UploadRef, chunk: IncomingChunk): Promise<ReceivedChunk> {
    const file = this.fileOf(upload.id);
    const written = await appendToFile(chunk.source, file, chunk.offset, chunk.limit, chunk.signal);
    return {
      ...written,
      assemble: () => Promise.resolve(file),
      dispose: () => Promise.resolve(),
    };
  }

  async remove(upload: UploadRef): Promise<void> {
    await fsp.rm(this.fileOf(upload.id), { force: true });
  }

  async removeOrphans(existing: (ids: string[]) => Promise<Set<string>>): Promise<number> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch {
      return 0;
    }
    let orphans = 0;
    for (let i = 0; i < names.length; i += orphanBatch) {
      const batch = names.slice(i, i + orphanBatch);
      const known = await existing(batch);
      for (const name of batch.filter((n) => !known.has(n))) {
        await fsp.rm(this.fileOf(name), { force: true });
        orphans++;
      }
    }
    return orphans;
  }
}
