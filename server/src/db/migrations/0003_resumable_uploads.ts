import type { Kysely } from 'kysely';

/** tus uploads in progress: their state lives here so that any API process can take the next chunk. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('resumable_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('upload_length', 'bigint', (c) => c.notNull())
    .addColumn('upload_offset', 'bigint', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('file_created_at', 'bigint')
    .addColumn('file_modified_at', 'bigint')
    .addColumn('lock_token', 'text')
    .addColumn('locked_at', 'bigint')
    .addColumn('asset_id', 'text')
    .addColumn('asset_status', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('resumable_uploads_owner')
    .on('resumable_uploads')
    .column('owner_id')
    .execute();
  await db.schema
    .createIndex('resumable_uploads_expires')
    .on('resumable_uploads')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('resumable_uploads').ifExists().execute();
}
