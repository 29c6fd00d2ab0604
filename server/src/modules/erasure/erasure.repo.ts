import { sql } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type { UserRow } from '../../db/db.types.js';
import { deleteOwnedRows, erasedBy, summariseOwned, writeReceipt } from './erasure.rows.repo.js';
import type { ErasureSummary } from './erasure.view.js';

/** Columns that say "this row belongs to that user" in any table, present or future. */
const ownerColumns = ['owner_id', 'user_id'] as const;

export interface OwnedTable {
  table: string;
  column: string;
  hasId: boolean;
}

export interface ReceiptRow {
  token_hash: string;
  requested_at: number | null;
  erased_at: number;
  erased_by: 'user' | 'admin';
  summary: string;
}

export interface RowsPlan {
  /** Jobs already found to be about the user; the transaction looks again at newer ones. */
  jobIds: readonly number[];
  jobsScannedUpTo: number;
  /** Decides, on a job's payload, whether it is about the user (given their ids as of now). */
  jobMatcher: (ownedIds: ReadonlySet<string>) => (payload: string) => boolean;
  /** Failed-attempt counters keyed by the user (their email's hash, their erasure password). */
  rateLimitKeys: readonly string[];
  erasedAt: number;
  receiptId: string;
}

/**
 * Everything the erasure of an account reads and deletes. Known tables are emptied of the user's
 * rows child first; then any table with an owner_id or user_id column (found by introspection, so
 * tables added later are covered); the user row goes last.
 */
