import type { Kysely } from 'kysely';

/**
 * When each periodic task (trash expiry, account erasure, …) is next due, shared by every worker
 * process so that one of them, not all, runs each hourly round (see jobs/periodic.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('periodic_runs')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('next_run_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('periodic_runs').execute();
}
