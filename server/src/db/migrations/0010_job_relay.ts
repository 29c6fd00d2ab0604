import type { Kysely } from 'kysely';

/**
 * With a queue engine (BullMQ on Redis), the `jobs` table is the outbox: a row is written in the
 * transaction that needs it, and a relay hands it to the engine afterwards. `relayed_at` is when
 * the relay last saw the job in the engine (null: not handed over yet). The embedded queue
 * ignores it, so a library can move between the two modes at any time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('relayed_at', 'bigint').execute();
  await db.schema
    .createIndex('jobs_relay')
    .on('jobs')
    .columns(['status', 'relayed_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_relay').execute();
  await db.schema.alterTable('jobs').dropColumn('relayed_at').execute();
}
