import type { Kysely } from 'kysely';

/** Album members, share links with their assets, passes (cookies) and use log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('album_members')
    .addColumn('album_id', 'text', (c) => c.notNull().references('albums.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('album_members_pk', ['album_id', 'user_id'])
    .execute();
  await db.schema.createIndex('album_members_user').on('album_members').column('user_id').execute();

  await db.schema
    .createTable('share_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('album_id', 'text', (c) => c.references('albums.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('max_views', 'integer')
    .addColumn('view_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('allow_download', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('allow_upload', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('show_metadata', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('description', 'text')
    .addColumn('label', 'text')
    .addColumn('revoked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('share_links_owner').on('share_links').column('owner_id').execute();
  await db.schema.createIndex('share_links_album').on('share_links').column('album_id').execute();

  await db.schema
    .createTable('share_link_assets')
    .addColumn('link_id', 'text', (c) =>
      c.notNull().references('share_links.id').onDelete('cascade'),
    )
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('share_link_assets_pk', ['link_id', 'asset_id'])
    .execute();
  await db.schema
    .createIndex('share_link_assets_asset')
    .on('share_link_assets')
    .column('asset_id')
    .execute();

  // A visitor's pass for one link: unlocked by its password and/or holding one of its views.
  await db.schema
    .createTable('share_link_passes')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('link_id', 'text', (c) =>
      c.notNull().references('share_links.id').onDelete('cascade'),
    )
    .addColumn('unlocked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('viewed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('share_link_passes_expires')
    .on('share_link_passes')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('share_link_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('link_id', 'text', (c) =>
      c.notNull().references('share_links.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text')
    .execute();
  await db.schema
    .createIndex('share_link_events_link')
    .on('share_link_events')
    .columns(['link_id', 'at'])
    .execute();
  await db.schema
    .createIndex('share_link_events_at')
    .on('share_link_events')
    .column('at')
    .execute();

  // No foreign key: the attribution outlives a link the owner deletes.
  await db.schema.alterTable('assets').addColumn('uploaded_via_link_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assets').dropColumn('uploaded_via_link_id').execute();
  for (const table of [
    'share_link_events',
    'share_link_passes',
    'share_link_assets',
    'share_links',
    'album_members',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
