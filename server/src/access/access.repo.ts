import type { Db } from '../db/database.js';
import type { AlbumRole } from '../db/db.types.js';

export class AccessRepo {
  constructor(private readonly db: Db) {}

  /** The ids among `assetIds` that `userId` owns. */
  async ownedAssetIds(userId: string, assetIds: readonly string[]): Promise<Set<string>> {
    if (assetIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('assets')
      .select('id')
      .where('owner_id', '=', userId)
      .where('id', 'in', assetIds)
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The ids among `assetIds` that `userId` owns, or that are (not in the trash and) in an album
   * the user owns or is a member of.
   */
  async readableAssetIds(userId: string, assetIds: readonly string[]): Promise<Set<string>> {
    if (assetIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('assets')
      .select('assets.id')
      .where('assets.id', 'in', assetIds)
      .where((eb) =>
        eb.or([
          eb('assets.owner_id', '=', userId),
          eb.and([
            eb('assets.trashed_at', 'is', null),
            eb.exists(
              eb
                .selectFrom('album_assets')
                .innerJoin('albums', 'albums.id', 'album_assets.album_id')
                .leftJoin('album_members', (join) =>
                  join
                    .onRef('album_members.album_id', '=', 'albums.id')
                    .on('album_members.user_id', '=', userId),
                )
                .select('album_assets.asset_id')
                .whereRef('album_assets.asset_id', '=', 'assets.id')
                .where((w) =>
                  w.or([
                    w('albums.owner_id', '=', userId),
                    w('album_members.user_id', 'is not', null),
                  ]),
                ),
            ),
          ]),
        ]),
      )
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /** The user's role in the album, or null when the album does not exist or is not theirs. */
  async albumRole(albumId: string, userId: string): Promise<'owner' | AlbumRole | null> {
    const row = await this.db
      .selectFrom('albums')
      .leftJoin('album_members', (join) =>
        join
          .onRef('album_members.album_id', '=', 'albums.id')
          .on('album_members.user_id', '=', userId),
      )
      .select(['albums.owner_id', 'album_members.role'])
      .where('albums.id', '=', albumId)
      .executeTakeFirst();
    if (!row) return null;
    if (row.owner_id === userId) return 'owner';
    return row.role ?? null;
  }

  /** The ids among `assetIds` a link shares: its album's or its chosen assets, not in the trash. */
  async linkAssetIds(
    link: { id: string; albumId: string | null },
    assetIds: readonly string[],
  ): Promise<Set<string>> {
    if (assetIds.length === 0) return new Set();
    const rows = link.albumId
      ? await this.db
          .selectFrom('album_assets')
          .innerJoin('assets', 'assets.id', 'album_assets.asset_id')
          .select('assets.id')
          .where('album_assets.album_id', '=', link.albumId)
          .where('assets.id', 'in', assetIds)
          .where('assets.trashed_at', 'is', null)
          .execute()
      : await this.db
          .selectFrom('share_link_assets')
          .innerJoin('assets', 'assets.id', 'share_link_assets.asset_id')
          .select('assets.id')
          .where('share_link_assets.link_id', '=', link.id)
          .where('assets.id', 'in', assetIds)
          .where('assets.trashed_at', 'is', null)
          .execute();
    return new Set(rows.map((r) => r.id));
  }

  async shareLinkOwner(linkId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('share_links')
      .select('owner_id')
      .where('id', '=', linkId)
      .executeTakeFirst();
    return row?.owner_id ?? null;
  }

  async takeoutImportOwner(importId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('takeout_imports')
      .select('owner_id')
      .where('id', '=', importId)
      .executeTakeFirst();
    return row?.owner_id ?? null;
  }

  async exportOwner(exportId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('exports')
      .select('owner_id')
      .where('id', '=', exportId)
      .executeTakeFirst();
    return row?.owner_id ?? null;
  }
}
