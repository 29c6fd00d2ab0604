import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Actor } from '../../access/access.service.js';
import type { AccessService } from '../../access/access.service.js';
import type { Db } from '../../db/database.js';
import type { AssetRow, AssetUpdate } from '../../db/db.types.js';
import { DomainError, notFound } from '../../errors.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { sniffFile } from '../../media/index.js';
import { blobKeys, type BlobStore, type ByteRange } from '../../storage/blob-store.js';
import type { UsersService } from '../users/users.service.js';
import { bucketOf, instantOfLocal } from './asset-dates.js';
import { importedColumns, initialDate, type ImportedFacts } from './assets.imported.js';
import { removeLocation, withoutLocation } from './assets.location.js';
import {
  moveToTempFile,
  receiveToTempFile,
  requireChecksum,
  uploadLimit,
  type ReceivedFile,
  type UploadLimit,
} from './assets.ingest.js';
import type { FullSizeRenditions } from './assets.fullsize.js';
import {
  AssetFiles,
  type AssetFileKind,
  type FileViewer,
  type OpenedFile,
} from './assets.files.js';
import type { StrippedOriginals } from './assets.stripped.js';
import type { AssetsRepo } from './assets.repo.js';
import { toAssetView, type AssetView } from './assets.view.js';

export interface UploadInfo {
  filename: string;
  /** What an import knows beyond the bytes (see assets.imported.ts). */
  facts?: ImportedFacts;
  /** The share link a visitor uploaded through, into its owner's library. */
  viaLinkId?: string;
  fileCreatedAt?: Date;
  fileModifiedAt?: Date;
}

export interface AssetPatch {
  isFavorite?: boolean;
  isArchived?: boolean;
  description?: string | null;
  /** Corrects the capture time: local wall-clock and, optionally, its UTC offset. */
  localDateTime?: string;
  utcOffsetMinutes?: number | null;
}

export type { AssetFileKind, FileViewer, LinkViewer } from './assets.files.js';

export class AssetsService {
  private readonly files: AssetFiles;

  constructor(
    private readonly repo: AssetsRepo,
    private readonly access: AccessService,
    private readonly users: UsersService,
    private readonly blobs: BlobStore,
    private readonly jobs: JobQueue,
    private readonly options: {
      tmpDir: string;
      maxUploadBytes: number;
      fullSize: FullSizeRenditions;
      stripped: StrippedOriginals;
    },
  ) {
    this.files = new AssetFiles(repo, access, blobs, options.fullSize, options.stripped);
  }

  async upload(
    actor: Actor,
    source: Readable,
    info: UploadInfo,
  ): Promise<{ id: string; status: 'created' | 'duplicate' }> {
    const limit = await this.sizeLimit(actor);
    if (limit.bytes <= 0) {
      source.resume();
      throw limit.error();
    }
    const id = randomUUID();
    const received = await receiveToTempFile(source, path.join(this.options.tmpDir, id), limit);
    return this.ingest(actor, id, received, info);
  }

  /**
   * Ingests a finished file already on disk (a resumable upload) exactly like `upload`. The file
   * is moved, not copied, into the upload folder, where a crash is recovered, and read once for
   * its SHA-1; it is gone afterwards whatever the outcome.
   */
  async ingestFile(
    actor: Actor,
    filePath: string,
    info: UploadInfo,
  ): Promise<{ id: string; status: 'created' | 'duplicate' }> {
    const limit = await this.sizeLimit(actor);
    if ((await fsp.stat(filePath)).size > limit.bytes) {
      await fsp.rm(filePath, { force: true });
      throw limit.error();
    }
    const id = randomUUID();
    const received = await moveToTempFile(filePath, path.join(this.options.tmpDir, id));
    return this.ingest(actor, id, received, info);
  }

  private async sizeLimit(actor: Actor): Promise<UploadLimit> {
    return uploadLimit(await this.users.quotaUsage(actor.userId), this.options.maxUploadBytes);
  }

