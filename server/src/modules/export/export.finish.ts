import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ExportRow } from '../../db/db.types.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { accountDocument, albumsDocument, sharesDocument } from './export.account.js';
import { jsonBytes } from './export.documents.js';
import { exportPrefix, measureBlob, putBytes, zipFileOf } from './export.files.js';
import { writeIndex } from './export.index.js';
import type { ExportIndexRepo } from './export.index.repo.js';
import type { ExportLibraryRepo } from './export.library.repo.js';
import { readme } from './export.readme.js';
import type { ExportPartRow, ExportRepo } from './export.repo.js';
import { maxEndBytes, maxOverhead, ZipLayout } from './export.zip.js';

export interface FinishDeps {
  repo: ExportRepo;
  library: ExportLibraryRepo;
  index: ExportIndexRepo;
  blobs: BlobStore;
  tmpDir: string;
}

/**
 * The end of an export: the files about the whole library (README.txt, index.html,
 * account.json, albums.json, shares.json — first in the first part, so whoever opens it
 * finds the README), then the split into parts. Safe to run again.
 */
export async function finishExport(deps: FinishDeps, row: ExportRow): Promise<void> {
  const { repo, library, index: indexRepo, blobs, tmpDir } = deps;
  await repo.deleteTopLevelEntries(row.id);
  const prefix = exportPrefix(row.owner_id, row.id);
  const relative = (p: string) => p.slice(row.root.length + 1);
  const pathsOf = async (ids: readonly string[]) => {
    const found = await repo.pathsOf(row.id, ids);
    const originals = new Map<string, string>();
    for (const [id, kinds] of found) {
      const original = kinds.get('original');
      if (original) originals.set(id, relative(original));
    }
    return originals;
  };
  const [account, albums, shares] = await Promise.all([
    accountDocument(library, row.owner_id, row.created_at),
    albumsDocument(library, row.owner_id, pathsOf),
    sharesDocument(library, row.owner_id),
  ]);

  await fsp.mkdir(tmpDir, { recursive: true });
  const indexFile = path.join(tmpDir, `${randomUUID()}.html`);
  const indexKey = `${prefix}index.html`;
  try {
    await writeIndex(
      { repo, library, index: indexRepo, root: row.root },
      row,
      account.user.name,
      indexFile,
    );
    await blobs.putFile(indexKey, indexFile);
  } finally {
    await fsp.rm(indexFile, { force: true });
  }
  const index = await measureBlob(blobs, indexKey);
  if (!index) throw new Error('The offline page was not stored');

  const files: { name: string; key: string; measured: { size: number; crc32: number } }[] = [];
  const put = async (name: string, bytes: Buffer) => {
    const key = `${prefix}${name}`;
    files.push({ name, key, measured: await putBytes(blobs, tmpDir, key, bytes) });
  };
  await put('README.txt', Buffer.from(readme(row, account.user.name), 'utf8'));
  files.push({ name: 'index.html', key: indexKey, measured: index });
  await put('account.json', jsonBytes(account));
  await put('albums.json', jsonBytes(albums));
  await put('shares.json', jsonBytes(shares));
  await repo.insertEntries(
    files.map((f, i) => ({
      export_id: row.id,
      seq: i - files.length,
      asset_id: null,
      kind: 'file' as const,
      part: null,
      path: `${row.root}/${f.name}`,
      blob_key: f.key,
      size: f.measured.size,
      crc32: f.measured.crc32,
      modified_at: row.created_at,
    })),
  );
  await splitIntoParts(repo, blobs, row);
}

/**
 * Files per part at most: a download reads its part's list of files into memory, so a part of
 * many small files is cut before its size would cut it (20,000 files: a few MB of rows).
 */
export const maxFilesPerPart = 20_000;

/**
 * Fills parts in order up to the part size (or the file count), keeping an asset's files
 * together (a single asset larger than the size has a part of its own), then records each
 * part's exact zip size.
 */
async function splitIntoParts(repo: ExportRepo, blobs: BlobStore, row: ExportRow): Promise<void> {
  const ranges: { part: number; from: number; to: number }[] = [];
  let part = { from: 0, to: 0, bytes: maxEndBytes, count: 0 };
  let group = { key: '', from: 0, to: 0, bytes: 0, count: 0 };
  const place = () => {
    if (group.count === 0) return;
    const full =
      part.bytes + group.bytes > row.part_size || part.count + group.count > maxFilesPerPart;
    if (part.count > 0 && full) {
      ranges.push({ part: ranges.length + 1, from: part.from, to: part.to });
      part = { from: group.from, to: group.to, bytes: maxEndBytes, count: 0 };
    }
    if (part.count === 0) part.from = group.from;
    part.to = group.to;
    part.bytes += group.bytes;
    part.count += group.count;
  };
  let after = -(2 ** 31); // the smallest integer both databases hold
  for (;;) {
    const page = await repo.entryPage(row.id, after, 5000);
    for (const entry of page) {
      const key = entry.asset_id ?? '';
      if (key !== group.key || group.count === 0) {
        place();
        group = { key, from: entry.seq, to: entry.seq, bytes: 0, count: 0 };
      }
      group.to = entry.seq;
      group.bytes += entry.size + maxOverhead(Buffer.byteLength(entry.path));
      group.count += 1;
    }
    const last = page.at(-1);
    if (!last) break;
    after = last.seq;
  }
  place();
  if (part.count > 0) ranges.push({ part: ranges.length + 1, from: part.from, to: part.to });

  const parts: ExportPartRow[] = [];
  for (const range of ranges) {
    await repo.assignPart(row.id, range.part, range.from, range.to);
    const entries = await repo.entriesOfPart(row.id, range.part);
    const layout = new ZipLayout(entries.map((e) => zipFileOf(blobs, e)));
    parts.push({ part: range.part, size: layout.size, entry_count: entries.length });
  }
  await repo.setParts(row.id, parts);
}
