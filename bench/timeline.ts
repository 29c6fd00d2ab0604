/**
 * Timeline latency at scale: one user with 1,000,000 synthetic assets over 20 years, seeded
 * straight into the database, then GET /api/timeline/buckets and GET /api/timeline/buckets/<month>
 * measured through HTTP against the real server (a child process).
 *
 * Run: npx tsx bench/timeline.ts [sqlite|postgres|both] [count] [--others=N]
 *   --others=N also seeds N assets spread over 1000 other users, to show that one user's
 *   queries do not slow down with the others' data.
 * PostgreSQL: DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test);
 * the bench creates and drops its own database, pixelunion_bench_timeline.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Dialect } from '../server/src/db/database.js';
import { TimelineRepo } from '../server/src/modules/timeline/timeline.repo.js';
import { createBenchUser, insertOtherUsers, mulberry32, seedAssets } from './synthetic-library.js';
import { startServerProcess, type ServerProcess } from '../server/src/test/server-process.js';
import { explain, loadAverage as load, machine, percentiles, timed } from './measure.js';

const args = process.argv.slice(2);
const positional = args.filter((a) => !a.startsWith('--'));
const dialectArg = positional[0] ?? 'both';
if (!['sqlite', 'postgres', 'both'].includes(dialectArg)) {
  throw new Error(`first argument must be sqlite, postgres or both, got "${dialectArg}"`);
}
const dialects: Dialect[] =
  dialectArg === 'both' ? ['sqlite', 'postgres'] : [dialectArg as Dialect];
const count = Number(positional[1] ?? 1_000_000);
const others = Number(
  /^--others=(\d+)$/.exec(args.find((a) => a.startsWith('--others=')) ?? '')?.[1] ?? 0,
);
const OTHER_USERS = 1000;
const WARMUP = 30;
const REQUESTS = 300;
const pgBase = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const pgName = 'pixelunion_bench_timeline';

async function adminQuery(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgBase });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

async function runDialect(dialect: Dialect): Promise<void> {
  console.log(
    `\n=== ${dialect}: ${count.toLocaleString('en')} assets for one user` +
      (others ? `, ${others.toLocaleString('en')} for ${OTHER_USERS} others` : '') +
      ' ===',
  );
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-bench-timeline-'));
  let databaseUrl = '';
  if (dialect === 'postgres') {
    await adminQuery(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${pgName}`);
    const url = new URL(pgBase);
    url.pathname = `/${pgName}`;
    databaseUrl = url.toString();
  }
  const env = { PIXELUNION_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: databaseUrl };
  let server: ServerProcess | null = null;
  const handle = openDatabase({
    databaseUrl: databaseUrl || null,
    sqlitePath: path.join(dir, 'data', 'pixelunion.sqlite'),
  });
  try {
    await migrateToLatest(handle.db);

    server = await startServerProcess(env);
    const login = await createBenchUser(server.url);
    // Seeding runs with the server stopped so that it measures only the database.
    await server.stop();
    server = null;

    const { db } = handle;
    let start = performance.now();
    await seedAssets(db, [login.userId], count, 1);
    const seedSeconds = (performance.now() - start) / 1000;
    console.log(
      `seed: ${count.toLocaleString('en')} assets + their timeline_buckets in ${seedSeconds.toFixed(1)} s (${Math.round(count / seedSeconds).toLocaleString('en')} rows/s)`,
    );

    if (others > 0) {
      const ids = await insertOtherUsers(db, OTHER_USERS);
      start = performance.now();
      await seedAssets(db, ids, others, 2);
      const s = (performance.now() - start) / 1000;
      console.log(
        `seed others: ${others.toLocaleString('en')} assets for ${OTHER_USERS} users in ${s.toFixed(1)} s`,
      );
    }

    // PostgreSQL's autovacuum would analyze the table shortly after such a load; do it now.
    if (dialect === 'postgres') await sql`VACUUM ANALYZE`.execute(db);

    // The counts must equal what the GROUP BY would give, and this times what the table saves.
    start = performance.now();
    const grouped = await db
      .selectFrom('assets')
      .select(['bucket', (eb) => eb.fn.countAll<number>().as('count')])
      .where('owner_id', '=', login.userId)
      .where('trashed_at', 'is', null)
      .where('visibility', '=', 'timeline')
      .groupBy('bucket')
      .orderBy('bucket', 'desc')
      .execute();
    const groupMs = performance.now() - start;
    const kept = await db
      .selectFrom('timeline_buckets')
      .select(['bucket', 'count'])
      .where('owner_id', '=', login.userId)
      .where('category', '=', 'timeline')
      .orderBy('bucket', 'desc')
      .execute();
    if (
      JSON.stringify(grouped.map((r) => [r.bucket, r.count])) !==
      JSON.stringify(kept.map((r) => [r.bucket, r.count]))
    ) {
      throw new Error('timeline_buckets does not match GROUP BY over assets');
    }
    const sizes = kept.map((r) => r.count);
    console.log(
      `months: ${kept.length}, assets per month min ${Math.min(...sizes)} / mean ${Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length)} / max ${Math.max(...sizes)}`,
    );
    console.log(
      `for comparison, GROUP BY over assets (what timeline_buckets avoids): ${groupMs.toFixed(0)} ms`,
    );

    const busiest = kept.reduce((a, b) => (b.count > a.count ? b : a));
    const repo = new TimelineRepo(db, dialect);
    const page = repo.bucketPageQuery(login.userId, busiest.bucket, 'timeline');
    console.log(
      `plan of the busiest month (${busiest.bucket}, ${busiest.count} assets):\n    ${await explain(db, dialect, page)}`,
    );

    const months = kept.map((r) => r.bucket);
    const random = mulberry32(7);
    const randomMonth = () => months[Math.floor(random() * months.length)] ?? '';
    // The same query without HTTP, to tell database time from the rest.
    for (let i = 0; i < WARMUP; i++) await repo.bucketPage(login.userId, randomMonth(), 'timeline');
    const direct: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      await repo.bucketPage(login.userId, randomMonth(), 'timeline');
      direct.push(performance.now() - t);
    }
    console.log(`${'TimelineRepo.bucketPage in-process'.padEnd(41)} ${percentiles(direct)}`);
    await handle.close();

    server = await startServerProcess(env);
    const url = server.url.replace('localhost', '127.0.0.1');
    const first = await timed(`${url}/api/timeline/buckets`, login.token);
    const firstMonth = await timed(`${url}/api/timeline/buckets/${randomMonth()}`, login.token);
    console.log(
      `first requests after start: buckets ${first.ms.toFixed(1)} ms, one month ${firstMonth.ms.toFixed(1)} ms`,
    );

    for (let i = 0; i < WARMUP; i++) {
      await timed(`${url}/api/timeline/buckets`, login.token);
      await timed(`${url}/api/timeline/buckets/${randomMonth()}`, login.token);
    }
    const list: number[] = [];
    let listBytes = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const r = await timed(`${url}/api/timeline/buckets`, login.token);
      list.push(r.ms);
      listBytes = r.bytes;
    }
    const month: number[] = [];
    let monthBytes = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const r = await timed(`${url}/api/timeline/buckets/${randomMonth()}`, login.token);
      month.push(r.ms);
      monthBytes += r.bytes;
    }
    console.log(
      `${'GET /api/timeline/buckets'.padEnd(41)} ${percentiles(list)}  ${(listBytes / 1024).toFixed(0)} KiB`,
    );
    console.log(
      `${'GET /api/timeline/buckets/<month>'.padEnd(41)} ${percentiles(month)}  mean ${(monthBytes / REQUESTS / 1024).toFixed(0)} KiB`,
    );
  } finally {
    if (server) await server.stop();
    await handle.close().catch(() => undefined);
    if (dialect === 'postgres') await adminQuery(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

console.log(`machine: ${machine()}`);
console.log(`load average before: ${load()}`);
for (const dialect of dialects) await runDialect(dialect);
console.log(`\nload average after: ${load()}`);
