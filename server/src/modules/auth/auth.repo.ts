import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export interface Credential {
  userId: string;
  isAdmin: boolean;
  expiresAt: number | null;
}

export class AuthRepo {
  constructor(private readonly db: Db) {}

  async insertSession(row: {
    id: string;
    token_hash: string;
    user_id: string;
    created_at: number;
    expires_at: number;
  }): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async findSession(tokenHash: string): Promise<Credential | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.user_id', 'sessions.expires_at', 'users.is_admin'])
      .where('sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && { userId: row.user_id, isAdmin: row.is_admin === 1, expiresAt: row.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }

  async insertApiKey(row: {
    id: string;
    user_id: string;
    name: string;
    key_hash: string;
    created_at: number;
  }): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }

  async findApiKey(keyHash: string): Promise<Credential | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('users', 'users.id', 'api_keys.user_id')
      .select(['api_keys.user_id', 'users.is_admin'])
      .where('api_keys.key_hash', '=', keyHash)
      .executeTakeFirst();
    return row && { userId: row.user_id, isAdmin: row.is_admin === 1, expiresAt: null };
  }

  listApiKeys(userId: string): Promise<{ id: string; name: string; created_at: number }[]> {
    return this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  async deleteApiKey(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('api_keys')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Failures counted in a fixed window; stored in the database so every process sees them. */
  async failureCount(key: string, windowStart: number): Promise<number> {
    const row = await this.db
      .selectFrom('rate_limits')
      .select(['count', 'window_start'])
      .where('key', '=', key)
      .executeTakeFirst();
    return row && row.window_start >= windowStart ? row.count : 0;
  }

  async recordFailure(key: string, now: number, windowStart: number): Promise<void> {
    const expired = sql<boolean>`rate_limits.window_start < ${windowStart}`;
    await this.db
      .insertInto('rate_limits')
      .values({ key, window_start: now, count: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql`case when ${expired} then 1 else rate_limits.count + 1 end`,
          window_start: sql`case when ${expired} then ${now} else rate_limits.window_start end`,
        }),
      )
      .execute();
  }

  async deleteFailuresBefore(windowStart: number): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('window_start', '<', windowStart).execute();
  }

  async clearFailures(key: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }
}
