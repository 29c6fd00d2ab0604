import pg from 'pg';

/** A fixed 64-bit key (hexadecimal) that no other advisory lock of the database uses. */
const embeddedQueueLockKey = '7069786c756e696f';

/**
 * Who runs the embedded job queue on a PostgreSQL database. That queue requeues at start every
 * job left active, which is only right if no other process is working on one, so one process at a
 * time may own it. A session-level advisory lock on a connection of its own says so: PostgreSQL
 * releases it when the connection ends, including when its process is killed, so a restarted
 * process owns the queue at once.
 */
export class PostgresQueueOwner {
  private client: pg.Client | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly onLost: (error: Error) => void,
  ) {}

  /** Takes ownership; false if another live process has it. */
  async acquire(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    const result = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(x'${embeddedQueueLockKey}'::bigint) AS locked`,
    );
    if (result.rows[0]?.locked !== true) {
      await client.end();
      return false;
    }
    client.on('error', (error) => {
      this.onLost(error);
    });
    this.client = client;
    return true;
  }

  /** Ends the connection, which releases the lock. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end();
  }
}
