import fsp from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { blobKeys, type BlobStore } from '../../storage/blob-store.js';
import type { AssetsRepo } from './assets.repo.js';

/**
 * Finishes or discards uploads a crash interrupted. A temporary file is named by its asset id:
 * when the row was committed the file is moved into place (the upload was accepted); otherwise
 * it is deleted (the client never got an answer and will send it again).
 */
export async function recoverInterruptedUploads(
  tmpDir: string,
  repo: AssetsRepo,
  blobs: BlobStore,
  log: FastifyBaseLogger,
): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(tmpDir);
  } catch {
    return;
  }
  let finished = 0;
  for (const name of names) {
    const file = path.join(tmpDir, name);
    const asset = await repo.findById(name);
    if (asset && (await blobs.size(blobKeys.original(asset.owner_id, asset.id))) === null) {
      await blobs.putFile(blobKeys.original(asset.owner_id, asset.id), file);
      finished++;
    } else {
      await fsp.rm(file, { force: true });
    }
  }
  if (names.length > 0)
    log.info({ finished, discarded: names.length - finished }, 'interrupted uploads swept');
}
