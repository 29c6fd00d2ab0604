/**
 * The scale-out deployment on one machine: ingest throughput with 1 api + 1 worker against
 * 1 api + 2 workers (PostgreSQL, BullMQ on Redis, one shared data folder), and the timeline
 * latency of one user among 1,000 users × 1,000 assets against the same user alone.
 *
 * Run: npx tsx bench/scale.ts [ingest|timeline|both] [options]
 *   --photos=N        photos uploaded in each ingest run (default 200)
 *   --uploads=N       upload requests in flight at once (default 3)
 *   --concurrency=N   PIXELUNION_JOB_CONCURRENCY of each worker process (default 2, the server's)
 *   --users=N         users in the big timeline database (default 1000)
 *   --per-user=N      assets per user (default 1000)
 *   --requests=N      timed requests per endpoint and database (default 200)
 * DATABASE_URL names the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test),
 * REDIS_URL the Redis server (default redis://127.0.0.1:6379). Every database, Redis prefix
 * and folder the script makes is removed at the end.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadAverage, machine } from './measure.js';
import { measureIngest } from './scale.ingest.js';
import { measureTimeline } from './scale.timeline.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return raw === undefined ? fallback : Number(raw);
};
const part = args.find((a) => !a.startsWith('--')) ?? 'both';
if (part !== 'ingest' && part !== 'timeline' && part !== 'both') {
  throw new Error(`first argument must be ingest, timeline or both, got "${part}"`);
}
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

console.log(`machine: ${machine()}`);
console.log(`load average before: ${loadAverage()}`);
if (part !== 'timeline') {
  console.log('\n=== ingest ===');
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-bench-scale-'));
  try {
    await measureIngest({
      photos: option('photos', 200),
      uploadsInFlight: option('uploads', 3),
      concurrency: option('concurrency', 2),
      redisUrl,
      dir,
    });
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
if (part !== 'ingest') {
  console.log('\n=== timeline ===');
  await measureTimeline({
    users: option('users', 1000),
    perUser: option('per-user', 1000),
    requests: option('requests', 200),
  });
}
console.log(`\nload average after: ${loadAverage()}`);
