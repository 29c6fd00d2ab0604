import type { Kysely } from 'kysely';

/**
 * Full exports of a user's library: the export (a snapshot taken when it was asked for), its
 * zip parts, and one row per file of the zips. A row names the blob the file's bytes come from
 * (an original, a thumbnail, or a small file the export wrote under `exports/`), its size and
 * CRC-32, so each part's zip layout — every byte offset — is known without reading a file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('exports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('part_size', 'bigint', (c) => c.notNull())
    .addColumn('asset_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('assets_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exports_owner').on('exports').column('owner_id').execute();
  await db.schema.createIndex('exports_expires').on('exports').column('expires_at').execute();

  await db.schema
    .createTable('export_parts')
    .addColumn('export_id', 'text', (c) => c.notNull().references('exports.id').onDelete('cascade'))
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('export_parts_pk', ['export_id', 'part'])
    .execute();

  await db.schema
    .createTable('export_entries')
    .addColumn('export_id', 'text', (c) => c.notNull().references('exports.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('asset_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('part', 'integer')
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('crc32', 'bigint', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('export_entries_pk', ['export_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('export_entries_part')
    .on('export_entries')
    .columns(['export_id', 'part', 'seq'])
    .execute();
  await db.schema
    .createIndex('export_entries_asset')
    .on('export_entries')
    .columns(['export_id', 'asset_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('export_entries').ifExists().execute();
  await db.schema.dropTable('export_parts').ifExists().execute();
  await db.schema.dropTable('exports').ifExists().execute();
}
