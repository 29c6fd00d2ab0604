import type { Kysely } from 'kysely';

/**
 * A month page reads ~thousands of rows: with every column it returns in the index, both
 * dialects answer from the index alone instead of one table-page lookup per row
 * (measured in docs/benchmarks.md: PostgreSQL's busiest month 80 ms → 12 ms).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('assets_owner_bucket_time').execute();
  await db.schema
    .createIndex('assets_timeline_month')
    .on('assets')
    .columns([
      'owner_id',
      'bucket',
      'local_date_time',
      'id',
      'visibility',
      'trashed_at',
      'is_favorite',
      'type',
      'width',
      'height',
      'duration_seconds',
      'thumbhash',
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('assets_timeline_month').execute();
  await db.schema
    .createIndex('assets_owner_bucket_time')
    .on('assets')
    .columns(['owner_id', 'bucket', 'local_date_time'])
    .execute();
}
