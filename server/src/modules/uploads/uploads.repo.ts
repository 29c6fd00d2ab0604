import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ResumableUploadRow, ResumableUploadsTable } from '../../db/db.types.js';

/**
 * The state of tus uploads. Writers take the row's lock with a compare-and-set on the offset, so
 * two requests (in one process or several) never write the same upload at once.
 */
export class UploadsRepo {
  constructor(private readonly db: Db) {}

  async insert(row: Insertable<ResumableUploadsTable>): Promise<void> {
    await this.db.insertInto('resumable_uploads').values(row).execute();
  }

  find(id: string, ownerId: string): Promise<ResumableUploadRow | undefined> {
    return this.db
      .selectFrom('resumable_uploads')
      .selectAll()
      .where('id', '=', id)
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
  }

  /** Bytes announced by the owner's unfinished, unexpired uploads: room they have reserved. */
  async reservedBytes(ownerId: string, now: number): Promise<number> {
    const row = await this.db
      .selectFrom('resumable_uploads')
      .select((eb) => eb.fn.sum<number | null>('upload_length').as('total'))
      .where('owner_id', '=', ownerId)
      .where('asset_id', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row?.total ?? 0;
  }

  /** Takes the write lock if the offset is still `offset` and no fresh lock is held. */
  async lock(
    id: string,
    offset: number,
    token: string,
    now: number,
    staleBefore: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('resumable_uploads')
      .set({ lock_token: token, locked_at: now })
      .where('id', '=', id)
      .where('upload_offset', '=', offset)
      .where('asset_id', 'is', null)
      .where((eb) => eb.or([eb('lock_token', 'is', null), eb('locked_at', '<', staleBefore)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Keeps a lock fresh (and the upload alive) while a long chunk is written. */
  async heartbeat(id: string, token: string, now: number, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('resumable_uploads')
      .set({ locked_at: now, expires_at: expiresAt })
      .where('id', '=', id)
      .where('lock_token', '=', token)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Records the new offset while `token` holds the lock; releases it unless `keepLock`. */
  async saveOffset(
    id: string,
    token: string,
    offset: number,
    expiresAt: number,
    keepLock: boolean,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('resumable_uploads')
      .set({
        upload_offset: offset,
        expires_at: expiresAt,
        ...(keepLock ? { locked_at: Date.now() } : { lock_token: null, locked_at: null }),
      })
      .where('id', '=', id)
      .where('lock_token', '=', token)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Lowers an offset the file on disk does not reach (bytes lost in a crash of the machine). */
  async repairOffset(id: string, from: number, to: number): Promise<void> {
    await this.db
      .updateTable('resumable_uploads')
      .set({ upload_offset: to })
      .where('id', '=', id)
      .where('upload_offset', '=', from)
      .execute();
  }

  async finish(
    id: string,
    token: string,
    asset: { id: string; status: 'created' | 'duplicate' | 'takeout-part' },
    expiresAt: number,
  ): Promise<void> {
    await this.db
      .updateTable('resumable_uploads')
      .set({
        asset_id: asset.id,
        asset_status: asset.status,
        lock_token: null,
        locked_at: null,
        expires_at: expiresAt,
      })
      .where('id', '=', id)
      .where('lock_token', '=', token)
      .execute();
  }

  /** Deletes an unfinished upload nobody is writing; false when one is (or it is finished). */
  async deleteIfIdle(id: string, staleBefore: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('resumable_uploads')
      .where('id', '=', id)
      .where('asset_id', 'is', null)
      .where((eb) => eb.or([eb('lock_token', 'is', null), eb('locked_at', '<', staleBefore)]))
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('resumable_uploads').where('id', '=', id).execute();
  }

  /** Deletes the expired uploads; answers them, for their bytes to be removed too. */
  deleteExpired(now: number): Promise<{ id: string; owner_id: string }[]> {
    return this.db
      .deleteFrom('resumable_uploads')
      .where('expires_at', '<', now)
      .returning(['id', 'owner_id'])
      .execute();
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('resumable_uploads')
      .select('id')
      .where('id', 'in', ids)
      .execute();
    return new Set(rows.map((r) => r.id));
  }
}
