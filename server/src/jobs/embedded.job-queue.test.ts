import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.js';
import { dialects, freshPostgresDatabase } from '../test/test-server.js';
import { EmbeddedJobQueue } from './embedded.job-queue.js';
import { contractDatabase, describeJobQueueContract } from './job-queue.contract.js';
import { ConfigError, loadConfig } from '../config.js';
import { openJobQueue } from './job-queues.js';
import { queueNames } from './job-queue.js';
import type { JobHandlers, JobPayloads, QueueName } from './job-queue.js';
import { JobsRepo } from './jobs.repo.js';

const log = pino({ level: 'silent' });

describe.each(dialects)('the embedded job queue on %s', (dialect) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let repo: JobsRepo;

  beforeEach(async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-jobs-'));
    const pg = dialect === 'postgres' ? await freshPostgresDatabase() : null;
    handle = openDatabase({
      databaseUrl: pg?.url ?? null,
      sqlitePath: path.join(dir, 'db.sqlite'),
    });
    await migrateToLatest(handle.db);
    repo = new JobsRepo(handle.db, handle.dialect);
    cleanup = async () => {
      await handle.close();
      await pg?.drop();
      await fsp.rm(dir, { recursive: true, force: true });
    };
  });
  afterEach(() => cleanup());

  const handlersFor = (metadata: JobHandlers['metadata']): JobHandlers => ({
    metadata,
    thumbnails: () => Promise.resolve(),
    'delete-files': () => Promise.resolve(),
    'takeout-import': () => Promise.resolve(),
    export: () => Promise.resolve(),
  });

  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await sleep(50);
  };

  it('runs each job once, and a held job only after release', async () => {
    const seen: string[] = [];
    const queue = new EmbeddedJobQueue(repo, 2, log);
    await queue.start(handlersFor(({ assetId }) => Promise.resolve(void seen.push(assetId))));
    await queue.enqueue('metadata', { assetId: 'a' });
    const held = await handle.db
      .transaction()
      .execute((trx) => queue.enqueueHeld('metadata', { assetId: 'b' }, trx));
    await until(async () => (await queue.counts())[0]?.completed === 1);
    await sleep(600);
    expect(seen).toEqual(['a']);
    await queue.release(held);
    await until(async () => (await queue.counts())[0]?.completed === 2);
    expect(seen).toEqual(['a', 'b']);
    await queue.stop();
  });

  it('retries with backoff, then gives up once and shows the job as failed', async () => {
    let attempts = 0;
    const gaveUp: { queue: QueueName; payload: JobPayloads[QueueName]; error: string }[] = [];
    const queue = new EmbeddedJobQueue(repo, 1, log);
    await queue.start(
      handlersFor(() => {
        attempts++;
        return Promise.reject(new Error('decoder exploded'));
      }),
      (q, payload, error) => Promise.resolve(void gaveUp.push({ queue: q, payload, error })),
    );
    await queue.enqueue('metadata', { assetId: 'x' });
    await until(async () => (await queue.counts())[0]?.failed === 1);
    await queue.stop();
    expect(attempts).toBe(3);
    expect(gaveUp).toEqual([
      { queue: 'metadata', payload: { assetId: 'x' }, error: 'decoder exploded' },
    ]);
    const failed = await handle.db
      .selectFrom('jobs')
      .select(['status', 'last_error'])
      .executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: 'failed', last_error: 'decoder exploded' });
  }, 20_000);

  it('runs as many jobs of a queue at once as its own concurrency says', async () => {
    const concurrency = Object.fromEntries(queueNames.map((q) => [q, 1])) as Record<
      QueueName,
      number
    >;
    const queue = new EmbeddedJobQueue(repo, { ...concurrency, metadata: 3 }, log);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    await queue.start(
      handlersFor(async () => {
        started++;
        await gate;
      }),
    );
    for (const assetId of ['a', 'b', 'c', 'd']) await queue.enqueue('metadata', { assetId });
    await until(async () => started === 3 && (await queue.counts())[0]?.waiting === 1);
    await sleep(600);
    expect(started).toBe(3);
    release();
    await until(async () => (await queue.counts())[0]?.completed === 4);
    await queue.stop();
    expect(started).toBe(4);
  });

  it('runs again after a restart the jobs that were running or held when the process died', async () => {
    await repo.insert('metadata', JSON.stringify({ assetId: 'running' }), 3);
    await repo.claim(['metadata']);
    await repo.insert('metadata', JSON.stringify({ assetId: 'held' }), 3, handle.db, 'held');
    const seen: string[] = [];
    const queue = new EmbeddedJobQueue(repo, 1, log);
    await queue.start(handlersFor(({ assetId }) => Promise.resolve(void seen.push(assetId))));
    await until(async () => (await queue.counts())[0]?.completed === 2);
    await queue.stop();
    expect(seen.sort()).toEqual(['held', 'running']);
  });
});

