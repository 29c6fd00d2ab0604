/**
 * Timeline latency of one user on PostgreSQL, in a database of many users' libraries against
 * one holding only that user's library: per-user queries must not slow down with others' data.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../server/src/db/database.js';
import { TimelineRepo } from '../server/src/modules/timeline/timeline.repo.js';
import { startServerProcess, type ServerProcess } from '../server/src/test/server-process.js';
import { freshPostgresDatabase } from '../server/src/test/test-server.js';
import { explain, loadAverage, percentile, percentiles, timed } from './measure.js';
import {
  createBenchUser,
  insertOtherUsers,
  mulberry32,
  seedAssetsPostgres,
} from './synthetic-library.js';

export interface TimelineOptions {
  users: number;
  perUser: number;
  requests: number;
}

interface Library {
  label: string;
  handle: DatabaseHandle;
  env: { DATABASE_URL: string; PIXELUNION_DATA_DIR: string };
  server: ServerProcess | null;
  token: string;
  userId: string;
  months: { bucket: string; count: number }[];
  assetIds: string[];
  close(): Promise<void>;
}

const WARMUP = 20;
/** Requests per block; the two databases take turns block by block, so both see the same load. */
const BLOCK = 20;

/** An empty database and data folder; `close` stops its server and removes both. */
async function openLibrary(label: string): Promise<Library> {
  const database = await freshPostgresDatabase();
  const handle = openDatabase({ databaseUrl: database.url, sqlitePath: '' });
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-bench-scale-'));
  const library: Library = {
    label,
    handle,
    env: { DATABASE_URL: database.url, PIXELUNION_DATA_DIR: dataDir },
    server: null,
    token: '',
    userId: '',
    months: [],
    assetIds: [],
    async close() {
      await library.server?.stop();
      await handle.close();
      await database.drop();
      await fsp.rm(dataDir, { recursive: true, force: true });
    },
  };
  return library;
}

/**
 * The bench user (made through the API) and `users - 1` other users, each owning `perUser`
 * synthetic assets (2006–2025), seeded round-robin so that one user's rows are spread over the
 * whole table as they would be after years of uploads from everyone; then a server on it.
 */
async function seed(library: Library, users: number, perUser: number): Promise<void> {
  const { db } = library.handle;
  const label = library.label;
  await migrateToLatest(db);
  library.server = await startServerProcess(library.env);
  const login = await createBenchUser(library.server.url);
  await library.server.stop();
  library.server = null;
  library.token = login.token;
  library.userId = login.userId;

  const owners = [login.userId, ...(await insertOtherUsers(db, users - 1))];
  const total = users * perUser;
  const start = performance.now();
  await seedAssetsPostgres(db, owners, total, 1);
  const seedSeconds = (performance.now() - start) / 1000;
  // Autovacuum would analyze the table shortly after such a load, and set the visibility map
  // that lets a month page be read from the index alone.
  await sql`VACUUM ANALYZE`.execute(db);
  const size = await sql<{ database: number; assets: number }>`select
      pg_database_size(current_database()) as database,
      pg_total_relation_size('assets') as assets`.execute(db);
  console.log(
    `${label}: ${users.toLocaleString('en')} user${users > 1 ? 's' : ''} × ${perUser.toLocaleString('en')} = ${total.toLocaleString('en')} assets seeded in ${seedSeconds.toFixed(1)} s (${Math.round(total / seedSeconds).toLocaleString('en')} rows/s), then VACUUM ANALYZE; assets table with indexes ${((size.rows[0]?.assets ?? 0) / 2 ** 20).toFixed(0)} MiB, database ${((size.rows[0]?.database ?? 0) / 2 ** 20).toFixed(0)} MiB; load average ${loadAverage()}`,
  );

  library.months = await db
    .selectFrom('timeline_buckets')
    .select(['bucket', 'count'])
    .where('owner_id', '=', login.userId)
    .where('category', '=', 'timeline')
    .where('count', '>', 0)
    .orderBy('bucket', 'desc')
    .execute();
  const ids = await db
    .selectFrom('assets')
    .select('id')
    .where('owner_id', '=', login.userId)
    .where('trashed_at', 'is', null)
    .where('visibility', '=', 'timeline')
    .execute();
  library.assetIds = ids.map((r) => r.id);
  const sizes = library.months.map((m) => m.count);
  console.log(
    `  the bench user: ${library.assetIds.length} assets on the timeline over ${library.months.length} months (${Math.min(...sizes)}–${Math.max(...sizes)} a month)`,
  );
  library.server = await startServerProcess(library.env);
}

