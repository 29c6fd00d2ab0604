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

  /** Jobs of one queue left failed after their last attempt, newest first. */
  failed(queue: string, limit: number): Promise<JobRow[]> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('queue', '=', queue)
      .where('status', '=', 'failed')
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Gives failed jobs a new set of attempts: those of a queue, or only the listed ids. Returns
   * how many were failed and are waiting again.
   */
  async reopenFailed(queue: string, ids?: readonly number[]): Promise<number> {
    if (ids?.length === 0) return 0;
    const now = Date.now();
    let query = this.db
      .updateTable('jobs')
      .set({
        status: 'waiting',
        attempts: 0,
        run_after: now,
        locked_at: null,
        relayed_at: null,
        updated_at: now,
      })
      .where('queue', '=', queue)
      .where('status', '=', 'failed');
    if (ids) query = query.where('id', 'in', ids);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  get(id: number): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Of these ids, those whose row still exists (an erasure deletes the jobs of what it erases). */
  async existing(ids: readonly number[]): Promise<Set<number>> {
    const found = new Set<number>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('jobs')
        .select('id')
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const row of rows) found.add(row.id);
    }
    return found;
  }

  /** Released jobs not yet handed to the queue engine, oldest first. */
  unrelayed(limit: number): Promise<JobRow[]> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'waiting')
      .where('relayed_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Records that the engine holds these jobs (`null`: it lost them, hand them over again). */
  async markRelayed(ids: readonly number[], at: number | null): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await this.db
        .updateTable('jobs')
        .set({ relayed_at: at })
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
    }
  }

  /**
   * Unfinished jobs the relay has not looked at in the engine since `before`, and jobs left
   * `active` since then without ever being handed over (an embedded queue's run that died).
   */
  relayedBefore(before: number, limit: number): Promise<JobRow[]> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', 'in', ['waiting', 'active']), eb('relayed_at', '<', before)]),
          eb.and([
            eb('status', '=', 'active'),
            eb('relayed_at', 'is', null),
            eb('locked_at', '<', before),
          ]),
        ]),
      )
      .orderBy('relayed_at')
      .limit(limit)
      .execute();
  }

  /** Unfinished jobs the engine no longer has: waiting again, to be handed over again. */
  async requeue(ids: readonly number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await this.db
        .updateTable('jobs')
        .set({ status: 'waiting', locked_at: null, relayed_at: null, updated_at: Date.now() })
        .where('id', 'in', ids.slice(i, i + 500))
        .where('status', 'in', ['waiting', 'active'])
        .execute();
    }
  }

  /**
   * Marks a job running for one more attempt, unless it is already finished, held or gone: the
   * engine may deliver a job again (a worker died after finishing it), and running it then must
   * change nothing. A job already `active` is taken over (its worker died).
   */
  begin(id: number): Promise<JobRow | undefined> {
    const now = Date.now();
    return this.db
      .updateTable('jobs')
      .set({ status: 'active', locked_at: now, attempts: sql`attempts + 1`, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['waiting', 'active'])
      .returningAll()
      .executeTakeFirst();
  }

  /** Marks a job failed for good unless it already finished; true when this call did it. */
  async giveUp(id: number, error: string): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ status: 'failed', last_error: error, locked_at: null, updated_at: Date.now() })
      .where('id', '=', id)
      .where('status', 'in', ['held', 'waiting', 'active'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Held jobs created at or before `time`: their process died before releasing them. Inclusive,
   * so that a grace of 0 (a restart of the only process) also takes a job held this millisecond.
   */
  async releaseHeldUpTo(time: number): Promise<number> {
    const result = await this.db
      .updateTable('jobs')
      .set({ status: 'waiting', updated_at: Date.now() })
      .where('status', '=', 'held')
      .where('created_at', '<=', time)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Jobs per queue not yet in the queue engine: held, or released and not handed over. */
  countUnrelayed(): Promise<{ queue: string; count: number }[]> {
    return this.db
      .selectFrom('jobs')
      .select(['queue', (eb) => eb.fn.countAll<number>().as('count')])
      .where((eb) =>
        eb.or([
          eb('status', '=', 'held'),
          eb.and([eb('status', '=', 'waiting'), eb('relayed_at', 'is', null)]),
        ]),
      )
      .groupBy('queue')
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
