import type { ArchiveSource } from '../../archive/archive.source.js';
import { blobKeys, type BlobStore } from '../../storage/blob-store.js';

/**
 * An import's uploaded parts (zips or tgzs of up to tens of GB) live in the blob store, which
 * every process shares, so that any worker can import what any api process received. They are
 * read there by ranged reads, never copied whole to memory or disk.
 */
export class TakeoutParts {
  constructor(private readonly blobs: BlobStore) {}

  /** Moves a finished upload into the store (uploaded, for object storage); the file is gone after. */
  put(ownerId: string, importId: string, partId: string, localPath: string): Promise<void> {
    return this.blobs.putFile(blobKeys.takeoutPart(ownerId, importId, partId), localPath);
  }

  /** The part as the archive readers read it. */
  source(ownerId: string, importId: string, partId: string): ArchiveSource {
    const key = blobKeys.takeoutPart(ownerId, importId, partId);
    return {
      size: async () => {
        const size = await this.blobs.size(key);
        if (size === null) {
          throw Object.assign(new Error(`The uploaded part ${partId} is no longer stored`), {
            code: 'ENOENT',
          });
        }
        return size;
      },
      read: (range) => this.blobs.read(key, range),
    };
  }

  delete(ownerId: string, importId: string, partId: string): Promise<void> {
    return this.blobs.delete(blobKeys.takeoutPart(ownerId, importId, partId));
  }

  /**
   * Deletes every part of an import, listed from the store rather than from the database, so that
   * a part stored by an upload whose row was never written goes too.
   */
  async deleteAll(ownerId: string, importId: string): Promise<void> {
    // The import's folder: the key of a part with an empty id.
    for await (const key of this.blobs.list(blobKeys.takeoutPart(ownerId, importId, ''))) {
      await this.blobs.delete(key);
    }
  }
}
