import { sql } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type {
  NewTakeoutEntry,
  TakeoutEntryRow,
  TakeoutImportRow,
  TakeoutImportStatus,
  TakeoutOutcome,
  TakeoutPartRow,
} from '../../db/db.types.js';
import { ExportImportRepo, jsonField } from './takeout.pixelunion.repo.js';
import { TakeoutReportRepo } from './takeout.report.repo.js';

/** A media entry waiting to be imported, with its sidecar's parsed JSON when it has one. */
export type PendingEntry = TakeoutEntryRow & { sidecar_json: string | null };

const unfinished: TakeoutImportStatus[] = ['queued', 'indexing', 'matching', 'importing'];

/** A folder's entry as matching reads it; see entriesOfFolder. */
export type FolderEntry = Pick<TakeoutEntryRow, 'id' | 'name' | 'path' | 'role'> & {
  kind: string | null;
  title: string | null;
  document: string | null;
};

/** Imports, their parts, the index of their entries and the albums found. */
export class TakeoutRepo {
  /** What only imports of PixelUnion exports need. */
  readonly exports: ExportImportRepo;
  /** Progress counts and the report's lines. */
  readonly reports: TakeoutReportRepo;

  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {
    this.exports = new ExportImportRepo(db, dialect);
    this.reports = new TakeoutReportRepo(db);
  }

  async createImport(row: TakeoutImportRow): Promise<void> {
    await this.db.insertInto('takeout_imports').values(row).execute();
  }

