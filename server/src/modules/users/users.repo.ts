import type { Db } from '../../db/database.js';
import type { UserRow } from '../../db/db.types.js';

export class UsersRepo {
  constructor(private readonly db: Db) {}

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  list(): Promise<UserRow[]> {
    return this.db.selectFrom('users').selectAll().orderBy('created_at').execute();
  }

  async insert(user: UserRow): Promise<void> {
    await this.db.insertInto('users').values(user).execute();
  }

  async setQuota(id: string, quotaBytes: number | null): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ quota_bytes: quotaBytes })
      .where('id', '=', id)
      .execute();
  }

  async setStripLocation(id: string, on: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ strip_location: on ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  /** Bytes of originals the user stores, trash included (it still occupies the disk). */
  async usageBytes(id: string): Promise<number> {
    const row = await this.db
      .selectFrom('assets')
      .select((eb) => eb.fn.sum<number>('file_size').as('bytes'))
      .where('owner_id', '=', id)
      .executeTakeFirst();
    return row?.bytes ?? 0;
  }
}
