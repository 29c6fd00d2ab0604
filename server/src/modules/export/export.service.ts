import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AccessService, Actor } from '../../access/access.service.js';
import type { ExportRow } from '../../db/db.types.js';
import { DomainError, notFound } from '../../errors.js';
import type { GiveUpHandler, JobHandlers, JobQueue } from '../../jobs/job-queue.js';
import type { BlobStore, ByteRange } from '../../storage/blob-store.js';
import type { ExportBuilder } from './export.builder.js';
import { exportPrefix, zipFileOf } from './export.files.js';
import { exportRoot, partFileName } from './export.names.js';
import type { ExportRepo } from './export.repo.js';
import { toExportView, type ExportView } from './export.view.js';
import { ZipLayout, type ZipFile } from './export.zip.js';

export interface ExportOptions {
  /** Default largest part, in bytes. */
  partSize: number;
  /** Days an export is kept (from when it is finished). */
  keepDays: number;
}

export interface OpenedPart {
  size: number;
  range?: ByteRange;
  stream: Readable;
  etag: string;
  fileName: string;
}

/** Full exports of a user's library: asked for, made by a job, downloaded part by part. */
export class ExportService {
  constructor(
    private readonly repo: ExportRepo,
    private readonly access: AccessService,
    private readonly jobs: JobQueue,
    private readonly blobs: BlobStore,
    private readonly builder: ExportBuilder,
    private readonly options: ExportOptions,
  ) {}

  /**
   * Starts an export of everything the actor has now. While one is being made, asking again
   * answers that one (`created` false) rather than making a second.
   */
  async create(
    actor: Actor,
    request: { partSizeBytes?: number },
  ): Promise<{ created: boolean; view: ExportView }> {
    const running = await this.repo.unfinished(actor.userId);
    if (running) return { created: false, view: await this.get(actor, running.id) };
    const now = Date.now();
    const id = randomUUID();
    await this.repo.insert(
      {
        id,
        owner_id: actor.userId,
        status: 'queued',
        error: null,
        root: exportRoot(now),
        part_size: request.partSizeBytes ?? this.options.partSize,
        asset_count: 0,
        assets_done: 0,
        created_at: now,
        updated_at: now,
        finished_at: null,
        expires_at: now + this.options.keepDays * 86_400_000,
      },
      (trx) => this.jobs.enqueue('export', { exportId: id }, trx),
    );
    return { created: true, view: await this.get(actor, id) };
  }

  private async load(actor: Actor, id: string): Promise<ExportRow> {
    await this.access.requireExport(actor, id);
    const row = await this.repo.find(id);
    if (!row) throw notFound('Export');
    return row;
  }

  async get(actor: Actor, id: string): Promise<ExportView> {
    const row = await this.load(actor, id);
    return toExportView(row, await this.repo.parts(id));
  }

  async list(actor: Actor): Promise<ExportView[]> {
    const rows = await this.repo.listByOwner(actor.userId);
    return Promise.all(rows.map(async (row) => toExportView(row, await this.repo.parts(row.id))));
  }

  /** Deletes the export and the files it wrote (originals are never touched). */
  async delete(actor: Actor, id: string): Promise<void> {
    await this.remove(await this.load(actor, id));
  }

  private async remove(row: ExportRow): Promise<void> {
    const keys: string[] = [];
    for await (const key of this.blobs.list(exportPrefix(row.owner_id, row.id))) keys.push(key);
    // The files go in a job committed with the deletion: a crash cannot leave them behind. A
    // job still making this export notices that it is gone and removes what it wrote after.
    await this.repo.delete(row.id, async (trx) => {
      if (keys.length > 0) await this.jobs.enqueue('delete-files', { keys }, trx);
    });
  }

  /**
   * One part's zip, or the byte range asked of it. The bytes are the same on every request, so
   * a download cut anywhere continues with a Range request. The files the range covers are
   * checked first: an original deleted since the export was made fails the request before its
   * first byte, rather than in the middle of the zip.
   */
  async openPart(
    actor: Actor,
    id: string,
    part: number,
    range: (size: number) => ByteRange | undefined,
  ): Promise<OpenedPart> {
    const row = await this.load(actor, id);
    if (row.status !== 'ready') {
      throw new DomainError('NOT_READY', `This export is not ready (${row.status})`);
    }
    const parts = await this.repo.parts(id);
    if (!parts.some((p) => p.part === part)) throw notFound('Part');
    const entries = await this.repo.entriesOfPart(id, part);
    const layout = new ZipLayout(
      entries.map((e): ZipFile & { key: string } => ({
        ...zipFileOf(this.blobs, e),
        key: e.blob_key,
      })),
    );
    const wanted = range(layout.size);
    await this.requireFiles(layout.filesIn(wanted ?? { start: 0, end: layout.size - 1 }));
    return {
      size: layout.size,
      range: wanted,
      stream: layout.stream(wanted),
      etag: `${id}-${part}-${layout.size}`,
      fileName: partFileName(row, part, parts.length),
    };
  }

  private async requireFiles(files: readonly (ZipFile & { key: string })[]): Promise<void> {
    for (let i = 0; i < files.length; i += 16) {
      const batch = files.slice(i, i + 16);
      const sizes = await Promise.all(batch.map((f) => this.blobs.size(f.key)));
      const missing = batch.find((f, j) => sizes[j] !== f.size);
      if (missing) {
        throw new DomainError(
          'NOT_FOUND',
          `${missing.path} was deleted or changed after this export was made: make a new export`,
          { path: missing.path },
        );
      }
    }
  }

  handlers(): Pick<JobHandlers, 'export'> {
    return { export: ({ exportId }) => this.builder.run(exportId) };
  }

  readonly gaveUp: GiveUpHandler = async (queue, payload, error) => {
    if (queue !== 'export' || !('exportId' in payload)) return;
    await this.repo.update(payload.exportId, { status: 'failed', error });
  };

  /**
   * Run hourly as `export-expiry`: deletes exports past their time, and files under `exports/` whose
   * export is gone (an account erased with its rows). Answers how many exports were deleted.
   */
  async purgeExpired(now = Date.now()): Promise<number> {
    const ids = await this.repo.expiredIds(now);
    for (const id of ids) {
      const row = await this.repo.find(id);
      if (row) await this.remove(row);
    }
    const known = new Map<string, boolean>();
    for await (const key of this.blobs.list('exports/')) {
      const exportId = key.split('/')[2];
      if (exportId === undefined) continue;
      let exists = known.get(exportId);
      if (exists === undefined) {
        exists = (await this.repo.existingIds([exportId])).has(exportId);
        known.set(exportId, exists);
      }
      if (!exists) await this.blobs.delete(key);
    }
    return ids.length;
  }
}
