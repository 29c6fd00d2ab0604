import type { Db } from '../../db/database.js';
import type { Database } from '../../db/db.types.js';
import type { Insertable, Selectable, Updateable } from 'kysely';

export type AlbumRow = Selectable<Database['albums']>;
export type NewAlbum = Insertable<Database['albums']>;
export type AlbumUpdate = Updateable<Database['albums']>;

export interface AlbumSummaryRow extends AlbumRow {
  asset_count: number;
  start_date: string | null;
  end_date: string | null;
  newest_asset_id: string | null;
  /** The chosen cover while it is still in the album and not in the trash. */
  shown_cover_id: string | null;
}

/** Assets in the trash stay in their albums but are not shown or counted until restored. */
export class AlbumsRepo {
  constructor(private readonly db: Db) {}

  async insert(album: NewAlbum): Promise<void> {
    await this.db.insertInto('albums').values(album).execute();
  }

  async update(id: string, changes: AlbumUpdate): Promise<void> {
    await this.db.updateTable('albums').set(changes).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('albums').where('id', '=', id).execute();
  }

  /** Albums with their visible asset count, date range and newest asset (the default cover). */
  summaries(where: { ownerId: string } | { id: string }): Promise<AlbumSummaryRow[]> {
    let query = this.db
      .selectFrom('albums')
      .leftJoin('album_assets', 'album_assets.album_id', 'albums.id')
      .leftJoin('assets', (join) =>
        join.onRef('assets.id', '=', 'album_assets.asset_id').on('assets.trashed_at', 'is', null),
      )
      .selectAll('albums')
      .select((eb) => [
        eb.fn.count<number>('assets.id').as('asset_count'),
        eb.fn.min<string | null>('assets.local_date_time').as('start_date'),
        eb.fn.max<string | null>('assets.local_date_time').as('end_date'),
        eb
          .selectFrom('album_assets as aa')
          .innerJoin('assets as a', 'a.id', 'aa.asset_id')
          .select('a.id')
          .whereRef('aa.album_id', '=', 'albums.id')
          .where('a.trashed_at', 'is', null)
          .orderBy('a.local_date_time', 'desc')
          .limit(1)
          .as('newest_asset_id'),
        eb
          .selectFrom('album_assets as c')
          .innerJoin('assets as ca', 'ca.id', 'c.asset_id')
          .select('ca.id')
          .whereRef('c.album_id', '=', 'albums.id')
          .whereRef('c.asset_id', '=', 'albums.cover_asset_id')
          .where('ca.trashed_at', 'is', null)
          .as('shown_cover_id'),
      ])
      .groupBy('albums.id');
    query =
      'id' in where
        ? query.where('albums.id', '=', where.id)
        : query.where('albums.owner_id', '=', where.ownerId);
    return query.orderBy('albums.created_at', 'desc').execute();
  }

  async assetIds(albumId: string, order: 'asc' | 'desc'): Promise<string[]> {
    const rows = await this.db
      .selectFrom('album_assets')
      .innerJoin('assets', 'assets.id', 'album_assets.asset_id')
      .select('assets.id')
      .where('album_assets.album_id', '=', albumId)
      .where('assets.trashed_at', 'is', null)
      .orderBy('assets.local_date_time', order)
      .orderBy('assets.id', order)
      .execute();
    return rows.map((r) => r.id);
  }

  async containsAsset(albumId: string, assetId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('album_assets')
      .select('asset_id')
      .where('album_id', '=', albumId)
      .where('asset_id', '=', assetId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Adds the assets not yet in the album; answers how many were added. */
  async addAssets(albumId: string, assetIds: readonly string[], addedBy: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const present = await trx
        .selectFrom('album_assets')
        .select('asset_id')
        .where('album_id', '=', albumId)
        .where('asset_id', 'in', assetIds)
        .execute();
      const known = new Set(present.map((r) => r.asset_id));
      const now = Date.now();
      const rows = [...new Set(assetIds)]
        .filter((id) => !known.has(id))
        .map((asset_id) => ({ album_id: albumId, asset_id, added_by: addedBy, added_at: now }));
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('album_assets')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      await trx.updateTable('albums').set({ updated_at: now }).where('id', '=', albumId).execute();
      return rows.length;
    });
  }

  async removeAssets(albumId: string, assetIds: readonly string[]): Promise<number> {
    const result = await this.db
      .deleteFrom('album_assets')
      .where('album_id', '=', albumId)
      .where('asset_id', 'in', assetIds)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
