import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { AccessService, Actor } from '../../access/access.service.js';
import type { TakeoutImportRow, TakeoutImportSource } from '../../db/db.types.js';
import { DomainError, notFound } from '../../errors.js';
import type { GiveUpHandler, JobHandlers, JobQueue } from '../../jobs/job-queue.js';
import type { TakeoutParts } from './takeout.parts.js';
import { exportNotes } from './takeout.pixelunion.albums.js';
import { reportStream, sharedAlbumsNote } from './takeout.report.js';
import type { TakeoutRepo } from './takeout.repo.js';
import type { TakeoutRunner } from './takeout.runner.js';
import { toProgress, type TakeoutProgress } from './takeout.view.js';

/** Receives finished uploads that are parts of an import (see UploadsService). */
export interface TakeoutPartSink {
  /** Throws unless the actor may add parts to this import now. */
  requireOpen(actor: Actor, importId: string): Promise<void>;
  /** Takes the finished local file over (it is moved or uploaded) as a part of the import. */
  addPart(actor: Actor, importId: string, filePath: string, fileName: string): Promise<string>;
}

/** Google Takeout imports: parts are uploaded, then one background job imports them all. */
export class TakeoutService implements TakeoutPartSink {
  constructor(
    private readonly repo: TakeoutRepo,
    private readonly access: AccessService,
    private readonly jobs: JobQueue,
    private readonly runner: TakeoutRunner,
    private readonly parts: TakeoutParts,
  ) {}

  /** `source`: what the owner said they import; the parts, once read, say what it is. */
  async create(
    actor: Actor,
    source: TakeoutImportSource = 'google-takeout',
  ): Promise<TakeoutProgress> {
    const now = Date.now();
    const id = randomUUID();
    await this.repo.createImport({
      id,
      owner_id: actor.userId,
      source,
      status: 'uploading',
      error: null,
      created_at: now,
      updated_at: now,
      started_at: null,
      finished_at: null,
    });
    return this.get(actor, id);
  }

  private async load(actor: Actor, id: string): Promise<TakeoutImportRow> {
    await this.access.requireTakeoutImport(actor, id);
    const row = await this.repo.findImport(id);
    if (!row) throw notFound('Import');
    return row;
  }

  async requireOpen(actor: Actor, importId: string): Promise<void> {
    await this.openImport(actor, importId);
  }

  private async openImport(actor: Actor, importId: string): Promise<TakeoutImportRow> {
    const row = await this.load(actor, importId);
    if (row.status !== 'uploading') throw notOpen(row.status);
    return row;
  }

  /** Stores the part in the blob store, where whichever worker runs the import reads it. */
  async addPart(
    actor: Actor,
    importId: string,
    filePath: string,
    fileName: string,
  ): Promise<string> {
    const row = await this.openImport(actor, importId);
    const id = randomUUID();
    const { size } = await fsp.stat(filePath);
    await this.parts.put(row.owner_id, importId, id, filePath);
    // Storing tens of GB takes a while: the import may have been started or cancelled meanwhile,
    // and its parts listed without this one.
    const now = await this.repo.findImport(importId);
    if (now?.status !== 'uploading') {
      await this.parts.delete(row.owner_id, importId, id);
      throw notOpen(now?.status ?? 'cancelled');
    }
    await this.repo.insertPart({
      id,
      import_id: importId,
      file_name: fileName,
      size,
      status: 'uploaded',
      format: null,
      error: null,
      created_at: Date.now(),
    });
    return id;
  }

  async start(actor: Actor, id: string): Promise<TakeoutProgress> {
    const row = await this.load(actor, id);
    if (row.status === 'uploading') {
      if ((await this.repo.partsOf(id)).length === 0) {
        throw new DomainError('VALIDATION_FAILED', 'Upload at least one part before starting');
      }
      await this.repo.updateImport(id, { status: 'queued' });
      await this.jobs.enqueue('takeout-import', { importId: id });
    }
    return this.get(actor, id);
  }

  async cancel(actor: Actor, id: string): Promise<TakeoutProgress> {
    const row = await this.load(actor, id);
    if (row.status !== 'done' && row.status !== 'failed') {
      await this.repo.updateImport(id, { status: 'cancelled', finished_at: Date.now() });
      await this.parts.deleteAll(row.owner_id, id);
    }
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<TakeoutProgress> {
    const row = await this.load(actor, id);
    const [parts, counts, albums, matched] = await Promise.all([
      this.repo.partsOf(id),
      this.repo.reports.counts(id),
      this.repo.albumsOf(id),
      this.repo.reports.matchedCount(id),
    ]);
    return toProgress(row, parts, counts, { albums: albums.length, matched });
  }

  async list(actor: Actor): Promise<TakeoutProgress[]> {
    const rows = await this.repo.listImports(actor.userId);
    return Promise.all(rows.map((row) => this.get(actor, row.id)));
  }

  async report(actor: Actor, id: string, outcomes?: readonly string[]): Promise<Readable> {
    const progress = await this.get(actor, id);
    const notes =
      progress.source === 'pixelunion' ? await exportNotes(this.repo, id) : [sharedAlbumsNote];
    return reportStream(this.repo, progress, await this.repo.albumsOf(id), notes, outcomes);
  }

  handlers(): Pick<JobHandlers, 'takeout-import'> {
    return { 'takeout-import': ({ importId }) => this.runner.run(importId) };
  }

  /** A failed import cannot be started again: its parts are of no more use, and are deleted. */
  readonly gaveUp: GiveUpHandler = async (queue, payload, error) => {
    if (queue !== 'takeout-import' || !('importId' in payload)) return;
    await this.repo.updateImport(payload.importId, {
      status: 'failed',
      error,
      finished_at: Date.now(),
    });
    const row = await this.repo.findImport(payload.importId);
    if (row) await this.parts.deleteAll(row.owner_id, row.id);
  };

  /** At start: imports a stop or a crash interrupted get a job again (a second one is harmless). */
  async resumeInterrupted(): Promise<number> {
    const ids = await this.repo.unfinishedImportIds();
    for (const importId of ids) await this.jobs.enqueue('takeout-import', { importId });
    return ids.length;
  }
}

function notOpen(status: string): DomainError {
  return new DomainError(
    'VALIDATION_FAILED',
    `This import has started (${status}): parts can only be added before it starts`,
  );
}