  private async ingest(
    actor: Actor,
    id: string,
    received: ReceivedFile,
    info: UploadInfo,
  ): Promise<{ id: string; status: 'created' | 'duplicate' }> {
    try {
      requireChecksum(received, info.facts?.sha1, info.filename);
      if (received.size === 0) throw new DomainError('UNSUPPORTED_MEDIA', 'The file is empty');
      const probe = await sniffFile(received.path);
      if (!probe) {
        throw new DomainError(
          'UNSUPPORTED_MEDIA',
          `${info.filename} is not a photo or video format PixelUnion reads`,
        );
      }
      const existing = await this.repo.findByChecksum(actor.userId, received.checksum);
      if (existing) {
        if (existing.status === 'processing') {
          await this.finishUnstored(actor.userId, existing.id, received.path, probe.mimeType, info);
        }
        return { id: existing.id, status: 'duplicate' };
      }
      // The owner's choice, whoever sends the file (a share link's visitor, an import). The
      // checksum stays the uploaded bytes' SHA-1, so the same file sent again is a duplicate.
      const stripLocation = await this.users.stripsLocation(actor.userId);
      const storedSize = stripLocation
        ? await removeLocation(received.path, probe.mimeType, info.filename)
        : received.size;
      const facts = stripLocation ? withoutLocation(info.facts) : info.facts;

      const now = Date.now();
      const fileTime = info.fileCreatedAt ?? info.fileModifiedAt;
      let jobId = 0;
      try {
        await this.repo.insert(
          {
            id,
            owner_id: actor.userId,
            type: probe.type,
            format: probe.format,
            mime_type: probe.mimeType,
            status: 'processing',
            original_file_name: info.filename,
            file_size: storedSize,
            checksum: received.checksum,
            file_created_at: info.fileCreatedAt?.getTime() ?? null,
            file_modified_at: info.fileModifiedAt?.getTime() ?? null,
            uploaded_at: now,
            ...initialDate(facts, fileTime, now),
            ...importedColumns(facts, now),
            has_thumbnail: 0,
            uploaded_via_link_id: info.viaLinkId ?? null,
          },
          async (trx: Db) => {
            jobId = await this.jobs.enqueueHeld('metadata', { assetId: id }, trx);
          },
        );
      } catch (error) {
        // Two uploads of the same bytes at once: the unique (owner, checksum) index keeps one.
        const raced = await this.repo.findByChecksum(actor.userId, received.checksum);
        if (raced) return { id: raced.id, status: 'duplicate' };
        throw error;
      }
      // The row is committed; the blob moves now. A crash in between is finished at the next start.
      await this.blobs.putFile(blobKeys.original(actor.userId, id), received.path);
      await this.jobs.release(jobId);
      return { id, status: 'created' };
    } finally {
      await fsp.rm(received.path, { force: true });
    }
  }

  /**
   * An asset whose row was committed by a process that died before storing its original (a
   * worker killed in a Takeout import, an api process whose temporary file is gone with its
   * disk): these same bytes, sent again, become its original and release its held metadata job.
   */
  private async finishUnstored(
    ownerId: string,
    assetId: string,
    file: string,
    mimeType: string,
    info: UploadInfo,
  ): Promise<void> {
    const key = blobKeys.original(ownerId, assetId);
    // A process may also have died after storing the original but before releasing the job.
    if ((await this.blobs.size(key)) === null) {
      if (await this.users.stripsLocation(ownerId)) {
        await removeLocation(file, mimeType, info.filename);
      }
      await this.blobs.putFile(key, file);
    }
    const jobId = await this.repo.heldMetadataJob(assetId);
    if (jobId !== undefined) await this.jobs.release(jobId);
  }

  /** Whether new assets of this owner are stored without their location (their setting). */
  stripsLocation(ownerId: string): Promise<boolean> {
    return this.users.stripsLocation(ownerId);
  }

  /** Gives an asset its live-photo video part from a finished file, which is moved or removed. */
  async attachMotion(actor: Actor, id: string, filePath: string): Promise<'attached' | 'already'> {
    try {
      const asset = await this.load(actor, id, 'update');
      if (asset.motion_file_size !== null) return 'already';
      const probe = await sniffFile(filePath);
      if (probe?.type !== 'video') {
        throw new DomainError('UNSUPPORTED_MEDIA', 'The motion part is not a video');
      }
      const size = (await this.users.stripsLocation(asset.owner_id))
        ? await removeLocation(filePath, probe.mimeType, asset.original_file_name)
        : (await fsp.stat(filePath)).size;
      await this.blobs.putFile(blobKeys.motion(asset.owner_id, id), filePath);
      await this.repo.update([id], { motion_file_size: size, motion_mime_type: probe.mimeType });
      return 'attached';
    } finally {
      await fsp.rm(filePath, { force: true });
    }
  }

  async checkChecksums(
    actor: Actor,
    checksums: readonly string[],
  ): Promise<{ checksum: string; id: string }[]> {
    const found = await this.repo.findChecksums(
      actor.userId,
      checksums.map((c) => c.toLowerCase()),
    );
    return [...found].map(([checksum, id]) => ({ checksum, id }));
  }

  private async load(
    actor: Actor,
    id: string,
    permission: 'read' | 'update' | 'delete',
  ): Promise<AssetRow> {
    await this.access.requireAsset(actor, id, permission);
    const asset = await this.repo.findById(id);
    if (!asset) throw notFound('Asset');
    return asset;
  }

