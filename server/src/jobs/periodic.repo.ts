import type { Db } from '../db/database.js';

/** The shared schedule of periodic tasks (table `periodic_runs`). */
export class PeriodicRepo {
  constructor(private readonly db: Db) {}

  /**
   * Claims the round of `name` due at `now`: true for exactly one caller among the processes that
   * ask before `nextRunAt`, which becomes the task's next due time.
   */
  async claim(name: string, now: number, nextRunAt: number): Promise<boolean> {
    const updated = await this.db
      .updateTable('periodic_runs')
      .set({ next_run_at: nextRunAt })
      .where('name', '=', name)
      .where('next_run_at', '<=', now)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return true;
    const inserted = await this.db
      .insertInto('periodic_runs')
      .values({ name, next_run_at: nextRunAt })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Records a round run outside the schedule (at a process's start). */
  async ranAt(name: string, nextRunAt: number): Promise<void> {
    await this.db
      .insertInto('periodic_runs')
      .values({ name, next_run_at: nextRunAt })
      .onConflict((oc) => oc.column('name').doUpdateSet({ next_run_at: nextRunAt }))
      .execute();
  }
}
