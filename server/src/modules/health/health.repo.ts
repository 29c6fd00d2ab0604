import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/** Library-wide totals: aggregate counts only, never per user. */
export interface LibraryTotals {
  users: number;
  assets: number;
}

/** The queries of the health check and of the metrics' totals. */
export class HealthRepo {
  constructor(private readonly db: Db) {}

  /** A round trip to the database that reads no table. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  /** The embedded job queue's table answers a read (one row at most, by its primary key). */
  async jobsReadable(): Promise<void> {
    await this.db.selectFrom('jobs').select('id').orderBy('id').limit(1).execute();
  }

  /**
   * Users, and assets summed from `timeline_buckets` (kept equal to a count of `assets` in the
   * same transactions, and a few hundred rows per user instead of every asset).
   */
  async totals(): Promise<LibraryTotals> {
    const users = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirst();
    const assets = await this.db
      .selectFrom('timeline_buckets')
      .select((eb) => eb.fn.sum<number | string | null>('count').as('total'))
      .executeTakeFirst();
    return { users: Number(users?.count ?? 0), assets: Number(assets?.total ?? 0) };
  }
}
