import type { Db } from '../db/database.js';

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

  async albumOwner(albumId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('albums')
      .select('owner_id')
      .where('id', '=', albumId)
      .executeTakeFirst();
    return row?.owner_id ?? null;
  }
}
