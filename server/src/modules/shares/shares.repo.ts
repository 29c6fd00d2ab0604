import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type {
  AssetRow,
  ShareLinkEventKind,
  ShareLinkEventRow,
  ShareLinkRow,
  ShareLinksTable,
} from '../../db/db.types.js';

export interface LinkPassRow {
  link_id: string;
  unlocked: number;
  viewed: number;
  expires_at: number;
}

export class SharesRepo {
  constructor(private readonly db: Db) {}

  async insert(link: Insertable<ShareLinksTable>, assetIds: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('share_links').values(link).execute();
      const rows = [...new Set(assetIds)].map((asset_id) => ({ link_id: link.id, asset_id }));
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('share_link_assets')
          .values(rows.slice(i, i + 500))
          .execute();
      }
    });
  }

  findById(id: string): Promise<ShareLinkRow | undefined> {
    return this.db.selectFrom('share_links').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByKeyHash(keyHash: string): Promise<ShareLinkRow | undefined> {
    return this.db
      .selectFrom('share_links')
      .selectAll()
      .where('key_hash', '=', keyHash)
      .executeTakeFirst();
  }

  listByOwner(ownerId: string, albumId?: string): Promise<ShareLinkRow[]> {
    let query = this.db.selectFrom('share_links').selectAll().where('owner_id', '=', ownerId);
    if (albumId !== undefined) query = query.where('album_id', '=', albumId);
    return query.orderBy('created_at', 'desc').orderBy('id').execute();
  }

  async update(id: string, changes: Updateable<ShareLinksTable>): Promise<void> {
    await this.db.updateTable('share_links').set(changes).where('id', '=', id).execute();
  }

  /** Takes one view if any is left; false when the link is exhausted (safe against races). */
  async takeView(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('share_links')
      .set((eb) => ({ view_count: eb('view_count', '+', 1) }))
      .where('id', '=', id)
      .where((eb) =>
        eb.or([eb('max_views', 'is', null), eb('view_count', '<', eb.ref('max_views'))]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async chosenAssetIds(linkId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('share_link_assets')
      .select('asset_id')
      .where('link_id', '=', linkId)
      .execute();
    return rows.map((r) => r.asset_id);
  }

  /** What a link shows, in display order, without trashed assets. */
  contentAssets(link: ShareLinkRow, order: 'asc' | 'desc'): Promise<AssetRow[]> {
    return this.db
      .selectFrom('assets')
      .selectAll('assets')
      .where((eb) =>
        link.album_id
          ? eb(
              'assets.id',
              'in',
              eb
                .selectFrom('album_assets')
                .select('asset_id')
                .where('album_id', '=', link.album_id),
            )
          : eb(
              'assets.id',
              'in',
              eb.selectFrom('share_link_assets').select('asset_id').where('link_id', '=', link.id),
            ),
      )
      .where('assets.trashed_at', 'is', null)
      .orderBy('assets.local_date_time', order)
      .orderBy('assets.id', order)
      .execute();
  }

  albumInfo(albumId: string): Promise<{ title: string; sort_order: 'asc' | 'desc' } | undefined> {
    return this.db
      .selectFrom('albums')
      .select(['title', 'sort_order'])
      .where('id', '=', albumId)
      .executeTakeFirst();
  }

  async ownerName(userId: string): Promise<string> {
    const row = await this.db
      .selectFrom('users')
      .select('name')
      .where('id', '=', userId)
      .executeTakeFirst();
    return row?.name ?? '';
  }

  async insertPass(row: {
    token_hash: string;
    link_id: string;
    unlocked: number;
    viewed: number;
    created_at: number;
    expires_at: number;
  }): Promise<void> {
    await this.db.insertInto('share_link_passes').values(row).execute();
  }

  findPass(tokenHash: string): Promise<LinkPassRow | undefined> {
    return this.db
      .selectFrom('share_link_passes')
      .select(['link_id', 'unlocked', 'viewed', 'expires_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  async updatePass(tokenHash: string, changes: { unlocked?: number; viewed?: number }) {
    await this.db
      .updateTable('share_link_passes')
      .set(changes)
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  /** After a password change, nobody stays unlocked by the old one. */
  async lockPasses(linkId: string): Promise<void> {
    await this.db
      .updateTable('share_link_passes')
      .set({ unlocked: 0 })
      .where('link_id', '=', linkId)
      .execute();
  }

  async insertEvent(row: {
    id: string;
    link_id: string;
    kind: ShareLinkEventKind;
    at: number;
    client: string;
    asset_id: string | null;
  }): Promise<void> {
    await this.db.insertInto('share_link_events').values(row).execute();
  }

  events(linkId: string, limit: number): Promise<ShareLinkEventRow[]> {
    return this.db
      .selectFrom('share_link_events')
      .selectAll()
      .where('link_id', '=', linkId)
      .orderBy('at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async eventCounts(linkId: string): Promise<Map<ShareLinkEventKind, number>> {
    const rows = await this.db
      .selectFrom('share_link_events')
      .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
      .where('link_id', '=', linkId)
      .groupBy('kind')
      .execute();
    return new Map(rows.map((r) => [r.kind, r.n]));
  }

  /** Deletes use-log entries older than `cutoff` and passes past their end; answers how many. */
  async purge(cutoff: number, now: number): Promise<number> {
    const events = await this.db
      .deleteFrom('share_link_events')
      .where('at', '<', cutoff)
      .executeTakeFirst();
    await this.db.deleteFrom('share_link_passes').where('expires_at', '<', now).execute();
    return Number(events.numDeletedRows);
  }
}
