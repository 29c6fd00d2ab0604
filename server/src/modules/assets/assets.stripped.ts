import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { AssetRow } from '../../db/db.types.js';
import { DomainError } from '../../errors.js';
import { stripMetadata } from '../../media/index.js';
import { blobKeys, type BlobStore } from '../../storage/blob-store.js';

/**
 * Originals without location, camera and personal metadata, served through share links that do
 * not show metadata. Made on first request and kept in the blob store (`stripped/<owner>/<id>`):
 * originals never change, so the copy stays right, a zip knows every entry's size before its
 * first byte, and a Range request (video seeking) reads the copy instead of stripping again.
 * Deleted with the asset's other derived files.
 */
export class StrippedOriginals {
  private readonly making = new Map<string, Promise<void>>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly tmpDir: string,
  ) {}

  async keyFor(asset: AssetRow): Promise<string> {
    const key = blobKeys.stripped(asset.owner_id, asset.id);
    if ((await this.blobs.size(key)) !== null) return key;
    let making = this.making.get(asset.id);
    if (!making) {
      making = this.make(asset, key).finally(() => this.making.delete(asset.id));
      this.making.set(asset.id, making);
    }
    await making;
    return key;
  }

  private async make(asset: AssetRow, key: string): Promise<void> {
    const original = await this.blobs.localFile(blobKeys.original(asset.owner_id, asset.id));
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const out = path.join(this.tmpDir, `${randomUUID()}.strip`);
    try {
      await stripMetadata(original.path, out, asset.mime_type);
      await this.blobs.putFile(key, out);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError(
        'UNSUPPORTED_MEDIA',
        `This file cannot be shared without its metadata: ${(error as Error).message}`,
      );
    } finally {
      await original.release();
      await fsp.rm(out, { force: true });
    }
  }
}
