/**
 * Ingest throughput of the scale-out deployment: one `api` process and one or two `worker`
 * processes on PostgreSQL and BullMQ (Redis), sharing one data folder (the local blob store).
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { deleteQueueKeys } from '../server/src/jobs/bullmq.redis.js';
import { startServerProcess, type ServerProcess } from '../server/src/test/server-process.js';
import { freshPostgresDatabase } from '../server/src/test/test-server.js';
import { busyCores, cpuSeconds, loadAverage } from './measure.js';
import { countThumbnails, makeCameraPhotos, uploadPhotos, waitForJobs } from './photo-ingest.js';
import { createBenchUser } from './synthetic-library.js';

export interface IngestOptions {
  photos: number;
  uploadsInFlight: number;
  /** PIXELUNION_JOB_CONCURRENCY of each worker process. */
  concurrency: number;
  redisUrl: string;
  /** Temporary folder for the photos and the data folders; removed by the caller. */
  dir: string;
}

interface IngestRun {
  workers: number;
  uploaded: number;
  done: number;
  ready: number;
  failed: number;
  /** CPU seconds per photo: the api process, and each worker with its exiftool children. */
  apiCpu: number;
  workerCpu: { node: number; exiftool: number }[];
  busy: number;
  loadBefore: string;
  loadAfter: string;
}

const seconds = (start: number) => (performance.now() - start) / 1000;

async function ingestRun(
  options: IngestOptions,
  files: readonly string[],
  workerCount: number,
): Promise<IngestRun> {
  const database = await freshPostgresDatabase();
  const prefix = `pixelunion-bench-scale-${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl,
    PIXELUNION_QUEUE_PREFIX: prefix,
    PIXELUNION_DATA_DIR: path.join(options.dir, `data-${workerCount}`),
    PIXELUNION_JOB_CONCURRENCY: String(options.concurrency),
  };
  const processes: ServerProcess[] = [];
  try {
    // The api first: it runs the migrations, which the workers then find done.
    const api = await startServerProcess({ ...env, PIXELUNION_ROLE: 'api' });
    processes.push(api);
    for (let i = 0; i < workerCount; i++) {
      processes.push(await startServerProcess({ ...env, PIXELUNION_ROLE: 'worker' }));
    }
    for (const p of processes)
      p.child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const workers = processes.slice(1);
    const base = api.url.replace('localhost', '127.0.0.1');
    const { token } = await createBenchUser(base);

    const loadBefore = loadAverage();
    const pids = processes.map((p) => p.child.pid ?? 0);
    const cpuBefore = pids.map(cpuSeconds);
    const busy = busyCores();
    const start = performance.now();
    const ids = await uploadPhotos(base, token, files, options.uploadsInFlight);
    const uploaded = seconds(start);
    const queues = await waitForJobs(base, token);
    const done = seconds(start);
    const busyDuring = busy();
    const cpuAfter = pids.map(cpuSeconds);
    const used = cpuAfter.map((after, i) => ({
      node: (after.server - (cpuBefore[i]?.server ?? 0)) / files.length,
      exiftool: (after.children - (cpuBefore[i]?.children ?? 0)) / files.length,
    }));
    return {
      workers: workers.length,
      uploaded,
      done,
      ready: await countThumbnails(base, token, ids),
      failed: queues.reduce((n, q) => n + q.failed, 0),
      apiCpu: (used[0]?.node ?? 0) + (used[0]?.exiftool ?? 0),
      workerCpu: used.slice(1),
      busy: busyDuring,
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    for (const p of processes.reverse()) await p.stop();
    await deleteQueueKeys(options.redisUrl, prefix);
    await database.drop();
    await fsp.rm(env.PIXELUNION_DATA_DIR, { recursive: true, force: true });
  }
}

function report(run: IngestRun, photos: number): void {
  const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
  console.log(
    `\n1 api + ${run.workers} worker${run.workers > 1 ? 's' : ''}: uploads answered in ${run.uploaded.toFixed(1)} s, every job done in ${run.done.toFixed(1)} s → ${(photos / run.done).toFixed(2)} files/s`,
  );
  console.log(`  thumbnails ready ${run.ready}/${photos}, failed jobs ${run.failed}`);
  const workers = run.workerCpu
    .map((w, i) => `worker ${i + 1} ${ms(w.node + w.exiftool)} (exiftool ${ms(w.exiftool)})`)
    .join(', ');
  console.log(`  CPU per photo: api ${ms(run.apiCpu)}, ${workers}`);
  // What the workers got of the machine: their CPU seconds over the run's wall-clock time.
  const workerSeconds = run.workerCpu.reduce((sum, w) => sum + w.node + w.exiftool, 0) * photos;
  console.log(
    `  cores used on average: workers ${(workerSeconds / run.done).toFixed(2)}, api ${((run.apiCpu * photos) / run.done).toFixed(2)}`,
  );
  console.log(
    `  cores busy on the whole machine during the run: ${run.busy.toFixed(2)} of 2; load average before ${run.loadBefore}, after ${run.loadAfter}`,
  );
}

export async function measureIngest(options: IngestOptions): Promise<void> {
  const photosDir = path.join(options.dir, 'photos');
  await fsp.mkdir(photosDir);
  const start = performance.now();
  const { files, meanBytes } = await makeCameraPhotos(photosDir, options.photos);
  console.log(
    `corpus: ${files.length} unique JPEGs (12 MP and 8 MP) from corpus photos, mean ${(meanBytes / 1e6).toFixed(2)} MB, made in ${seconds(start).toFixed(0)} s`,
  );
  console.log(
    `each worker: PIXELUNION_JOB_CONCURRENCY=${options.concurrency}; ${options.uploadsInFlight} uploads in flight; blobs in the shared data folder (local disk)`,
  );
  const one = await ingestRun(options, files, 1);
  report(one, files.length);
  const two = await ingestRun(options, files, 2);
  report(two, files.length);
  console.log(
    `\nratio 2 workers / 1 worker: ${(one.done / two.done).toFixed(2)} (files/s ${(files.length / two.done).toFixed(2)} / ${(files.length / one.done).toFixed(2)})`,
  );
}
