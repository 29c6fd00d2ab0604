import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type {
  ExportEntriesTable,
  ExportEntryRow,
  ExportRow,
  ExportsTable,
} from '../../db/db.types.js';

export interface ExportPartRow {
  part: number;
  size: number;
  entry_count: number;
}

/** Exports, their parts and the files of their zips. */
export class ExportRepo {
  constructor(private readonly db: Db) {}

  /** Inserts the export and runs `alsoInTransaction` (queueing its job) atomically with it. */
  async insert(
    row: Insertable<ExportsTable>,
    alsoInTransaction: (trx: Db) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('exports').values(row).execute();
      await alsoInTransaction(trx);
    });
  }

  find(id: string): Promise<ExportRow | undefined> {
    return this.db.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listByOwner(ownerId: string): Promise<ExportRow[]> {
    return this.db
      .selectFrom('exports')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }

  /** The owner's export that is still being made, if any. */
  unfinished(ownerId: string): Promise<ExportRow | undefined> {
    return this.db
      .selectFrom('exports')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('status', 'in', ['queued', 'building'])
      .executeTakeFirst();
  }

  /** False when the export is gone (deleted while it was being made). */
  async update(id: string, changes: Updateable<ExportsTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('exports')
      .set({ ...changes, updated_at: Date.now() })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Deletes the export's rows and runs `alsoInTransaction` (queueing its files' deletion). */
  async delete(id: string, alsoInTransaction: (trx: Db) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('exports').where('id', '=', id).execute();
      await alsoInTransaction(trx);
    });
  }

  async expiredIds(now: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('exports')
      .select('id')
      .where('expires_at', '<', now)
      .execute();
    return rows.map((r) => r.id);
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('exports').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }

  parts(exportId: string): Promise<ExportPartRow[]> {
    return this.db
      .selectFrom('export_parts')
      .select(['part', 'size', 'entry_count'])
      .where('export_id', '=', exportId)
      .orderBy('part')
      .execute();
  }

  /** Replaces the export's parts. */
  async setParts(exportId: string, parts: readonly ExportPartRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('export_parts').where('export_id', '=', exportId).execute();
      if (parts.length > 0) {
        await trx
          .insertInto('export_parts')
          .values(parts.map((p) => ({ ...p, export_id: exportId })))
          .execute();
      }
    });
  }

  async insertEntries(rows: readonly Insertable<ExportEntriesTable>[]): Promise<void> {
    if (rows.length > 0)
      await this.db
        .insertInto('export_entries')
        .values([...rows])
        .execute();
  }

  /** Removes the files the export writes at its end (they are written again). */
  async deleteTopLevelEntries(exportId: string): Promise<void> {
    await this.db
      .deleteFrom('export_entries')
      .where('export_id', '=', exportId)
      .where('seq', '<', 0)
      .execute();
  }

  async maxSeq(exportId: string): Promise<number> {
    const row = await this.db
      .selectFrom('export_entries')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('export_id', '=', exportId)
      .executeTakeFirst();
    return row?.seq ?? 0;
  }

  /** Which of these assets already have their files (an export continued after a crash). */
  async doneAssetIds(exportId: string, assetIds: readonly string[]): Promise<Set<string>> {
    if (assetIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('export_entries')
      .select('asset_id')
      .distinct()
      .where('export_id', '=', exportId)
      .where('asset_id', 'in', assetIds)
      .execute();
    return new Set(rows.map((r) => r.asset_id ?? ''));
  }

  async countDoneAssets(exportId: string): Promise<number> {
    const row = await this.db
      .selectFrom('export_entries')
      .select((eb) => eb.fn.count<number>('asset_id').distinct().as('n'))
      .where('export_id', '=', exportId)
      .executeTakeFirst();
    return row?.n ?? 0;
  }

  /** Paths already given below `prefix` (a folder, with its trailing slash). */
  async pathsUnder(exportId: string, prefix: string): Promise<string[]> {
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db
      .selectFrom('export_entries')
      .select('path')
      .where('export_id', '=', exportId)
      .where(sql<boolean>`path like ${pattern} escape '\\'`)
      .execute();
    // SQLite's LIKE ignores the case of ASCII letters: keep exact matches only.
    return rows.map((r) => r.path).filter((p) => p.startsWith(prefix));
  }

  /** Entries in order after `afterSeq`: the part assignment walks them page by page. */
  entryPage(
    exportId: string,
    afterSeq: number,
    limit: number,
  ): Promise<Pick<ExportEntryRow, 'seq' | 'asset_id' | 'path' | 'size'>[]> {
    return this.db
      .selectFrom('export_entries')
      .select(['seq', 'asset_id', 'path', 'size'])
      .where('export_id', '=', exportId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async assignPart(exportId: string, part: number, fromSeq: number, toSeq: number): Promise<void> {
    await this.db
      .updateTable('export_entries')
      .set({ part })
      .where('export_id', '=', exportId)
      .where('seq', '>=', fromSeq)
      .where('seq', '<=', toSeq)
      .execute();
  }

  entriesOfPart(exportId: string, part: number): Promise<ExportEntryRow[]> {
    return this.db
      .selectFrom('export_entries')
      .selectAll()
      .where('export_id', '=', exportId)
      .where('part', '=', part)
      .orderBy('seq')
      .execute();
  }

  /** Each asset's files by kind (original, motion, thumbnail, json, xmp) → path. */
  async pathsOf(
    exportId: string,
    assetIds: readonly string[],
  ): Promise<Map<string, Map<string, string>>> {
    const found = new Map<string, Map<string, string>>();
    for (let i = 0; i < assetIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('export_entries')
        .select(['asset_id', 'kind', 'path'])
        .where('export_id', '=', exportId)
        .where('asset_id', 'in', assetIds.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        const id = row.asset_id ?? '';
        const kinds = found.get(id) ?? new Map<string, string>();
        kinds.set(row.kind, row.path);
        found.set(id, kinds);
      }
    }
    return found;
  }
}
