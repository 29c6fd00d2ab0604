import { sql } from 'kysely';
import type { Db, Dialect } from '../db/database.js';
import type { JobRow, JobStatus } from '../db/db.types.js';

export class JobsRepo {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  async insert(
    queue: string,
    payload: string,
    maxAttempts: number,
    db: Db = this.db,
    status: 'waiting' | 'held' = 'waiting',
  ): Promise<number> {
    const now = Date.now();
    const row = await db
      .insertInto('jobs')
      .values({
        queue,
        payload,
        status,
        attempts: 0,
        max_attempts: maxAttempts,
        run_after: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Makes held jobs runnable: one by id, or all of them (after a crash) when `id` is undefined. */
  async release(id?: number): Promise<void> {
    let query = this.db
      .updateTable('jobs')
      .set({ status: 'waiting', updated_at: Date.now() })
      .where('status', '=', 'held');
    if (id !== undefined) query = query.where('id', '=', id);
    await query.execute();
  }

  /** Takes the oldest runnable job of the given queues, or nothing. Safe with many workers on PostgreSQL. */
  claim(queues: readonly string[]): Promise<JobRow | undefined> {
    const now = Date.now();
    return this.db.transaction().execute(async (trx) => {
      let next = trx
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'waiting')
        .where('run_after', '<=', now)
        .where('queue', 'in', queues)
        .orderBy('id')
        .limit(1);
      if (this.dialect === 'postgres') next = next.forUpdate().skipLocked();
      const row = await next.executeTakeFirst();
      if (!row) return undefined;
      return trx
        .updateTable('jobs')
        .set({ status: 'active', locked_at: now, attempts: sql`attempts + 1`, updated_at: now })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirst();
    });
  }

  async finish(
    id: number,
    status: JobStatus,
    error: string | null,
    runAfter?: number,
  ): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({
        status,
        last_error: error,
        locked_at: null,
        updated_at: Date.now(),
        ...(runAfter === undefined ? {} : { run_after: runAfter }),
      })
      .where('id', '=', id)
      .execute();
  }

  /** After a crash: jobs that were running when the process died are run again. */
  async requeueActive(): Promise<number> {
    const result = await this.db
      .updateTable('jobs')
      .set({ status: 'waiting', locked_at: null, updated_at: Date.now() })
      .where('status', '=', 'active')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  countByQueueAndStatus(): Promise<{ queue: string; status: string; count: number }[]> {
    return this.db
      .selectFrom('jobs')
      .select(['queue', 'status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(['queue', 'status'])
      .execute();
  }

  async deleteCompletedBefore(time: number): Promise<void> {
    await this.db
      .deleteFrom('jobs')
      .where('status', '=', 'completed')
      .where('updated_at', '<', time)
      .execute();
  }
}
