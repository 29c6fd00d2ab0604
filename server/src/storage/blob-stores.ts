import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local.blob-store.js';
import { checkResidency } from './residency.js';

/** Local copies older than this are left over from a process that stopped while using them. */
const staleCopyMs = 24 * 3600_000;

/**
 * The blob store the configuration asks for: the local folder `<data>/library`, whose location is
 * PIXELUNION_STORAGE_LOCATION, or, with PIXELUNION_S3_BUCKET, the bucket, once its residency is
 * accepted (see residency.ts) and the bucket answers. Throws ConfigError otherwise, which stops
 * the server with a message naming the variable. The AWS SDK is loaded only for a bucket.
 */
export async function openBlobStore(config: Config): Promise<BlobStore> {
  if (config.s3 === null) {
    return new LocalBlobStore(path.join(config.dataDir, 'library'), config.storageLocation);
  }
  const residency = checkResidency(config.s3, config.storageLocation, config.dataResidency);
  const tmpDir = path.join(config.dataDir, 'tmp', 'blobs');
  await removeStaleCopies(tmpDir);
  const { S3BlobStore } = await import('./s3.blob-store.js');
  const store = new S3BlobStore(config.s3, { location: residency.description, tmpDir });
  try {
    await store.check();
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}

/**
 * Deletes local copies of blobs (see S3BlobStore.localFile) that a stopped process left behind.
 * Only old ones: another process sharing the data folder may be using a recent one.
 */
async function removeStaleCopies(tmpDir: string): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(tmpDir);
  } catch {
    return;
  }
  const before = Date.now() - staleCopyMs;
  for (const name of names) {
    const file = path.join(tmpDir, name);
    const stat = await fsp.stat(file).catch(() => null);
    if (stat && stat.mtimeMs < before) await fsp.rm(file, { force: true });
  }
}
