import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore, ByteRange, StoredBlob } from './blob-store.js';

/** Blobs as files below one folder of the local disk. */
export class LocalBlobStore implements BlobStore {
  constructor(
    private readonly root: string,
    readonly location: string,
  ) {
    fs.mkdirSync(root, { recursive: true });
  }

  private pathOf(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(this.root + path.sep) || key.includes('\0')) {
      throw new Error(`Blob key escapes the store: ${key}`);
    }
    return resolved;
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.pathOf(key);
    try {
      await this.moveInto(localPath, target);
    } catch (error) {
      // A delete may have pruned the folder between its mkdir and the move: make it again once.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync(localPath)) {
        throw error;
      }
      await this.moveInto(localPath, target);
    }
  }

  private async moveInto(localPath: string, target: string): Promise<void> {
    await fsp.mkdir(path.dirname(target), { recursive: true });
    try {
      await fsp.rename(localPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await fsp.copyFile(localPath, target);
      await fsp.rm(localPath, { force: true });
    }
  }

  read(key: string, range?: ByteRange): Readable {
    return fs.createReadStream(this.pathOf(key), {
      start: range?.start,
      end: range?.end,
      highWaterMark: 1024 * 1024,
    });
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await fsp.stat(this.pathOf(key))).size;
    } catch {
      return null;
    }
  }

  localFile(key: string): Promise<{ path: string; release(): Promise<void> }> {
    return Promise.resolve({ path: this.pathOf(key), release: () => Promise.resolve() });
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await fsp.rm(file, { force: true });
    await this.pruneEmptyFolders(path.dirname(file));
  }

  /**
   * Removes the folders a deleted blob leaves empty (a finished import's
   * `takeout/<owner>/<import>/`), up to `<kind>/<owner>/`, which stay: an object store has no
   * folders, so an empty one here is only clutter. rmdir refuses a folder that is not empty.
   */
  private async pruneEmptyFolders(folder: string): Promise<void> {
    let current = folder;
    while (path.relative(this.root, current).split(path.sep).length > 2) {
      try {
        await fsp.rmdir(current);
      } catch {
        return;
      }
      current = path.dirname(current);
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    for await (const file of this.filesUnder(prefix)) yield this.keyOf(file);
  }

  async *listWithSizes(prefix: string): AsyncIterable<StoredBlob> {
    for await (const file of this.filesUnder(prefix)) {
      // A file removed since the folder was read is no longer a blob.
      const size = await fsp.stat(file).then(
        (stat) => stat.size,
        () => null,
      );
      if (size !== null) yield { key: this.keyOf(file), size };
    }
  }

  private keyOf(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  /** The path of every file below the folder `prefix`; none when it would escape the root. */
  private async *filesUnder(prefix: string): AsyncIterable<string> {
    const start = path.resolve(this.root, prefix);
    if (start !== this.root && !start.startsWith(this.root + path.sep)) return;
    const stack = [start];
    while (stack.length > 0) {
      const dir = stack.pop() ?? '';
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) stack.push(full);
        else yield full;
      }
    }
  }
}
