import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { AssetRow } from '../../db/db.types.js';
import { DomainError } from '../../errors.js';
import { generateFullSize, MediaUnreadableError } from '../../media/index.js';
import { blobKeys, type BlobStore } from '../../storage/blob-store.js';
import { probeOf } from './assets.processor.js';

/** Image types every browser we support draws itself: their original is the full size. */
const browserDrawable = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
]);

/**
 * Full-resolution JPEGs of originals browsers cannot draw (HEIC, RAW, TIFF), made on first
 * request and kept in the blob store beside the preview; one render at a time per asset.
 */
export class FullSizeRenditions {
  private readonly rendering = new Map<string, Promise<void>>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly tmpDir: string,
  ) {}

  /** The blob key to serve as the full-size image of `asset`, rendering it first if needed. */
  async keyFor(asset: AssetRow): Promise<string> {
    if (asset.type === 'image' && browserDrawable.has(asset.mime_type)) {
      return blobKeys.original(asset.owner_id, asset.id);
    }
    if (asset.type !== 'image') {
      throw new DomainError('NOT_FOUND', 'A video has no full-size image; play the original');
    }
    const key = blobKeys.fullsize(asset.owner_id, asset.id);
    if ((await this.blobs.size(key)) !== null) return key;
    let render = this.rendering.get(asset.id);
    if (!render) {
      render = this.render(asset, key).finally(() => this.rendering.delete(asset.id));
      this.rendering.set(asset.id, render);
    }
    await render;
    return key;
  }

  private async render(asset: AssetRow, key: string): Promise<void> {
    const original = await this.blobs.localFile(blobKeys.original(asset.owner_id, asset.id));
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const out = path.join(this.tmpDir, `${randomUUID()}.jpg`);
    try {
      await generateFullSize(original.path, probeOf(asset), out);
      await this.blobs.putFile(key, out);
    } catch (error) {
      if (error instanceof MediaUnreadableError) {
        throw new DomainError('NOT_READY', `This photo cannot be shown: ${error.reason}`);
      }
      throw error;
    } finally {
      await original.release();
      await fsp.rm(out, { force: true });
    }
  }
}
