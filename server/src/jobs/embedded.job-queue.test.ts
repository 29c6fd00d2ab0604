import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.js';
import { dialects, freshPostgresDatabase } from '../test/test-server.js';
import { EmbeddedJobQueue } from './embedded.job-queue.js';
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
