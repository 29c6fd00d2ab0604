import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { UserRow } from '../../db/db.types.js';
import type { OwnedTable, RowsPlan } from './erasure.repo.js';
import { emptySummary, parseSummary, type ErasureSummary } from './erasure.view.js';

// The statements of ErasureRepo.eraseRows, run inside its transaction.

/** An admin's erasure has no request of the user (see ErasureService.eraseByAdmin). */
export const erasedBy = (user: UserRow): 'user' | 'admin' =>
  user.erasure_requested_at === null ? 'admin' : 'user';

/**
 * Deletes every row of the user, children first: their links and what hangs on them, albums,
 * imports, uploads, the library, sessions and keys, then any other table with an owner column.
 */
export async function deleteOwnedRows(
  trx: Db,
  userId: string,
  rateLimitKeys: readonly string[],
  owned: readonly OwnedTable[],
): Promise<void> {
  const assets = trx.selectFrom('assets').select('id').where('owner_id', '=', userId);
  const albums = trx.selectFrom('albums').select('id').where('owner_id', '=', userId);
  const links = trx.selectFrom('share_links').select('id').where('owner_id', '=', userId);
  const imports = trx.selectFrom('takeout_imports').select('id').where('owner_id', '=', userId);

  // Counters of failed attempts: the user's own, and those of their links' passwords.
  const linkIds = (await links.execute()).map((r) => r.id);
  if (rateLimitKeys.length > 0) {
    await trx.deleteFrom('rate_limits').where('key', 'in', rateLimitKeys).execute();
  }
  for (const linkId of linkIds) {
    await trx.deleteFrom('rate_limits').where('key', 'like', `link:${linkId}%`).execute();
  }

  // The user's share links with their use log and visitors' passes.
  await trx.deleteFrom('share_link_events').where('link_id', 'in', links).execute();
  await trx.deleteFrom('share_link_passes').where('link_id', 'in', links).execute();
  await trx
    .deleteFrom('share_link_assets')
    .where((eb) => eb.or([eb('link_id', 'in', links), eb('asset_id', 'in', assets)]))
    .execute();
  await trx.deleteFrom('share_links').where('owner_id', '=', userId).execute();
  // Other people's links that showed the user's photos (in a shared album) keep their log,
  // without the photo.
  await trx
    .updateTable('share_link_events')
    .set({ asset_id: null })
    .where('asset_id', 'in', assets)
    .execute();

  // Albums: the user's own go; in other people's the user's membership and photos go, and a
  // cover that was one of the user's photos falls back to the newest photo.
  await trx
    .deleteFrom('album_members')
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('album_id', 'in', albums)]))
    .execute();
  await trx
    .deleteFrom('album_assets')
    .where((eb) => eb.or([eb('asset_id', 'in', assets), eb('album_id', 'in', albums)]))
    .execute();
  await trx
    .updateTable('album_assets')
    .set((eb) => ({
      added_by: eb
        .selectFrom('albums')
        .select('albums.owner_id')
        .whereRef('albums.id', '=', 'album_assets.album_id'),
    }))
    .where('added_by', '=', userId)
    .execute();
  await trx
    .updateTable('albums')
    .set({ cover_asset_id: null })
    .where('cover_asset_id', 'in', assets)
    .execute();
  await trx.deleteFrom('albums').where('owner_id', '=', userId).execute();

  // Imports with their index, then unfinished uploads.
  for (const table of ['takeout_entries', 'takeout_albums', 'takeout_parts'] as const) {
    await trx.deleteFrom(table).where('import_id', 'in', imports).execute();
  }
  await trx.deleteFrom('takeout_imports').where('owner_id', '=', userId).execute();
  await trx.deleteFrom('resumable_uploads').where('owner_id', '=', userId).execute();

  // The library. A visitor's upload through one of the user's links was the user's asset.
  if (linkIds.length > 0) {
    await trx
      .updateTable('assets')
      .set({ uploaded_via_link_id: null })
      .where('uploaded_via_link_id', 'in', linkIds)
      .execute();
  }
  await trx.deleteFrom('timeline_buckets').where('owner_id', '=', userId).execute();
  await trx.deleteFrom('assets').where('owner_id', '=', userId).execute();
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await trx.deleteFrom('api_keys').where('user_id', '=', userId).execute();

  // Tables this code does not know by name (added by later features).
  for (const { table, column } of owned) {
    await sql`delete from ${sql.table(table)} where ${sql.ref(column)} = ${userId}`.execute(trx);
  }
}

/** The receipt's final figures (with what the files phase removed) under the user's token. */
export async function writeReceipt(
  trx: Db,
  user: UserRow,
  tokenHash: string,
  summary: ErasureSummary,
  plan: RowsPlan,
): Promise<void> {
  // The receipt begun by the files phase holds what that phase removed.
  const begun = await trx
    .selectFrom('erasure_receipts')
    .select('summary')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (begun) {
    const before = parseSummary(begun.summary);
    summary.sessions += before.sessions;
    summary.apiKeys += before.apiKeys;
    summary.jobs += before.jobs;
  }
  const values = {
    requested_at: user.erasure_requested_at,
    erased_at: plan.erasedAt,
    erased_by: erasedBy(user),
    summary: JSON.stringify(summary),
  };
  await trx
    .insertInto('erasure_receipts')
    .values({ id: plan.receiptId, token_hash: tokenHash, ...values })
    .onConflict((oc) => oc.column('token_hash').doUpdateSet(values))
    .execute();
}

/** What is about to be erased, counted for the receipt. */
export async function summariseOwned(trx: Db, userId: string): Promise<ErasureSummary> {
  const summary = emptySummary();
  const assets = await trx
    .selectFrom('assets')
    .select((eb) => [
      'type',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number | null>('file_size').as('bytes'),
      eb.fn.sum<number | null>('motion_file_size').as('motion'),
    ])
    .where('owner_id', '=', userId)
    .groupBy('type')
    .execute();
  for (const row of assets) {
    const n = row.n;
    summary.assets += n;
    if (row.type === 'video') summary.videos += n;
    else summary.photos += n;
    summary.bytes += (row.bytes ?? 0) + (row.motion ?? 0);
  }
  const count = async (
    table: 'albums' | 'share_links' | 'takeout_imports' | 'sessions' | 'api_keys',
    column: 'owner_id' | 'user_id',
  ): Promise<number> => {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(
      table,
    )} where ${sql.ref(column)} = ${userId}`.execute(trx);
    return Number(rows[0]?.n ?? 0);
  };
  summary.albums = await count('albums', 'owner_id');
  summary.shareLinks = await count('share_links', 'owner_id');
  summary.takeoutImports = await count('takeout_imports', 'owner_id');
  summary.sessions = await count('sessions', 'user_id');
  summary.apiKeys = await count('api_keys', 'user_id');
  const memberships = await trx
    .selectFrom('album_members')
    .innerJoin('albums', 'albums.id', 'album_members.album_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('album_members.user_id', '=', userId)
    .where('albums.owner_id', '!=', userId)
    .executeTakeFirstOrThrow();
  summary.sharedAlbumsLeft = memberships.n;
  const events = await trx
    .selectFrom('share_link_events')
    .innerJoin('share_links', 'share_links.id', 'share_link_events.link_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('share_links.owner_id', '=', userId)
    .executeTakeFirstOrThrow();
  summary.shareLinkEvents = events.n;
  const uploads = await trx
    .selectFrom('resumable_uploads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', userId)
    .where('asset_id', 'is', null)
    .executeTakeFirstOrThrow();
  summary.unfinishedUploads = uploads.n;
  return summary;
}
