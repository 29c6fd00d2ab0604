import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';

/** A text field of the JSON stored in `column` (`sidecar`, `s.sidecar`), read by the database. */
export function jsonField(
  dialect: Dialect,
  column: string,
  field: string,
): RawBuilder<string | null> {
  return dialect === 'postgres'
    ? sql<string | null>`(${sql.ref(column)}::json ->> ${field})`
    : sql<string | null>`json_extract(${sql.ref(column)}, ${`$.${field}`})`;
}

/** An imported entry of a PixelUnion export with the document that described it. */
export interface ImportedExportAsset {
  id: number;
  asset_id: string;
  document: string;
}

/** The queries that only imports of PixelUnion exports need (see takeout.pixelunion.*.ts). */
export class ExportImportRepo {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  /** The media entry at an archive path, wherever its folder. */
  async mediaByPath(importId: string, path: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('takeout_entries')
      .select('id')
      .where('import_id', '=', importId)
      .where('path', '=', path)
      .where('role', '=', 'media')
      .orderBy('id')
      .executeTakeFirst();
    return row?.id;
  }

  /** An album known only from a photo's JSON: albums.json, when it says more, wins. */
  async saveAlbumIfAbsent(row: {
    import_id: string;
    folder: string;
    title: string;
    description: string | null;
  }): Promise<void> {
    await this.db
      .insertInto('takeout_albums')
      .values({ ...row, album_id: null })
      .onConflict((oc) => oc.columns(['import_id', 'folder']).doNothing())
      .execute();
  }

  /** Whether the archives hold documents of a PixelUnion export. */
  async hasExportDocuments(importId: string): Promise<boolean> {
    const kind = jsonField(this.dialect, 'sidecar', 'kind');
    const row = await this.db
      .selectFrom('takeout_entries')
      .select('id')
      .where('import_id', '=', importId)
      .where('sidecar', 'is not', null)
      .where(kind, 'in', ['pixelunion-asset', 'pixelunion-albums', 'pixelunion-shares'])
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The stored documents of a kind (albums.json, shares.json: one per export in the import). */
  async documents(
    importId: string,
    kind: 'pixelunion-albums' | 'pixelunion-shares',
  ): Promise<string[]> {
    const rows = await this.db
      .selectFrom('takeout_entries')
      .select('sidecar')
      .where('import_id', '=', importId)
      .where('sidecar', 'is not', null)
      .where(jsonField(this.dialect, 'sidecar', 'kind'), '=', kind)
      .orderBy('id')
      .execute();
    return rows.flatMap((r) => (r.sidecar === null ? [] : [r.sidecar]));
  }

  /** Media entries that are in the library now (imported or duplicate) with their document. */
  importedAssets(importId: string, afterId: number, limit: number): Promise<ImportedExportAsset[]> {
    return this.db
      .selectFrom('takeout_entries as e')
      .innerJoin('takeout_entries as s', 's.id', 'e.sidecar_entry_id')
      .select((eb) => [
        'e.id',
        eb.ref('e.asset_id').$notNull().as('asset_id'),
        eb.ref('s.sidecar').$notNull().as('document'),
      ])
      .where('e.import_id', '=', importId)
      .where('e.role', '=', 'media')
      .where('e.asset_id', 'is not', null)
      .where('e.outcome', 'in', ['imported', 'duplicate'])
      .where(jsonField(this.dialect, 's.sidecar', 'kind'), '=', 'pixelunion-asset')
      .where('e.id', '>', afterId)
      .orderBy('e.id')
      .limit(limit)
      .execute();
  }
}
