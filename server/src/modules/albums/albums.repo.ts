import type { Db } from '../../db/database.js';
import type { AlbumRole, Database } from '../../db/db.types.js';
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
  owner_name: string | null;
  member_count: number;
}

export interface AlbumMemberRow {
  user_id: string;
  name: string;
  email: string;
  role: AlbumRole;
  added_at: number;
}

export interface AlbumAssetRow {
  id: string;
  type: 'image' | 'video';
  width: number | null;
  height: number | null;
  thumbhash: string | null;
  duration_seconds: number | null;
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

  /**
   * Albums with their visible asset count, date range and newest asset (the default cover):
   * one by id, or every album a user owns or is a member of.
   */
  async summaries(where: { userId: string } | { id: string }): Promise<AlbumSummaryRow[]> {
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
        eb
          .selectFrom('users as owner')
          .select('owner.name')
          .whereRef('owner.id', '=', 'albums.owner_id')
          .as('owner_name'),
        eb
          .selectFrom('album_members as m')
          .select((m) => m.fn.countAll<number>().as('n'))
          .whereRef('m.album_id', '=', 'albums.id')
          .as('member_count'),
      ])
      .groupBy('albums.id');
    if ('id' in where) query = query.where('albums.id', '=', where.id);
    else {
      const { userId } = where;
      query = query.where((eb) =>
        eb.or([
          eb('albums.owner_id', '=', userId),
          eb(
            'albums.id',
            'in',
            eb.selectFrom('album_members').select('album_id').where('user_id', '=', userId),
          ),
        ]),
      );
    }
    const rows = await query.orderBy('albums.created_at', 'desc').execute();
    return rows.map((r) => ({ ...r, member_count: r.member_count ?? 0 }));
  }

  async memberRoles(userId: string): Promise<Map<string, AlbumRole>> {
    const rows = await this.db
      .selectFrom('album_members')
      .select(['album_id', 'role'])
      .where('user_id', '=', userId)
      .execute();
    return new Map(rows.map((r) => [r.album_id, r.role]));
  }

  members(albumId: string): Promise<AlbumMemberRow[]> {
    return this.db
      .selectFrom('album_members')
      .innerJoin('users', 'users.id', 'album_members.user_id')
      .select([
        'album_members.user_id',
        'users.name',
        'users.email',
        'album_members.role',
        'album_members.added_at',
      ])
      .where('album_members.album_id', '=', albumId)
      .orderBy('album_members.added_at')
      .orderBy('users.name')
      .execute();
  }

  /** Adds the member or changes their role. */
  async setMember(albumId: string, userId: string, role: AlbumRole): Promise<void> {
    await this.db
      .insertInto('album_members')
      .values({ album_id: albumId, user_id: userId, role, added_at: Date.now() })
      .onConflict((oc) => oc.columns(['album_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  }

  async removeMember(albumId: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('album_members')
      .where('album_id', '=', albumId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The album's visible assets in order, with what a grid needs to lay them out. */
  albumAssets(albumId: string, order: 'asc' | 'desc'): Promise<AlbumAssetRow[]> {
    return this.db
      .selectFrom('album_assets')
      .innerJoin('assets', 'assets.id', 'album_assets.asset_id')
      .select([
        'assets.id',
        'assets.type',
        'assets.width',
        'assets.height',
        'assets.thumbhash',
        'assets.duration_seconds',
      ])
      .where('album_assets.album_id', '=', albumId)
      .where('assets.trashed_at', 'is', null)
      .orderBy('assets.local_date_time', order)
      .orderBy('assets.id', order)
      .execute();
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
