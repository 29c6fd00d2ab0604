import { SqliteAdapter, type Kysely } from 'kysely';

/**
 * Google Takeout imports: the imports, their archive parts, one row per archive entry (the index
 * that matching and importing work from, so memory never depends on the export's size), and the
 * albums found. Assets gain a motion part (live photos) and the source of their location.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('takeout_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('takeout_imports_owner')
    .on('takeout_imports')
    .column('owner_id')
    .execute();

  await db.schema
    .createTable('takeout_parts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('import_id', 'text', (c) =>
      c.notNull().references('takeout_imports.id').onDelete('cascade'),
    )
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('format', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('takeout_parts_import')
    .on('takeout_parts')
    .column('import_id')
    .execute();

  await db.schema
    .createTable('takeout_entries')
    .addColumn('id', 'integer', (c) =>
      sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
    )
    .addColumn('import_id', 'text', (c) =>
      c.notNull().references('takeout_imports.id').onDelete('cascade'),
    )
    .addColumn('part_id', 'text', (c) => c.notNull())
    .addColumn('entry_index', 'integer', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('sidecar', 'text')
    .addColumn('sidecar_entry_id', 'integer')
    .addColumn('match_how', 'text')
    .addColumn('motion_of_entry_id', 'integer')
    .addColumn('outcome', 'text')
    .addColumn('detail', 'text')
    .addColumn('asset_id', 'text')
    .execute();
  await db.schema
    .createIndex('takeout_entries_folder')
    .on('takeout_entries')
    .columns(['import_id', 'folder', 'name'])
    .execute();
  await db.schema
    .createIndex('takeout_entries_part')
    .on('takeout_entries')
    .columns(['import_id', 'part_id', 'entry_index'])
    .execute();
  await db.schema
    .createIndex('takeout_entries_asset')
    .on('takeout_entries')
    .columns(['import_id', 'asset_id'])
    .execute();

  await db.schema
    .createTable('takeout_albums')
    .addColumn('import_id', 'text', (c) =>
      c.notNull().references('takeout_imports.id').onDelete('cascade'),
    )
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('album_id', 'text')
    .addPrimaryKeyConstraint('takeout_albums_pk', ['import_id', 'folder'])
    .execute();

  await db.schema.alterTable('assets').addColumn('motion_file_size', 'bigint').execute();
  await db.schema.alterTable('assets').addColumn('motion_mime_type', 'text').execute();
  await db.schema.alterTable('assets').addColumn('location_source', 'text').execute();
  await db.schema.alterTable('resumable_uploads').addColumn('takeout_import_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('resumable_uploads').dropColumn('takeout_import_id').execute();
  for (const column of ['location_source', 'motion_mime_type', 'motion_file_size']) {
    await db.schema.alterTable('assets').dropColumn(column).execute();
  }
  for (const table of ['takeout_albums', 'takeout_entries', 'takeout_parts', 'takeout_imports']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
