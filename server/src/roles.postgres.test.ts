import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/database.js';
import { bigPhoto, signUp, startHoldingProxy } from './roles.testing.js';
import { startLocalS3 } from './storage/s3rver.testing.js';
import {
  exitCode,
  json,
  metricsUrl,
  refused,
  runCleanup,
  until,
  uploadMultipart,
} from './test/processes.testing.js';
import { startServerProcess } from './test/server-process.js';
import { freshPostgresDatabase } from './test/test-server.js';

const postgres = process.env.DATABASE_URL ? describe : describe.skip;

postgres('api and worker processes on PostgreSQL', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(() => runCleanup(cleanup));

  async function sharedSetup(extra: Record<string, string> = {}) {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-roles-'));
    cleanup.push(() => fsp.rm(dataDir, { recursive: true, force: true }));
    const database = await freshPostgresDatabase();
    cleanup.push(() => database.drop());
    // One database, one data folder (the local blob store), the queue in the database.
    const env = {
      PIXELUNION_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      REDIS_URL: '',
      PIXELUNION_LOG_LEVEL: 'info',
      PIXELUNION_METRICS_PORT: '0',
      ...extra,
    };
    const start = async (role: 'api' | 'worker') => {
      const server = await startServerProcess({ ...env, PIXELUNION_ROLE: role });
      cleanup.push(() => server.stop());
      return server;
    };
    const db = openDatabase({ databaseUrl: database.url, sqlitePath: '' });
    cleanup.push(() => db.close());
    return { start, db: db.db };
  }

  it('an api process queues the work; only a worker process does it', async () => {
    const { start, db } = await sharedSetup();
    const apiServer = await start('api');
    expect(apiServer.output()).toContain('PixelUnion API is running at');
    const headers = await signUp(apiServer.url);
    const assetId = await uploadMultipart(apiServer.url, headers, bigPhoto);
    const asset = () =>
      json<{ status: string; hasThumbnail: boolean }>(`${apiServer.url}/api/assets/${assetId}`, {
        headers,
      });

    // Before any worker: the job is queued, untouched.
    const queued = await db
      .selectFrom('jobs')
      .select(['queue', 'status', 'attempts'])
      .where('payload', 'like', `%${assetId}%`)
      .execute();
    expect(queued).toEqual([{ queue: 'metadata', status: 'waiting', attempts: 0 }]);
    expect((await asset()).body.hasThumbnail).toBe(false);

    const worker = await start('worker');
    expect(worker.output()).toMatch(/PixelUnion worker is running at http:\/\/\S+ \(health only\)/);
    await until(async () => (await asset()).body.hasThumbnail);
    expect((await asset()).body.status).toBe('ready');
    const thumbnail = await fetch(`${apiServer.url}/api/assets/${assetId}/thumbnail`, { headers });
    expect(thumbnail.status).toBe(200);

    // Which process ran the jobs: each one's metrics count only its own.
    const apiMetrics = await (await fetch(await metricsUrl(apiServer))).text();
    const workerMetrics = await (await fetch(await metricsUrl(worker))).text();
    expect(workerMetrics).toContain(
      'pixelunion_job_duration_seconds_count{queue="metadata",outcome="completed"} 1',
    );
    expect(workerMetrics).toContain(
      'pixelunion_job_duration_seconds_count{queue="thumbnails",outcome="completed"} 1',
    );
    expect(apiMetrics).not.toContain('pixelunion_job_duration_seconds_count');
    expect(apiMetrics).toContain('pixelunion_process_info{role="api"} 1');
    expect(workerMetrics).toContain('pixelunion_process_info{role="worker"} 1');
    expect(apiMetrics).toContain(
      'pixelunion_http_requests_total{method="POST",route="/api/assets",status="2xx"} 1',
    );

    // Health: the api on its API port, the worker on PORT, which serves nothing else.
    const apiHealth = await json<{ status: string; role: string }>(`${apiServer.url}/api/health`);
    expect(apiHealth).toEqual({
      status: 200,
      body: {
        status: 'ok',
        role: 'api',
        checks: { database: 'ok', blobStore: 'ok', queue: 'ok' },
      },
    });
    const workerHealth = await json<{ status: string; role: string }>(`${worker.url}/health`);
    expect(workerHealth.status).toBe(200);
    expect(workerHealth.body).toMatchObject({ status: 'ok', role: 'worker' });
    expect((await fetch(`${worker.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${worker.url}/api/assets/${assetId}`, { headers })).status).toBe(404);
    expect((await fetch(`${worker.url}/`)).status).toBe(404);
  }, 240_000);

  it('a worker that gets SIGTERM finishes the job it is running, then exits 0', async () => {
    const s3 = await startLocalS3();
    cleanup.push(() => s3.stop());
    const proxy = await startHoldingProxy(s3.endpoint);
    cleanup.push(() => proxy.close());
    const { start, db } = await sharedSetup({
      ...s3.env(),
      PIXELUNION_S3_ENDPOINT: proxy.endpoint,
      PIXELUNION_DATA_RESIDENCY: 'off',
    });
    const apiServer = await start('api');
    const headers = await signUp(apiServer.url);
    const assetId = await uploadMultipart(apiServer.url, headers, bigPhoto);

    const worker = await start('worker');
    // The metadata job is downloading the original, held by the proxy: it is running.
    await proxy.held;
    const exited = exitCode(worker);
    worker.child.kill('SIGTERM');
    await until(() => worker.output().includes('"msg":"shutting down'), {
      timeoutMs: 60_000,
      what: () => Promise.resolve(`the worker to take the signal; it wrote:\n${worker.output()}`),
    });
    await until(() => refused(worker.url), {
      timeoutMs: 60_000,
      what: 'the worker to close its port',
    });
    expect(worker.child.exitCode).toBeNull();

    proxy.release();
    expect(await exited).toBe(0);
    expect(worker.output()).toContain('"msg":"stopped"');
    // The job ran to its end: the metadata is in the row, the job is done, and the next step
    // waits for a worker (the stopping one took no new job).
    const row = await db
      .selectFrom('assets')
      .select(['width', 'height', 'make'])
      .where('id', '=', assetId)
      .executeTakeFirstOrThrow();
    expect(row.width).toBeGreaterThan(0);
    expect(row.make).not.toBeNull();
    const jobs = await db
      .selectFrom('jobs')
      .select(['queue', 'status'])
      .where('payload', 'like', `%${assetId}%`)
      .orderBy('id')
      .execute();
    expect(jobs).toEqual([
      { queue: 'metadata', status: 'completed' },
      { queue: 'thumbnails', status: 'waiting' },
    ]);
  }, 240_000);
});
