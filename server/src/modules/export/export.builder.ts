import type { Insertable } from 'kysely';
import type { AssetRow, ExportEntriesTable, ExportRow } from '../../db/db.types.js';
import { blobKeys, type BlobStore } from '../../storage/blob-store.js';
import { assetDocument, jsonBytes, type AssetRelations } from './export.documents.js';
import {
  deleteExportFiles,
  exportPrefix,
  measureBlob,
  putBytes,
  readSmallBlob,
} from './export.files.js';
import { finishExport } from './export.finish.js';
import type { ExportIndexRepo } from './export.index.repo.js';
import type { ExportLibraryRepo } from './export.library.repo.js';
import { assetFolder, FolderNames, motionName } from './export.names.js';
import type { ExportRepo } from './export.repo.js';
import { assetXmp } from './export.xmp.js';

export interface ExportBuilderOptions {
  /** For the small files on their way into the blob store. */
  tmpDir: string;
  /** Days a finished export is kept. */
  keepDays: number;
}

type NewEntry = Insertable<ExportEntriesTable>;

const pageSize = 100;

/**
 * Makes an export (the `export` job): for every asset of the snapshot — those uploaded before the
 * export was asked for — it measures the original and its motion part (size and CRC-32, read
 * once as streams), and writes its JSON, XMP and a copy of its thumbnail; then the account,
 * albums, share links and the offline page; then splits the files into parts. What is done is
 * recorded per asset, so a run cut short by a crash continues where it stopped. Originals are
 * never copied (they never change): a part's zip is produced from these records, reading them
 * where they are, when it is downloaded.
 */
export class ExportBuilder {
  constructor(
    private readonly repo: ExportRepo,
    private readonly library: ExportLibraryRepo,
    private readonly index: ExportIndexRepo,
    private readonly blobs: BlobStore,
    private readonly options: ExportBuilderOptions,
  ) {}

  async run(exportId: string): Promise<void> {
    const row = await this.repo.find(exportId);
    if (!row || row.status === 'ready' || row.status === 'failed') return;
    const [assetCount, assetsDone] = await Promise.all([
      this.library.assetCount(row.owner_id, row.created_at),
      this.repo.countDoneAssets(exportId),
    ]);
    const started = await this.repo.update(exportId, {
      status: 'building',
      asset_count: assetCount,
      assets_done: assetsDone,
    });
    try {
      if (!started || !(await this.addAssets(row, assetsDone))) {
        await this.discard(row);
        return;
      }
      await finishExport(
        {
          repo: this.repo,
          library: this.library,
          index: this.index,
          blobs: this.blobs,
          tmpDir: this.options.tmpDir,
        },
        row,
      );
    } catch (error) {
      // Deleted while a step was running (its rows then refuse to be written): not a failure.
      if (!(await this.repo.find(exportId))) {
        await this.discard(row);
        return;
      }
      throw error;
    }
    const now = Date.now();
    const ready = await this.repo.update(exportId, {
      status: 'ready',
      error: null,
      finished_at: now,
      expires_at: now + this.options.keepDays * 86_400_000,
    });
    if (!ready) await this.discard(row);
  }

  /** Files of an export deleted while it was being made. */
  private async discard(row: ExportRow): Promise<void> {
    await deleteExportFiles(this.blobs, exportPrefix(row.owner_id, row.id));
  }

  /** False when the export was deleted meanwhile. */
  private async addAssets(row: ExportRow, alreadyDone: number): Promise<boolean> {
    const names = new FolderNames(async (folder) => {
      const prefix = `${row.root}/${folder}/`;
      const paths = await this.repo.pathsUnder(row.id, prefix);
      return paths.map((p) => p.slice(prefix.length)).filter((name) => !name.includes('/'));
    });
    let seq = await this.repo.maxSeq(row.id);
    let done = alreadyDone;
    let month = '';
    let after: { local: string; id: string } | null = null;
    for (;;) {
      const page = await this.library.assetPage(row.owner_id, row.created_at, after, pageSize);
      const last = page.at(-1);
      if (!last) return true;
      const ids = page.map((a) => a.id);
      const [doneIds, relations] = await Promise.all([
        this.repo.doneAssetIds(row.id, ids),
        this.relationsOf(row.owner_id, ids),
      ]);
      for (const asset of page) {
        // Assets come in capture order: a new month means the folders of the last one are done.
        if (asset.local_date_time.slice(0, 7) !== month) {
          names.clear();
          month = asset.local_date_time.slice(0, 7);
        }
        if (doneIds.has(asset.id)) continue;
        const entries = await this.assetEntries(row, asset, names, relations(asset.id), seq);
        await this.repo.insertEntries(entries);
        seq += entries.length;
        done += 1;
      }
      if (!(await this.repo.update(row.id, { assets_done: done }))) return false;
      after = { local: last.local_date_time, id: last.id };
    }
  }