for (const dialect of dialects) {
  describeJobQueueContract(`embedded on ${dialect}`, async () => {
    const database = await contractDatabase(dialect);
    return {
      db: database.shared.db,
      open() {
        const handle = database.handleForProcess();
        const queue = new EmbeddedJobQueue(new JobsRepo(handle.db, handle.dialect), 2, log);
        return Promise.resolve({
          queue,
          kill() {
            // A dead process takes no more jobs; the one it was running stays `active` in the
            // table until the next start, and its stop (waiting for that job) never ends.
            void queue.stop();
            return Promise.resolve();
          },
        });
      },
      takesOverWhileRunning: false,
      backoffMs: [2000, 4000],
      close: () => database.close(),
    };
  });
}

describe('job queue configuration', () => {
  it("reads each queue's concurrency, falling back to PIXELUNION_JOB_CONCURRENCY", () => {
    const config = loadConfig({
      PIXELUNION_JOB_CONCURRENCY: '3',
      PIXELUNION_JOB_CONCURRENCY_THUMBNAILS: '1',
      PIXELUNION_JOB_CONCURRENCY_DELETE_FILES: '8',
    });
    expect(config.queueConcurrency).toEqual({
      metadata: 3,
      thumbnails: 1,
      'delete-files': 8,
      'takeout-import': 3,
      export: 3,
    });
    expect(config.redisUrl).toBeNull();
    expect(config.queuePrefix).toBe('pixelunion');
  });

  it('refuses a concurrency for a queue that does not exist, and bad Redis settings', () => {
    expect(() => loadConfig({ PIXELUNION_JOB_CONCURRENCY_THUMBNAIL: '2' })).toThrow(ConfigError);
    expect(() => loadConfig({ PIXELUNION_JOB_CONCURRENCY_METADATA: '0' })).toThrow(
      /PIXELUNION_JOB_CONCURRENCY_METADATA must be between 1 and 64/,
    );
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ PIXELUNION_QUEUE_PREFIX: 'a b' })).toThrow(/PIXELUNION_QUEUE_PREFIX/);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).redisUrl).toBe(
      'redis://127.0.0.1:6379/2',
    );
  });

  it('keeps jobs in the database when REDIS_URL is unset', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-jobs-'));
    const handle = openDatabase({ databaseUrl: null, sqlitePath: path.join(dir, 'db.sqlite') });
    try {
      const queue = await openJobQueue(
        loadConfig({}),
        new JobsRepo(handle.db, handle.dialect),
        log,
      );
      expect(queue).toBeInstanceOf(EmbeddedJobQueue);
    } finally {
      await handle.close();
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)('the embedded job queue shared by processes', () => {
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await sleep(50);
  };

  it('runs in one process at a time on a PostgreSQL database, and a dead owner frees it', async () => {
    const pg = await freshPostgresDatabase();
    const config = { ...loadConfig({ DATABASE_URL: pg.url }), redisUrl: null };
    const handle = openDatabase({ databaseUrl: pg.url, sqlitePath: '' });
    await migrateToLatest(handle.db);
    const repo = new JobsRepo(handle.db, handle.dialect);
    const handlers: JobHandlers = {
      metadata: () => Promise.resolve(),
      thumbnails: () => Promise.resolve(),
      'delete-files': () => Promise.resolve(),
      'takeout-import': () => Promise.resolve(),
      export: () => Promise.resolve(),
    };
    const first = await openJobQueue(config, repo, log);
    const second = await openJobQueue(config, repo, log);
    try {
      await first.start(handlers);
      // A job the first process is working on must not be queued again by a second one.
      // Made active directly, as a claim does: the first queue's own workers would race the
      // test for a waiting job.
      const busy = await repo.insert('metadata', '{"assetId":"busy"}', 3, handle.db, 'held');
      const now = Date.now();
      await handle.db
        .updateTable('jobs')
        .set({ status: 'active', locked_at: now, attempts: 1, updated_at: now })
        .where('id', '=', busy)
        .execute();
      const inStatus = async (status: string) =>
        (await repo.countByQueueAndStatus()).find((r) => r.status === status)?.count ?? 0;
      const refused = await second.start(handlers).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ConfigError);
      expect(String(refused)).toMatch(/REDIS_URL is not set, and another process already runs/);
      expect(await inStatus('active')).toBe(1);

      // Connections end with their process; stop() ends this one the same way.
      await first.stop();
      await second.start(handlers);
      // The new owner queues the dead run's job again and runs it.
      await until(async () => (await inStatus('completed')) === 1);
      expect(await inStatus('completed')).toBe(1);
    } finally {
      await first.stop();
      await second.stop();
      await handle.close();
      await pg.drop();
    }
  });
});
