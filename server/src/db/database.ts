import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import type { Database } from './db.types.js';
import * as core from './migrations/0001_core.js';
import * as timelineIndex from './migrations/0002_timeline_covering_index.js';
import * as resumableUploads from './migrations/0003_resumable_uploads.js';
import * as albums from './migrations/0004_albums.js';
import * as sharing from './migrations/0005_sharing.js';
import * as takeout from './migrations/0006_takeout.js';
import * as privacy from './migrations/0007_privacy.js';
import * as exportsMigration from './migrations/0008_exports.js';
import * as importSource from './migrations/0009_import_source.js';
import * as jobRelay from './migrations/0010_job_relay.js';
import * as periodicRuns from './migrations/0011_periodic_runs.js';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_timeline_covering_index': timelineIndex,
  '0003_resumable_uploads': resumableUploads,
  '0004_albums': albums,
  '0005_sharing': sharing,
  '0006_takeout': takeout,
  '0007_privacy': privacy,
  '0008_exports': exportsMigration,
  '0009_import_source': importSource,
  '0010_job_relay': jobRelay,
  '0011_periodic_runs': periodicRuns,
};

// PostgreSQL returns BIGINT and NUMERIC as strings; every bigint we store is an epoch-ms or a
// byte count well inside Number's safe range, so parse them as numbers like SQLite does.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

export function openDatabase(options: {
  databaseUrl: string | null;
  sqlitePath: string;
}): DatabaseHandle {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // A connection that breaks while idle in the pool (the server restarted, or ended it) is
    // dropped by the pool and replaced on the next query; without a listener its error would
    // end the process.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  fs.mkdirSync(path.dirname(options.sqlitePath), { recursive: true });
  const sqlite = new SQLite(options.sqlitePath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A 64 MiB page cache keeps month pages of a large library in memory. No memory-mapped reads:
  // every mapped page of the file counted in the server's resident memory, which then grew with
  // the database (a 100,000-photo import passed 500 MB); the kernel caches the file anyway.
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error)
    throw error instanceof Error ? error : new Error(`Migration failed: ${JSON.stringify(error)}`);
}
