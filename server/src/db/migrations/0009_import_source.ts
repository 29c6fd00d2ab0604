import type { Kysely } from 'kysely';

/**
 * Imports of PixelUnion exports beside Google Takeout: an import knows what it brought in
 * (`source`, detected from the archives), and an asset whose date, place and description an
 * import gave exactly as they must stay (a PixelUnion export) is marked, so that reading the
 * file's metadata afterwards fills only the camera fields and dimensions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('takeout_imports')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('google-takeout'))
    .execute();
  await db.schema
    .alterTable('assets')
    .addColumn('keep_imported_facts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assets').dropColumn('keep_imported_facts').execute();
  await db.schema.alterTable('takeout_imports').dropColumn('source').execute();
}