  private async relationsOf(ownerId: string, ids: string[]) {
    const [albums, links] = await Promise.all([
      this.library.albumsOfAssets(ids),
      this.library.linksOfAssets(ownerId, ids),
    ]);
    return (assetId: string): AssetRelations => ({
      albums: albums
        .filter((a) => a.asset_id === assetId)
        .map((a) => ({ id: a.album_id, title: a.title, ownedByYou: a.owner_id === ownerId })),
      shareLinkIds: links.filter((l) => l.asset_id === assetId).map((l) => l.link_id),
    });
  }

  /** The asset's files in the export: original, motion part, JSON, XMP, thumbnail. */
  private async assetEntries(
    row: ExportRow,
    asset: AssetRow,
    names: FolderNames,
    relations: AssetRelations,
    lastSeq: number,
  ): Promise<NewEntry[]> {
    const entries: NewEntry[] = [];
    const add = (
      kind: NewEntry['kind'],
      relative: string,
      blobKey: string,
      measured: { size: number; crc32: number },
      modifiedAt: number,
    ) => {
      entries.push({
        export_id: row.id,
        seq: lastSeq + entries.length + 1,
        asset_id: asset.id,
        kind,
        part: null,
        path: `${row.root}/${relative}`,
        blob_key: blobKey,
        size: measured.size,
        crc32: measured.crc32,
        modified_at: modifiedAt,
      });
      return relative;
    };
    const fileTime = asset.file_modified_at ?? asset.taken_at;
    const folder = assetFolder(asset);
    const name = await names.take(folder, asset.original_file_name, ['.json', '.xmp']);

    const originalKey = blobKeys.original(asset.owner_id, asset.id);
    const original = await measureBlob(this.blobs, originalKey);
    const originalPath = original
      ? add('original', `${folder}/${name}`, originalKey, original, fileTime)
      : null;
    let motionPath: string | null = null;
    if (asset.motion_file_size !== null) {
      const key = blobKeys.motion(asset.owner_id, asset.id);
      const motion = await measureBlob(this.blobs, key);
      const motionFile = await names.take(folder, motionName(name, asset.motion_mime_type));
      if (motion) motionPath = add('motion', `${folder}/${motionFile}`, key, motion, fileTime);
    }
    const prefix = exportPrefix(row.owner_id, row.id);
    const put = (key: string, bytes: Buffer) =>
      putBytes(this.blobs, this.options.tmpDir, key, bytes);
    // The thumbnail is copied (it is small): unlike an original it could be made again, and the
    // zip must stay the bytes it announced.
    const thumbnailBytes =
      asset.has_thumbnail === 1
        ? await readSmallBlob(this.blobs, blobKeys.thumbnail(asset.owner_id, asset.id))
        : null;
    const thumbnailPath = thumbnailBytes ? `thumbnails/${folder}/${name}.webp` : null;

    const xmpPath = `${folder}/${name}.xmp`;
    const document = assetDocument(
      asset,
      { original: originalPath, motion: motionPath, thumbnail: thumbnailPath, xmp: xmpPath },
      relations,
    );
    const jsonKey = `${prefix}assets/${asset.id}.json`;
    add(
      'json',
      `${folder}/${name}.json`,
      jsonKey,
      await put(jsonKey, jsonBytes(document)),
      row.created_at,
    );
    const xmpKey = `${prefix}assets/${asset.id}.xmp`;
    add(
      'xmp',
      xmpPath,
      xmpKey,
      await put(xmpKey, Buffer.from(assetXmp(asset), 'utf8')),
      row.created_at,
    );
    if (thumbnailBytes && thumbnailPath) {
      const key = `${prefix}thumbnails/${asset.id}.webp`;
      add('thumbnail', thumbnailPath, key, await put(key, thumbnailBytes), row.created_at);
    }
    return entries;
  }
}