  async get(actor: Actor, id: string): Promise<AssetView> {
    return toAssetView(await this.load(actor, id, 'read'));
  }

  async update(actor: Actor, id: string, patch: AssetPatch): Promise<AssetView> {
    const asset = await this.load(actor, id, 'update');
    const changes: AssetUpdate = {};
    if (patch.isFavorite !== undefined) changes.is_favorite = patch.isFavorite ? 1 : 0;
    if (patch.isArchived !== undefined)
      changes.visibility = patch.isArchived ? 'archive' : 'timeline';
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.localDateTime !== undefined) {
      const offset =
        patch.utcOffsetMinutes === undefined ? asset.utc_offset_minutes : patch.utcOffsetMinutes;
      const instant = instantOfLocal(patch.localDateTime, offset);
      if (!instant) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `localDateTime must look like 2023-10-06T08:30:00`,
        );
      }
      Object.assign(changes, {
        local_date_time: patch.localDateTime,
        utc_offset_minutes: offset,
        taken_at: instant.getTime(),
        bucket: bucketOf(patch.localDateTime),
        date_source: 'user',
      });
    }
    await this.repo.update([id], changes);
    return this.get(actor, id);
  }

  /** The bulk form of update, for a selection: only the flags, the same change for all. */
  async updateMany(
    actor: Actor,
    ids: readonly string[],
    patch: Pick<AssetPatch, 'isFavorite' | 'isArchived'>,
  ): Promise<void> {
    await this.access.requireAssets(actor, ids, 'update');
    const changes: AssetUpdate = {};
    if (patch.isFavorite !== undefined) changes.is_favorite = patch.isFavorite ? 1 : 0;
    if (patch.isArchived !== undefined)
      changes.visibility = patch.isArchived ? 'archive' : 'timeline';
    if (Object.keys(changes).length > 0) await this.repo.update(ids, changes);
  }

  async trash(actor: Actor, ids: readonly string[]): Promise<void> {
    await this.access.requireAssets(actor, ids, 'delete');
    await this.repo.update(ids, { trashed_at: Date.now() });
  }

  async restore(actor: Actor, ids: readonly string[]): Promise<void> {
    await this.access.requireAssets(actor, ids, 'delete');
    await this.repo.update(ids, { trashed_at: null });
  }

  /** Deletes rows now and their files through a job, so no crash can leave orphan blobs. */
  async deletePermanently(actor: Actor, ids: readonly string[]): Promise<void> {
    await this.access.requireAssets(actor, ids, 'delete');
    await this.deleteForGood(ids);
  }

  /**
   * Empties the trash of everything trashed before `cutoff` (epoch ms), for every user, in
   * batches; answers how many assets were deleted. Run on a timer by the workers.
   */
  async purgeTrashedBefore(cutoff: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = await this.repo.trashedBefore(cutoff, 500);
      if (ids.length === 0) return deleted;
      await this.deleteForGood(ids);
      deleted += ids.length;
    }
  }

  private async deleteForGood(ids: readonly string[]): Promise<void> {
    const rows = await Promise.all(ids.map((id) => this.repo.findById(id)));
    const keys = rows.flatMap((a) =>
      a
        ? [
            blobKeys.original(a.owner_id, a.id),
            blobKeys.thumbnail(a.owner_id, a.id),
            blobKeys.preview(a.owner_id, a.id),
            blobKeys.fullsize(a.owner_id, a.id),
            blobKeys.stripped(a.owner_id, a.id),
            blobKeys.motion(a.owner_id, a.id),
          ]
        : [],
    );
    await this.repo.delete(ids, (trx) => this.jobs.enqueue('delete-files', { keys }, trx));
  }

  async emptyTrash(actor: Actor): Promise<number> {
    const trashed = await this.repo.trashedOf(actor.userId);
    await this.deletePermanently(
      actor,
      trashed.map((a) => a.id),
    );
    return trashed.length;
  }

  /** The originals of a selection as one zip (stripped and neutrally named through a link). */
  archive(
    viewer: FileViewer,
    ids: readonly string[],
  ): Promise<{ stream: Readable; size: Promise<number> }> {
    return this.files.archive(viewer, ids);
  }

  /** Opens one of the asset's files after the access check; see AssetFiles.open. */
  openFile(
    viewer: FileViewer,
    id: string,
    kind: AssetFileKind,
    range?: (size: number) => ByteRange | undefined,
  ): Promise<OpenedFile> {
    return this.files.open(viewer, id, kind, range);
  }
}