async function planOfBusiestMonth(library: Library): Promise<string> {
  const busiest = library.months.reduce((a, b) => (b.count > a.count ? b : a));
  const repo = new TimelineRepo(library.handle.db, 'postgres');
  const query = repo.bucketPageQuery(library.userId, busiest.bucket, 'timeline');
  return `plan of the bench user's busiest month on ${library.label} (${busiest.bucket}, ${busiest.count} assets):\n    ${await explain(library.handle.db, 'postgres', query)}`;
}

type Endpoint = 'list' | 'month' | 'asset';

function urlOf(library: Library, endpoint: Endpoint, random: () => number): string {
  const base = (library.server?.url ?? '').replace('localhost', '127.0.0.1');
  const pick = <T>(items: readonly T[]): T | undefined =>
    items[Math.floor(random() * items.length)];
  switch (endpoint) {
    case 'list':
      return `${base}/api/timeline/buckets?view=timeline`;
    case 'month':
      return `${base}/api/timeline/buckets/${pick(library.months)?.bucket ?? ''}?view=timeline`;
    case 'asset':
      return `${base}/api/assets/${pick(library.assetIds) ?? ''}`;
  }
}

/** `requests` timed requests on each library, in alternating blocks; milliseconds per library. */
async function measure(
  libraries: readonly Library[],
  endpoint: Endpoint,
  requests: number,
): Promise<number[][]> {
  const randoms = libraries.map((_, i) => mulberry32(7 + i));
  const samples = libraries.map(() => [] as number[]);
  for (const [i, library] of libraries.entries()) {
    for (let n = 0; n < WARMUP; n++) {
      await timed(urlOf(library, endpoint, randoms[i] ?? Math.random), library.token);
    }
  }
  for (let block = 0; block * BLOCK < requests; block++) {
    // Which library goes first alternates too.
    const order = block % 2 === 0 ? libraries.entries() : [...libraries.entries()].reverse();
    for (const [i, library] of order) {
      for (let n = 0; n < BLOCK && block * BLOCK + n < requests; n++) {
        const { ms } = await timed(
          urlOf(library, endpoint, randoms[i] ?? Math.random),
          library.token,
        );
        samples[i]?.push(ms);
      }
    }
  }
  return samples;
}

const endpoints: { endpoint: Endpoint; name: string }[] = [
  { endpoint: 'list', name: 'GET /api/timeline/buckets (month list)' },
  { endpoint: 'month', name: 'GET /api/timeline/buckets/<month>' },
  { endpoint: 'asset', name: 'GET /api/assets/<id> (viewer)' },
];

export async function measureTimeline(options: TimelineOptions): Promise<void> {
  const libraries: Library[] = [];
  try {
    const big = await openLibrary('big');
    libraries.push(big);
    await seed(big, options.users, options.perUser);
    const alone = await openLibrary('alone');
    libraries.push(alone);
    await seed(alone, 1, options.perUser);
    for (const library of libraries) console.log(await planOfBusiestMonth(library));

    console.log(
      `\n${options.requests} requests per endpoint and database, one at a time, after ${WARMUP} warm-up requests; the two databases take turns every ${BLOCK} requests`,
    );
    for (const { endpoint, name } of endpoints) {
      const before = loadAverage();
      const samples = await measure(libraries, endpoint, options.requests);
      console.log(`${name}:`);
      for (const [i, library] of libraries.entries()) {
        console.log(`  ${library.label.padEnd(6)} ${percentiles(samples[i] ?? [])}`);
      }
      const ratio = percentile(samples[0] ?? [], 50) / percentile(samples[1] ?? [], 50);
      console.log(
        `  p50 ${libraries.map((l) => l.label).join(' / ')}: ${ratio.toFixed(2)}; load average ${before} → ${loadAverage()}`,
      );
    }
  } finally {
    for (const library of libraries) await library.close();
  }
}
