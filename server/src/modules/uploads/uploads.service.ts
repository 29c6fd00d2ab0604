import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Actor } from '../../access/access.service.js';
import type { ResumableUploadRow } from '../../db/db.types.js';
import { DomainError, notFound } from '../../errors.js';
import type { AssetsService } from '../assets/assets.service.js';
import type { TakeoutPartSink } from '../takeout/takeout.service.js';
import type { UsersService } from '../users/users.service.js';
import type { ReceivedChunk, UploadBytes, UploadRef } from './uploads.bytes.js';
import type { UploadsRepo } from './uploads.repo.js';
import { offsetMismatch, stateOf, type ResumableInfo, type UploadState } from './uploads.state.js';

const expiryMs = 24 * 3600_000;
// A writer refreshes its lock every `heartbeatMs`; one not refreshed for `lockStaleMs` belongs
// to a process that died, and the next request may take the upload over.
const heartbeatMs = 15_000;
const lockStaleMs = 60_000;
const purgeEveryMs = 3600_000;
const idPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Log {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

const refOf = (row: ResumableUploadRow): UploadRef => ({ id: row.id, ownerId: row.owner_id });

/**
 * tus uploads: state in the database, bytes where `bytes` keeps them (a local file, or chunk
 * objects any process can read), the finished file ingested as an asset.
 */
export class UploadsService {
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: UploadsRepo,
    private readonly users: UsersService,
    private readonly assets: AssetsService,
    private readonly takeoutParts: TakeoutPartSink,
    private readonly bytes: UploadBytes,
    private readonly options: { maxUploadBytes: number },
    private readonly log: Log,
  ) {}

  /** tus creation; with `body` (creation-with-upload) its bytes are appended at once. */
  async create(
    actor: Actor,
    length: number,
    info: ResumableInfo,
    body?: { source: Readable; contentLength?: number },
  ): Promise<UploadState> {
    if (length === 0) throw new DomainError('UNSUPPORTED_MEDIA', 'The file is empty');
    if (length > this.options.maxUploadBytes) {
      throw new DomainError(
        'FILE_TOO_LARGE',
        `The file is larger than ${this.options.maxUploadBytes} bytes`,
      );
    }
    const now = Date.now();
    // A Takeout part is not kept: its photos count against the quota as they are imported.
    if (info.takeoutImportId) await this.takeoutParts.requireOpen(actor, info.takeoutImportId);
    const { usedBytes, quotaBytes } = await this.users.quotaUsage(actor.userId);
    if (quotaBytes !== null && !info.takeoutImportId) {
      const reservedBytes = await this.repo.reservedBytes(actor.userId, now);
      if (usedBytes + reservedBytes + length > quotaBytes) {
        throw new DomainError(
          'QUOTA_EXCEEDED',
          `Storage quota of ${quotaBytes} bytes would be exceeded`,
          { quotaBytes, usedBytes, reservedBytes },
        );
      }
    }
    const id = randomUUID();
    await this.repo.insert({
      id,
      owner_id: actor.userId,
      upload_length: length,
      upload_offset: 0,
      filename: info.filename,
      file_created_at: info.fileCreatedAt?.getTime() ?? null,
      file_modified_at: info.fileModifiedAt?.getTime() ?? null,
      lock_token: null,
      locked_at: null,
      asset_id: null,
      asset_status: null,
      created_at: now,
      expires_at: now + expiryMs,
      takeout_import_id: info.takeoutImportId ?? null,
    });
    // The row exists before its bytes, so bytes without a row are always orphans (see purge).
    const ref = { id, ownerId: actor.userId };
    await this.bytes.create(ref);
    if (!body) return { id, offset: 0, length, info, expiresAt: new Date(now + expiryMs) };
    try {
      return await this.append(actor, id, 0, body.source, body.contentLength);
    } catch (error) {
      // The client never learns the id of a creation that failed: nobody could resume it.
      await this.remove(ref);
      throw error;
    }
  }

  /** The state a client resumes from (tus HEAD). */
  async status(actor: Actor, id: string): Promise<UploadState> {
    const row = await this.usable(await this.find(actor, id));
    if (row.asset_id === null && row.upload_offset === row.upload_length) {
      throw new DomainError('UPLOAD_LOCKED', 'The upload is being finished: ask again shortly');
    }
    return stateOf(row);
  }

  /**
   * Writes one chunk (tus PATCH) at `offset`, which must be the stored offset. When the last byte
   * arrives the file is ingested like any upload and the upload answers with its asset.
   */
  async append(
    actor: Actor,
    id: string,
    offset: number,
    source: Readable,
    contentLength?: number,
  ): Promise<UploadState> {
    const row = await this.usable(await this.find(actor, id));
    if (offset !== row.upload_offset || row.asset_id !== null) throw offsetMismatch(row);
    const remaining = row.upload_length - offset;
    const tooMany = () =>
      new DomainError(
        'VALIDATION_FAILED',
        `The chunk goes past Upload-Length: only ${remaining} more bytes were announced`,
      );
    if (contentLength !== undefined && contentLength > remaining) throw tooMany();

    const token = randomUUID();
    if (!(await this.repo.lock(id, offset, token, Date.now(), Date.now() - lockStaleMs))) {
      const current = await this.find(actor, id);
      if (current.upload_offset !== offset || current.asset_id !== null) {
        throw offsetMismatch(current);
      }
      throw new DomainError('UPLOAD_LOCKED', 'Another request is writing this upload');
    }
    const takenOver = new AbortController();
    const heartbeat = setInterval(() => {
      this.beat(id, token).then(
        (held) => {
          if (!held) takenOver.abort();
        },
        (error: unknown) => {
          this.log.warn({ err: error, uploadId: id }, 'upload lock heartbeat failed');
        },
      );
    }, heartbeatMs);
    const ref = refOf(row);
    let received: ReceivedChunk | undefined;
    try {
      received = await this.bytes.receive(ref, {
        offset,
        source,
        limit: { bytes: remaining, error: tooMany },
        signal: takenOver.signal,
        stillHeld: () => this.beat(id, token),
      });
      const finished = received.size === row.upload_length;
      const expiresAt = Date.now() + expiryMs;
      if (!(await this.repo.saveOffset(id, token, received.size, expiresAt, finished))) {
        // Terminated meanwhile (bytes kept since then are orphans), or taken over after this
        // request looked dead.
        if (!(await this.repo.find(id, actor.userId))) {
          await this.bytes.remove(ref);
          throw notFound('Upload');
        }
        throw new DomainError('UPLOAD_LOCKED', 'Another request took this upload over');
      }
      const state = { ...stateOf(row), offset: received.size, expiresAt: new Date(expiresAt) };
      if (!finished) {
        if (received.failure instanceof DomainError) throw received.failure;
        if (received.failure) {
          throw new DomainError(
            'VALIDATION_FAILED',
            `The chunk was cut off after ${received.size - offset} bytes (${received.failure.message}); resume from Upload-Offset ${received.size}`,
          );
        }
        return state;
      }
      let asset: UploadState['asset'];
      try {
        const file = await received.assemble();
        const { takeoutImportId } = state.info;
        asset = takeoutImportId
          ? {
              id: await this.takeoutParts.addPart(
                actor,
                takeoutImportId,
                file,
                state.info.filename,
              ),
              status: 'takeout-part',
            }
          : await this.assets.ingestFile(actor, file, state.info);
      } catch (error) {
        await this.remove(ref);
        throw error;
      }
      await this.repo.finish(id, token, asset, Date.now() + expiryMs);
      // The row answers HEAD for a day; the bytes are in the asset now.
      await this.bytes.remove(ref).catch((error: unknown) => {
        this.log.warn({ err: error, uploadId: id }, 'bytes of a finished upload not removed');
      });
      return { ...state, expiresAt: undefined, asset };
    } finally {
      clearInterval(heartbeat);
      await received?.dispose();
    }
  }

  /** tus termination: the upload and its bytes are gone (an asset it became is kept). */
  async terminate(actor: Actor, id: string): Promise<void> {
    await this.remove(refOf(await this.find(actor, id)));
  }

  /** Removes expired uploads and any bytes left without their row (a crash, a deleted user). */
  async purgeExpired(): Promise<number> {
    const expired = await this.repo.deleteExpired(Date.now());
    for (const row of expired) await this.bytes.remove({ id: row.id, ownerId: row.owner_id });
    const orphans = await this.bytes.removeOrphans((ids) => this.repo.existingIds(ids));
    if (expired.length + orphans > 0) {
      this.log.info({ expired: expired.length, orphans }, 'resumable uploads purged');
    }
    return expired.length;
  }

  /** Purges now, then every hour. */
  async startPurging(): Promise<void> {
    await this.purgeExpired();
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) => {
        this.log.warn({ err: error }, 'resumable upload purge failed');
      });
    }, purgeEveryMs);
    this.purgeTimer.unref();
  }

  stopPurging(): void {
    clearInterval(this.purgeTimer);
  }

  private async find(actor: Actor, id: string): Promise<ResumableUploadRow> {
    // Only ids this server made: nothing else ever reaches the database or a file path.
    const row = idPattern.test(id) ? await this.repo.find(id, actor.userId) : undefined;
    if (!row || row.expires_at < Date.now()) throw notFound('Upload');
    return row;
  }

  /**
   * Checks an unfinished upload against its kept bytes: gone (a crash while it was being
   * finished) answers 404 so that the client starts again; fewer than the offset (bytes lost in a
   * crash of the machine, a chunk object deleted) lowers the offset to what is really there.
   */
  private async usable(row: ResumableUploadRow): Promise<ResumableUploadRow> {
    if (row.asset_id !== null) return row;
    const fresh = row.lock_token !== null && (row.locked_at ?? 0) >= Date.now() - lockStaleMs;
    if (fresh) return row;
    const size = await this.bytes.held(refOf(row));
    if (size === null || row.upload_offset === row.upload_length) {
      // Unless a request took the upload since the row was read (it may have moved the file).
      if (!(await this.repo.deleteIfIdle(row.id, Date.now() - lockStaleMs))) {
        throw new DomainError('UPLOAD_LOCKED', 'Another request is writing this upload');
      }
      await this.bytes.remove(refOf(row));
      throw notFound('Upload');
    }
    if (size < row.upload_offset) {
      await this.repo.repairOffset(row.id, row.upload_offset, size);
      return { ...row, upload_offset: size };
    }
    return row;
  }

  /** Keeps the lock of a request that writes the upload fresh; false once another took it. */
  private beat(id: string, token: string): Promise<boolean> {
    const now = Date.now();
    return this.repo.heartbeat(id, token, now, now + expiryMs);
  }

  private async remove(upload: UploadRef): Promise<void> {
    await this.repo.delete(upload.id);
    await this.bytes.remove(upload);
  }
}
