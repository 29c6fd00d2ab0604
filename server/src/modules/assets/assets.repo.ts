import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AssetRow, AssetUpdate, NewAsset } from '../../db/db.types.js';

/** The timeline category an asset counts in: trash wins over its visibility. */
export function categoryOf(asset: Pick<AssetRow, 'trashed_at' | 'visibility'>): string {
  return asset.trashed_at === null ? asset.visibility : 'trash';
}

/**
 * Assets and the per-month counts derived from them. Every write goes through here so that
 * `timeline_buckets` always equals a GROUP BY over `assets`, in the same transaction.
 */
export class AssetsRepo {
  constructor(private readonly db: Db) {}

  private async adjustBucket(
    db: Db,
    ownerId: string,
    bucket: string,
    category: string,
    delta: number,
  ) {
    await db
      .insertInto('timeline_buckets')
      .values({ owner_id: ownerId, bucket, category, count: delta })
      .onConflict((oc) =>
        oc
          .columns(['owner_id', 'category', 'bucket'])
          .doUpdateSet({ count: sql`timeline_buckets.count + ${delta}` }),
      )
      .execute();
  }

  /** Inserts the asset and runs `alsoInTransaction` (e.g. queueing its jobs) atomically with it. */
  async insert(asset: NewAsset, alsoInTransaction: (trx: Db) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('assets').values(asset).execute();
      await this.adjustBucket(
        trx,
        asset.owner_id,
        asset.bucket,
        categoryOf({
          trashed_at: asset.trashed_at ?? null,
          visibility: asset.visibility,
        }),
        1,
      );
      await alsoInTransaction(trx);
    });
  }

  findById(id: string): Promise<AssetRow | undefined> {
    return this.db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByChecksum(
    ownerId: string,
    checksum: string,
  ): Promise<{ id: string; status: string } | undefined> {
    return this.db
      .selectFrom('assets')
      .select(['id', 'status'])
      .where('owner_id', '=', ownerId)
      .where('checksum', '=', checksum)
      .executeTakeFirst();
  }

  /** The metadata job an ingest queued held with the asset's row, while it is still held. */
  async heldMetadataJob(assetId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('queue', '=', 'metadata')
      .where('status', '=', 'held')
      .where('payload', '=', JSON.stringify({ assetId }))
      .executeTakeFirst();
    return row?.id;
  }

  async findChecksums(ownerId: string, checksums: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < checksums.length; i += 500) {
      const rows = await this.db
        .selectFrom('assets')
        .select(['id', 'checksum'])
        .where('owner_id', '=', ownerId)
        .where('checksum', 'in', checksums.slice(i, i + 500))
        .execute();
      for (const row of rows) found.set(row.checksum, row.id);
    }
    return found;
  }

  /** Applies `changes` to each asset, moving its count between months or categories when needed. */
  async update(ids: readonly string[], changes: AssetUpdate): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('assets')
        .select(['id', 'owner_id', 'bucket', 'visibility', 'trashed_at'])
        .where('id', 'in', ids)
        .execute();
      await trx.updateTable('assets').set(changes).where('id', 'in', ids).execute();
      for (const old of before) {
        const next = { ...old, ...pick(changes) };
        const [from, to] = [categoryOf(old), categoryOf(next)];
        if (from === to && old.bucket === next.bucket) continue;
        await this.adjustBucket(trx, old.owner_id, old.bucket, from, -1);
        await this.adjustBucket(trx, old.owner_id, next.bucket, to, 1);
      }
    });
  }

  /** Deletes the rows and runs `alsoInTransaction` (queueing removal of their files) atomically. */
  async delete(
    ids: readonly string[],
    alsoInTransaction: (trx: Db) => Promise<void>,
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('assets')
        .select(['id', 'owner_id', 'bucket', 'visibility', 'trashed_at'])
        .where('id', 'in', ids)
        .execute();
      await trx.deleteFrom('assets').where('id', 'in', ids).execute();
      for (const row of rows)
        await this.adjustBucket(trx, row.owner_id, row.bucket, categoryOf(row), -1);
      await alsoInTransaction(trx);
    });
  }

  async trashedBefore(cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('assets')
      .select('id')
      .where('trashed_at', '<', cutoff)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async trashedOf(ownerId: string): Promise<AssetRow[]> {
    return this.db
      .selectFrom('assets')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('trashed_at', 'is not', null)
      .execute();
  }
}

function pick(
  changes: AssetUpdate,
): Partial<Pick<AssetRow, 'bucket' | 'visibility' | 'trashed_at'>> {
  const out: Partial<Pick<AssetRow, 'bucket' | 'visibility' | 'trashed_at'>> = {};
  if (typeof changes.bucket === 'string') out.bucket = changes.bucket;
  if (typeof changes.visibility === 'string') out.visibility = changes.visibility;
  if (changes.trashed_at !== undefined && typeof changes.trashed_at !== 'object')
    out.trashed_at = changes.trashed_at;
  if (changes.trashed_at === null) out.trashed_at = null;
  return out;
}
