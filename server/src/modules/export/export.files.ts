import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ExportEntryRow } from '../../db/db.types.js';
import type { BlobStore } from '../../storage/blob-store.js';
import type { ZipFile } from './export.zip.js';

/** Where an export keeps the files it writes itself (JSON, XMP, the offline page). */
export const exportPrefix = (ownerId: string, exportId: string): string =>
  `exports/${ownerId}/${exportId}/`;

/** Size and CRC-32 of a blob, read once as a stream; null when the blob is missing. */
export async function measureBlob(
  blobs: BlobStore,
  key: string,
): Promise<{ size: number; crc32: number } | null> {
  if ((await blobs.size(key)) === null) return null;
  let crc32 = 0;
  let size = 0;
  for await (const chunk of blobs.read(key) as AsyncIterable<Buffer>) {
    crc32 = zlib.crc32(chunk, crc32);
    size += chunk.length;
  }
  return { size, crc32 };
}

/** A small blob's bytes (a thumbnail); null when it is missing or larger than `limit`. */
export async function readSmallBlob(
  blobs: BlobStore,
  key: string,
  limit = 16 * 1024 * 1024,
): Promise<Buffer | null> {
  const size = await blobs.size(key);
  if (size === null || size > limit) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of blobs.read(key) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Writes bytes into the store under `key` (through a temporary file, as the store takes files). */
export async function putBytes(
  blobs: BlobStore,
  tmpDir: string,
  key: string,
  bytes: Buffer,
): Promise<{ size: number; crc32: number }> {
  await fsp.mkdir(tmpDir, { recursive: true });
  const file = path.join(tmpDir, randomUUID());
  try {
    await fsp.writeFile(file, bytes);
    await blobs.putFile(key, file);
  } finally {
    await fsp.rm(file, { force: true });
  }
  return { size: bytes.length, crc32: zlib.crc32(bytes) };
}

/** Deletes every blob the export wrote. */
export async function deleteExportFiles(blobs: BlobStore, prefix: string): Promise<number> {
  let count = 0;
  for await (const key of blobs.list(prefix)) {
    await blobs.delete(key);
    count += 1;
  }
  return count;
}

/** An entry of a part as a file of its zip, read from the blob store. */
export const zipFileOf = (blobs: BlobStore, entry: ExportEntryRow): ZipFile => ({
  path: entry.path,
  size: entry.size,
  crc32: entry.crc32,
  modifiedAt: entry.modified_at,
  open: (range) => blobs.read(entry.blob_key, range),
});