export class ErasureRepo {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  findUser(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findUserByReceiptHash(tokenHash: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('erasure_receipt_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  findReceipt(tokenHash: string): Promise<ReceiptRow | undefined> {
    return this.db
      .selectFrom('erasure_receipts')
      .select(['token_hash', 'requested_at', 'erased_at', 'erased_by', 'summary'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  async schedule(
    userId: string,
    values: { requestedAt: number | null; dueAt: number; receiptHash: string },
  ): Promise<void> {
    await this.db
      .updateTable('users')
      .set({
        erasure_requested_at: values.requestedAt,
        erasure_due_at: values.dueAt,
        erasure_receipt_hash: values.receiptHash,
      })
      .where('id', '=', userId)
      .execute();
  }

  /**
   * Drops a scheduled erasure whose due time has not come (once due, it may be running and cannot
   * be stopped). With `keepRequestTime`, the request's time stays as a note that it was cancelled.
   */
  async cancel(userId: string, now: number, keepRequestTime: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({
        erasure_due_at: null,
        erasure_receipt_hash: null,
        ...(keepRequestTime ? {} : { erasure_requested_at: null }),
      })
      .where('id', '=', userId)
      .where('erasure_due_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Forgets the note of a cancelled request. */
  async clearCancelledNote(userId: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ erasure_requested_at: null })
      .where('id', '=', userId)
      .where('erasure_due_at', 'is', null)
      .execute();
  }

  async countUsers(): Promise<{ users: number; admins: number }> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => [
        eb.fn.countAll<number>().as('users'),
        eb.fn.sum<number | null>('is_admin').as('admins'),
      ])
      .executeTakeFirstOrThrow();
    return { users: row.users, admins: row.admins ?? 0 };
  }

  async dueUserIds(now: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('users')
      .select('id')
      .where('erasure_due_at', '<=', now)
      .orderBy('erasure_due_at')
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Begins the receipt of an erasure that starts, with the sessions, API keys and jobs the files
   * phase removes (the rows phase completes it). A rerun keeps the first one.
   */
  async beginReceipt(
    user: UserRow,
    values: {
      id: string;
      startedAt: number;
      counts: Pick<ErasureSummary, 'sessions' | 'apiKeys' | 'jobs'>;
    },
  ): Promise<void> {
    if (user.erasure_receipt_hash === null) return;
    await this.db
      .insertInto('erasure_receipts')
      .values({
        id: values.id,
        token_hash: user.erasure_receipt_hash,
        requested_at: user.erasure_requested_at,
        erased_at: values.startedAt,
        erased_by: erasedBy(user),
        summary: JSON.stringify(values.counts),
      })
      .onConflict((oc) => oc.column('token_hash').doNothing())
      .execute();
  }

  async countCredentials(userId: string): Promise<{ sessions: number; apiKeys: number }> {
    const [sessions, apiKeys] = await Promise.all([
      this.db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow(),
    ]);
    return { sessions: sessions.n, apiKeys: apiKeys.n };
  }

  /** Ends the user's sessions but the one making the request; answers how many ended. */
  async endSessions(userId: string, keepTokenHash: string | null): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepTokenHash !== null) query = query.where('token_hash', '!=', keepTokenHash);
    return Number((await query.executeTakeFirst()).numDeletedRows);
  }

  async revokeApiKeys(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('api_keys').where('user_id', '=', userId).execute();
    return result.reduce((n, r) => n + Number(r.numDeletedRows), 0);
  }

  /** Unfinished imports are marked cancelled: a running import stops at its next entry. */
  async stopImports(userId: string, now: number): Promise<void> {
    await this.db
      .updateTable('takeout_imports')
      .set({ status: 'cancelled', updated_at: now, finished_at: now })
      .where('owner_id', '=', userId)
      .where('status', 'not in', ['done', 'failed', 'cancelled'])
      .execute();
  }

  /** What names the user's files outside the blob store. */
  async fileOwners(
    userId: string,
  ): Promise<{ uploadIds: string[]; importIds: string[]; assetIds: Set<string> }> {
    const [uploads, imports, assets] = await Promise.all([
      this.db.selectFrom('resumable_uploads').select('id').where('owner_id', '=', userId).execute(),
      this.db.selectFrom('takeout_imports').select('id').where('owner_id', '=', userId).execute(),
      this.db.selectFrom('assets').select('id').where('owner_id', '=', userId).execute(),
    ]);
    return {
      uploadIds: uploads.map((r) => r.id),
      importIds: imports.map((r) => r.id),
      assetIds: new Set(assets.map((r) => r.id)),
    };
  }

  /** Every table with an owner_id or user_id column, by introspection of the live schema. */
  async ownedTables(): Promise<OwnedTable[]> {
    const tables = await this.db.introspection.getTables();
    const out: OwnedTable[] = [];
    for (const table of tables) {
      if (table.isView || table.name === 'users') continue;
      const names = new Set(table.columns.map((c) => c.name));
      const column = ownerColumns.find((c) => names.has(c));
      if (column) out.push({ table: table.name, column, hasId: names.has('id') });
    }
    return out;
  }

  /** Ids of every row the user owns, in every table that has an id and an owner column. */
  async ownedIds(
    userId: string,
    tables?: readonly OwnedTable[],
    db: Db = this.db,
  ): Promise<Set<string>> {
    const ids = new Set<string>([userId]);
    for (const { table, column, hasId } of tables ?? (await this.ownedTables())) {
      if (!hasId) continue;
      const { rows } = await sql<{ id: unknown }>`select ${sql.ref('id')} as id from ${sql.table(
        table,
      )} where ${sql.ref(column)} = ${userId}`.execute(db);
      for (const row of rows) ids.add(String(row.id));
    }
    return ids;
  }

  /** Ids of the jobs, after `afterId`, whose payload `matches`; read in pages. */
  async matchJobs(
    matches: (payload: string) => boolean,
    afterId = 0,
    db: Db = this.db,
  ): Promise<{ ids: number[]; lastId: number }> {
    const ids: number[] = [];
    let lastId = afterId;
    for (;;) {
      const page = await db
        .selectFrom('jobs')
        .select(['id', 'payload'])
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(1000)
        .execute();
      for (const job of page) if (matches(job.payload)) ids.push(job.id);
      const last = page.at(-1);
      if (!last) return { ids, lastId };
      lastId = last.id;
    }
  }

  /** Of these jobs, those a worker is running now. */
  async activeJobIds(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('id', 'in', ids)
      .where('status', '=', 'active')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Deletes the jobs that are not running. */
  async deleteIdleJobs(ids: readonly number[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const result = await this.db
        .deleteFrom('jobs')
        .where('id', 'in', ids.slice(i, i + 500))
        .where('status', '!=', 'active')
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }

  /**
   * Deletes every row of the user in one transaction and records the receipt; the user row goes
   * last. Answers null when the user is already gone (a second run after the first finished).
   */
  async eraseRows(userId: string, plan: RowsPlan): Promise<ErasureSummary | null> {
    // Read before the transaction: on SQLite it holds the only connection.
    const owned = await this.ownedTables();
    return this.db.transaction().execute(async (trx) => {
      // On PostgreSQL a second process erasing the same user waits here, then finds it gone.
      let lookup = trx.selectFrom('users').selectAll().where('id', '=', userId);
      if (this.dialect === 'postgres') lookup = lookup.forUpdate();
      const user = await lookup.executeTakeFirst();
      const due = user?.erasure_due_at ?? null;
      if (!user || due === null || due > plan.erasedAt) return null;
      const summary = await summariseOwned(trx, userId);

      const ownedIds = await this.ownedIds(userId, owned, trx);
      const newer = await this.matchJobs(plan.jobMatcher(ownedIds), plan.jobsScannedUpTo, trx);
      const jobIds = [...new Set([...plan.jobIds, ...newer.ids])];
      for (let i = 0; i < jobIds.length; i += 500) {
        const batch = jobIds.slice(i, i + 500);
        const deleted = await trx.deleteFrom('jobs').where('id', 'in', batch).executeTakeFirst();
        summary.jobs += Number(deleted.numDeletedRows);
      }

      await deleteOwnedRows(trx, userId, plan.rateLimitKeys, owned);
      if (user.erasure_receipt_hash !== null) {
        await writeReceipt(trx, user, user.erasure_receipt_hash, summary, plan);
      }
      await trx.deleteFrom('users').where('id', '=', userId).execute();
      return summary;
    });
  }

  /**
   * SQLite keeps deleted rows' bytes in free pages (and old row versions in free space) until the
   * file is rebuilt: VACUUM rewrites it with live rows only, and the write-ahead log is emptied.
   * PostgreSQL reuses dead rows' space through (auto)vacuum; nothing is done here for it.
   */
  async compact(): Promise<void> {
    if (this.dialect !== 'sqlite') return;
    await sql`vacuum`.execute(this.db);
    await sql`pragma wal_checkpoint(truncate)`.execute(this.db);
  }

  /** Every base table of the live schema (for the erasure scan). */
  async tableNames(): Promise<string[]> {
    const { rows } =
      this.dialect === 'sqlite'
        ? await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
            this.db,
          )
        : await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
            this.db,
          );
    return rows.map((r) => r.name);
  }

  /** Every row of a table, as the driver returns it (for the erasure scan). */
  async readTable(table: string): Promise<Record<string, unknown>[]> {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      this.db,
    );
    return rows;
  }
}
