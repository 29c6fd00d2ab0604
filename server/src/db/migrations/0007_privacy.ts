import type { Kysely } from 'kysely';

/**
 * Privacy: an account's scheduled erasure (with the hash of the receipt token its owner was given),
 * the per-user choice not to keep where photos were taken, and the erasure receipts, which hold
 * counts and times only, never anything that identifies the erased user.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('erasure_requested_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('erasure_due_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('erasure_receipt_hash', 'text').execute();
  await db.schema
    .alterTable('users')
    .addColumn('strip_location', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('erasure_receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('requested_at', 'bigint')
    .addColumn('erased_at', 'bigint', (c) => c.notNull())
    .addColumn('erased_by', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('erasure_receipts').ifExists().execute();
  for (const column of [
    'strip_location',
    'erasure_receipt_hash',
    'erasure_due_at',
    'erasure_requested_at',
  ]) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
}
