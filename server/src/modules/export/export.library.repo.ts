import type { Db } from '../../db/database.js';
import type { AlbumRole, AssetRow, ShareLinkEventRow, ShareLinkRow } from '../../db/db.types.js';

/**
 * Everything an export reads about its owner: their assets (a snapshot: uploaded before the
 * export was asked for), account, albums and share links with their use log.
 */
export class ExportLibraryRepo {
  constructor(private readonly db: Db) {}

  async assetCount(ownerId: string, uploadedBy: number): Promise<number> {
    const row = await this.db
      .selectFrom('assets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_id', '=', ownerId)
      .where('uploaded_at', '<=', uploadedBy)
      .executeTakeFirst();
    return row?.n ?? 0;
  }

  /** The owner's assets in capture order (local time, then id), after `after`. */
  assetPage(
    ownerId: string,
    uploadedBy: number,
    after: { local: string; id: string } | null,
    limit: number,
  ): Promise<AssetRow[]> {
    let query = this.db
      .selectFrom('assets')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('uploaded_at', '<=', uploadedBy);
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('local_date_time', '>', after.local),
          eb.and([eb('local_date_time', '=', after.local), eb('id', '>', after.id)]),
        ]),
      );
    }
    return query.orderBy('local_date_time').orderBy('id').limit(limit).execute();
  }

  /** The albums (anyone's) that hold each of these assets. */
  albumsOfAssets(
    assetIds: readonly string[],
  ): Promise<{ asset_id: string; album_id: string; title: string; owner_id: string }[]> {
    if (assetIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('album_assets')
      .innerJoin('albums', 'albums.id', 'album_assets.album_id')
      .select(['album_assets.asset_id', 'albums.id as album_id', 'albums.title', 'albums.owner_id'])
      .where('album_assets.asset_id', 'in', assetIds)
      .orderBy('albums.title')
      .orderBy('albums.id')
      .execute();
  }

  /** The owner's share links of chosen assets that hold each of these assets. */
  linksOfAssets(
    ownerId: string,
    assetIds: readonly string[],
  ): Promise<{ asset_id: string; link_id: string }[]> {
    if (assetIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('share_link_assets')
      .innerJoin('share_links', 'share_links.id', 'share_link_assets.link_id')
      .select(['share_link_assets.asset_id', 'share_link_assets.link_id'])
      .where('share_links.owner_id', '=', ownerId)
      .where('share_link_assets.asset_id', 'in', assetIds)
      .execute();
  }

  user(userId: string) {
    return this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  }

  sessions(userId: string) {
    return this.db
      .selectFrom('sessions')
      .select(['created_at', 'expires_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  apiKeys(userId: string) {
    return this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  async usage(userId: string): Promise<{ assets: number; bytes: number }> {
    const row = await this.db
      .selectFrom('assets')
      .select((eb) => [
        eb.fn.countAll<number>().as('assets'),
        eb.fn.coalesce(eb.fn.sum<number>('file_size'), eb.lit(0)).as('bytes'),
      ])
      .where('owner_id', '=', userId)
      .executeTakeFirst();
    return { assets: row?.assets ?? 0, bytes: row?.bytes ?? 0 };
  }

  takeoutImports(userId: string) {
    return this.db
      .selectFrom('takeout_imports')
      .selectAll()
      .where('owner_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  takeoutParts(importIds: readonly string[]) {
    if (importIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('takeout_parts')
      .select(['import_id', 'file_name', 'size', 'status', 'error', 'created_at'])
      .where('import_id', 'in', importIds)
      .orderBy('created_at')
      .execute();
  }

  ownedAlbums(userId: string) {
    return this.db
      .selectFrom('albums')
      .selectAll()
      .where('owner_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  albumMembers(albumIds: readonly string[]) {
    if (albumIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('album_members')
      .innerJoin('users', 'users.id', 'album_members.user_id')
      .select([
        'album_members.album_id',
        'album_members.user_id',
        'album_members.role',
        'album_members.added_at',
        'users.name',
        'users.email',
      ])
      .where('album_members.album_id', 'in', albumIds)
      .orderBy('album_members.added_at')
      .execute();
  }

  /** The albums of others that the user is a member of, with their owner. */
  memberships(userId: string) {
    return this.db
      .selectFrom('album_members')
      .innerJoin('albums', 'albums.id', 'album_members.album_id')
      .innerJoin('users', 'users.id', 'albums.owner_id')
      .select([
        'albums.id',
        'albums.title',
        'albums.description',
        'album_members.role',
        'album_members.added_at',
        'users.id as owner_id',
        'users.name as owner_name',
        'users.email as owner_email',
      ])
      .where('album_members.user_id', '=', userId)
      .orderBy('album_members.added_at')
      .execute() as Promise<
      {
        id: string;
        title: string;
        description: string | null;
        role: AlbumRole;
        added_at: number;
        owner_id: string;
        owner_name: string;
        owner_email: string;
      }[]
    >;
  }

  /** What the albums hold, with each asset's owner (others' photos are counted, not listed). */
  albumContents(albumIds: readonly string[]) {
    if (albumIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('album_assets')
      .innerJoin('assets', 'assets.id', 'album_assets.asset_id')
      .select([
        'album_assets.album_id',
        'album_assets.asset_id',
        'album_assets.added_by',
        'album_assets.added_at',
        'assets.owner_id',
      ])
      .where('album_assets.album_id', 'in', albumIds)
      .orderBy('album_assets.added_at')
      .orderBy('album_assets.asset_id')
      .execute();
  }

  links(userId: string): Promise<ShareLinkRow[]> {
    return this.db
      .selectFrom('share_links')
      .selectAll()
      .where('owner_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  linkAssets(linkIds: readonly string[]) {
    if (linkIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('share_link_assets')
      .select(['link_id', 'asset_id'])
      .where('link_id', 'in', linkIds)
      .orderBy('asset_id')
      .execute();
  }

  linkEvents(linkIds: readonly string[]): Promise<ShareLinkEventRow[]> {
    if (linkIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('share_link_events')
      .selectAll()
      .where('link_id', 'in', linkIds)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }
}