  findImport(id: string): Promise<TakeoutImportRow | undefined> {
    return this.db
      .selectFrom('takeout_imports')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  listImports(ownerId: string): Promise<TakeoutImportRow[]> {
    return this.db
      .selectFrom('takeout_imports')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /**
   * Unfinished imports that no job will carry on: none waiting, running or held for them. With
   * several workers, an import another worker is running already has its (active) job.
   */
  async unfinishedImportIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('takeout_imports')
      .select('id')
      .where('status', 'in', unfinished)
      .execute();
    const jobs = await this.db
      .selectFrom('jobs')
      .select('payload')
      .where('queue', '=', 'takeout-import')
      .where('status', 'in', ['waiting', 'active', 'held'])
      .execute();
    const carried = new Set(jobs.map((j) => j.payload));
    return rows.map((r) => r.id).filter((id) => !carried.has(JSON.stringify({ importId: id })));
  }

  async updateImport(
    id: string,
    changes: Partial<Omit<TakeoutImportRow, 'id' | 'owner_id'>>,
  ): Promise<void> {
    await this.db
      .updateTable('takeout_imports')
      .set({ ...changes, updated_at: Date.now() })
      .where('id', '=', id)
      .execute();
  }

  async insertPart(row: TakeoutPartRow): Promise<void> {
    await this.db.insertInto('takeout_parts').values(row).execute();
  }

  partsOf(importId: string): Promise<TakeoutPartRow[]> {
    return this.db
      .selectFrom('takeout_parts')
      .selectAll()
      .where('import_id', '=', importId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async updatePart(
    id: string,
    changes: Partial<Pick<TakeoutPartRow, 'status' | 'format' | 'error'>>,
  ): Promise<void> {
    await this.db.updateTable('takeout_parts').set(changes).where('id', '=', id).execute();
  }

  /** Forgets what an interrupted index of this part wrote, so it can be indexed again. */
  async deleteEntriesOfPart(importId: string, partId: string): Promise<void> {
    await this.db
      .deleteFrom('takeout_entries')
      .where('import_id', '=', importId)
      .where('part_id', '=', partId)
      .execute();
  }

  async insertEntries(rows: readonly NewTakeoutEntry[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 200) {
        await trx
          .insertInto('takeout_entries')
          .values(rows.slice(i, i + 200))
          .execute();
      }
    });
  }

  async folders(importId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('takeout_entries')
      .select('folder')
      .distinct()
      .where('import_id', '=', importId)
      .where('role', 'in', ['media', 'sidecar', 'album-meta'])
      .orderBy('folder')
      .execute();
    return rows.map((r) => r.folder);
  }

  /**
   * A folder's media, photo sidecars and album metadata, for matching. Of a Google photo sidecar
   * only its title is read (by the database, from the stored JSON): a year folder holds tens of
   * thousands of them, which need not all be loaded and parsed at once. Album metadata and the
   * documents of a PixelUnion export come whole (`document`).
   */
  entriesOfFolder(importId: string, folder: string): Promise<FolderEntry[]> {
    const title = jsonField(this.dialect, 'sidecar', 'title');
    const kind = jsonField(this.dialect, 'sidecar', 'kind');
    return this.db
      .selectFrom('takeout_entries')
      .select(['id', 'name', 'path', 'role'])
      .select((eb) => [
        eb.case().when('role', '!=', 'media').then(kind).else(null).end().as('kind'),
        eb.case().when('role', '=', 'sidecar').then(title).else(null).end().as('title'),
        eb
          .case()
          .when(eb.or([eb('role', '=', 'album-meta'), eb(kind, '=', 'pixelunion-asset')]))
          .then(eb.ref('sidecar'))
          .else(null)
          .end()
          .as('document'),
      ])
      .where('import_id', '=', importId)
      .where('folder', '=', folder)
      .where('role', 'in', ['media', 'sidecar', 'album-meta'])
      .orderBy('id')
      .execute();
  }

  /**
   * Writes a folder's matches: each media entry's sidecar and, for motion files, their still.
   * One UPDATE per 300 entries (CASE by id), not one per entry: a year folder holds tens of
   * thousands of files, and every statement costs memory until it is collected.
   */
  async saveMatches(
    matches: readonly {
      id: number;
      sidecarEntryId: number | null;
      how: string | null;
      motionOf: number | null;
    }[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < matches.length; i += 300) {
        const chunk = matches.slice(i, i + 300);
        const byId = (value: (m: (typeof chunk)[number]) => number | string | null, type: string) =>
          sql<never>`case id ${sql.join(
            chunk.map((m) => sql`when ${m.id} then cast(${value(m)} as ${sql.raw(type)})`),
            sql` `,
          )} end`;
        await trx
          .updateTable('takeout_entries')
          .set({
            sidecar_entry_id: byId((m) => m.sidecarEntryId, 'integer'),
            match_how: byId((m) => m.how, 'text'),
            motion_of_entry_id: byId((m) => m.motionOf, 'integer'),
          })
          .where(
            'id',
            'in',
            chunk.map((m) => m.id),
          )
          .execute();
      }
    });
  }

  async saveAlbum(row: {
    import_id: string;
    folder: string;
    title: string;
    description: string | null;
  }): Promise<void> {
    await this.db
      .insertInto('takeout_albums')
      .values({ ...row, album_id: null })
      .onConflict((oc) =>
        oc
          .columns(['import_id', 'folder'])
          .doUpdateSet({ title: row.title, description: row.description }),
      )
      .execute();
  }

  albumsOf(importId: string) {
    return this.db
      .selectFrom('takeout_albums')
      .selectAll()
      .where('import_id', '=', importId)
      .orderBy('folder')
      .execute();
  }

  async setAlbumId(importId: string, folder: string, albumId: string): Promise<void> {
    await this.db
      .updateTable('takeout_albums')
      .set({ album_id: albumId })
      .where('import_id', '=', importId)
      .where('folder', '=', folder)
      .execute();
  }

  /** The next media entries of a part still to import, in archive order, after `afterIndex`. */
  pendingMedia(
    importId: string,
    partId: string,
    motion: boolean,
    afterIndex: number,
    limit: number,
  ): Promise<PendingEntry[]> {
    return this.db
      .selectFrom('takeout_entries as e')
      .leftJoin('takeout_entries as s', 's.id', 'e.sidecar_entry_id')
      .selectAll('e')
      .select('s.sidecar as sidecar_json')
      .where('e.import_id', '=', importId)
      .where('e.part_id', '=', partId)
      .where('e.role', '=', 'media')
      .where('e.outcome', 'is', null)
      .where('e.motion_of_entry_id', motion ? 'is not' : 'is', null)
      .where('e.entry_index', '>', afterIndex)
      .orderBy('e.entry_index')
      .limit(limit)
      .execute();
  }

  findEntry(id: number): Promise<TakeoutEntryRow | undefined> {
    return this.db
      .selectFrom('takeout_entries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async setOutcome(
    id: number,
    outcome: TakeoutOutcome,
    detail: string | null,
    assetId: string | null,
  ): Promise<void> {
    await this.db
      .updateTable('takeout_entries')
      .set({ outcome, detail, asset_id: assetId })
      .where('id', '=', id)
      .execute();
  }

  /** The entry of this import that brought the asset in, if one did. */
  importedEntryOf(
    importId: string,
    assetId: string,
  ): Promise<Pick<TakeoutEntryRow, 'id' | 'path'> | undefined> {
    return this.db
      .selectFrom('takeout_entries')
      .select(['id', 'path'])
      .where('import_id', '=', importId)
      .where('asset_id', '=', assetId)
      .where('outcome', '=', 'imported')
      .executeTakeFirst();
  }
}
