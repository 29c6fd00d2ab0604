import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  migrateToLatest,
  openDatabase,
  type DatabaseHandle,
  type Db,
  type Dialect,
} from '../db/database.js';
import { freshPostgresDatabase } from '../test/test-server.js';
import type { JobHandlers, JobPayloads, JobQueue, QueueCounts, QueueName } from './job-queue.js';
import { hasDeadLetters } from './job-queues.js';

/** One queue instance, standing for one process. */
export interface QueueProcess {
  queue: JobQueue;
  /** Ends it as a killed process would: running jobs are neither finished nor failed. */
  kill(): Promise<void>;
}

export interface ContractHarness {
  /** The database all processes share (for transactions around enqueue). */
  db: Db;
  /** A queue on the shared database (and engine), as a new process would open it, 2 workers a queue. */
  open(): Promise<QueueProcess>;
  /**
   * True when a running process takes over the jobs of a killed one (a queue engine's stalled
   * check); false when only a process started after it does (the embedded queue's restart).
   */
  takesOverWhileRunning: boolean;
  /** Shortest waits before the second and the third attempt of a failing job. */
  backoffMs: [number, number];
  close(): Promise<void>;
}

/** A database for a harness: a SQLite file shared by every process, or a fresh PostgreSQL one. */
export async function contractDatabase(dialect: Dialect): Promise<{
  shared: DatabaseHandle;
  /** A handle for one more process: its own pool on PostgreSQL; SQLite has one writer anyway. */
  handleForProcess(): DatabaseHandle;
  close(): Promise<void>;
}> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-jobs-contract-'));
  const pg = dialect === 'postgres' ? await freshPostgresDatabase() : null;
  const options = { databaseUrl: pg?.url ?? null, sqlitePath: path.join(dir, 'db.sqlite') };
  const shared = openDatabase(options);
  await migrateToLatest(shared.db);
  const extra: DatabaseHandle[] = [];
  return {
    shared,
    handleForProcess() {
      if (!pg) return shared;
      const handle = openDatabase(options);
      extra.push(handle);
      return handle;
    },
    async close() {
      for (const handle of extra) await handle.close();
      await shared.close();
      await pg?.drop();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it holds, failing after a generous deadline (the machine may be busy). */
async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function handlersFor(metadata: JobHandlers['metadata']): JobHandlers {
  return {
    metadata,
    thumbnails: () => Promise.resolve(),
    'delete-files': () => Promise.resolve(),
    'takeout-import': () => Promise.resolve(),
    export: () => Promise.resolve(),
  };
}

async function countsOf(queue: JobQueue, name: QueueName): Promise<QueueCounts> {
  const found = (await queue.counts()).find((c) => c.queue === name);
  if (!found) throw new Error(`no counts for ${name}`);
  return found;
}

/** What every JobQueue must do, as one `describe`; `setup` makes a fresh harness per test. */
export function describeJobQueueContract(name: string, setup: () => Promise<ContractHarness>) {
  describe(`JobQueue contract: ${name}`, () => {
    let harness: ContractHarness;
    let running: { process: QueueProcess; killed: boolean }[];
    let gates: (() => void)[];

    beforeEach(async () => {
      harness = await setup();
      running = [];
      gates = [];
    });
    afterEach(async () => {
      // A test that failed half-way must not leave a job waiting on its gate: stop waits for it.
      for (const openGate of gates) openGate();
      for (const entry of running) if (!entry.killed) await entry.process.queue.stop();
      await harness.close();
    });

    /** A promise jobs wait on until the test (or, at the latest, the cleanup) resolves it. */
    function gate(): { promise: Promise<void>; resolve: () => void } {
      const created = deferred();
      gates.push(created.resolve);
      return created;
    }

    async function open(): Promise<QueueProcess> {
      const process = await harness.open();
      const entry = { process, killed: false };
      running.push(entry);
      return {
        queue: process.queue,
        async kill() {
          entry.killed = true;
          await process.kill();
        },
      };
    }

    it('runs a job queued without a transaction and one committed with its transaction', async () => {
      const { queue } = await open();
      const seen: string[] = [];
      await queue.start(handlersFor(({ assetId }) => Promise.resolve(void seen.push(assetId))));
      await queue.enqueue('metadata', { assetId: 'plain' });
      await harness.db
        .transaction()
        .execute((trx) => queue.enqueue('metadata', { assetId: 'committed' }, trx));
      await until('both ran', async () => (await countsOf(queue, 'metadata')).completed === 2);
      expect(seen.sort()).toEqual(['committed', 'plain']);
      expect(await countsOf(queue, 'metadata')).toMatchObject({ waiting: 0, active: 0 });
    });

    it('leaves no job behind a rolled-back transaction', async () => {
      const { queue } = await open();
      const seen: string[] = [];
      await queue.start(handlersFor(({ assetId }) => Promise.resolve(void seen.push(assetId))));
      await expect(
        harness.db.transaction().execute(async (trx) => {
          await queue.enqueue('metadata', { assetId: 'rolled-back' }, trx);
          throw new Error('the upload failed');
        }),
      ).rejects.toThrow('the upload failed');
      await queue.enqueue('metadata', { assetId: 'after' });
      await until('the later job ran', () => seen.includes('after'));
      await until('nothing waits', async () => {
        const counts = await countsOf(queue, 'metadata');
        return counts.waiting === 0 && counts.active === 0;
      });
      expect(seen).toEqual(['after']);
      const rows = await harness.db.selectFrom('jobs').select('payload').execute();
      expect(rows.map((r) => r.payload)).toEqual([JSON.stringify({ assetId: 'after' })]);
    });

    it('runs a held job only after its release', async () => {
      const { queue } = await open();
      const seen: string[] = [];
      await queue.start(handlersFor(({ assetId }) => Promise.resolve(void seen.push(assetId))));
      const held = await harness.db
        .transaction()
        .execute((trx) => queue.enqueueHeld('metadata', { assetId: 'held' }, trx));
      await queue.enqueue('metadata', { assetId: 'marker' });
      await until('the marker completed', async () => {
        const counts = await countsOf(queue, 'metadata');
        return counts.completed === 1 && counts.active === 0;
      });
      expect(seen).toEqual(['marker']);
      // A held job counts as waiting: something still has to happen to it.
      expect((await countsOf(queue, 'metadata')).waiting).toBe(1);
      await queue.release(held);
      await until('the held job ran', () => seen.includes('held'));
      expect(seen).toEqual(['marker', 'held']);
    });

    it('runs a held job left by a dead process after a restart', async () => {
      const first = await open();
      await harness.db
        .transaction()
        .execute((trx) => first.queue.enqueueHeld('metadata', { assetId: 'orphan' }, trx));
      await first.queue.stop();
      const second = await open();
      const seen: string[] = [];
      await second.queue.start(
        handlersFor(({ assetId }) => Promise.resolve(void seen.push(assetId))),
      );
      await until('the orphan ran', () => seen.includes('orphan'));
      expect(seen).toEqual(['orphan']);
    });

    it('retries with backoff, then fails the job for good and reports it once', async () => {
      const { queue } = await open();
      const attempts: number[] = [];
      let healed = false;
      const gaveUp: { queue: QueueName; payload: JobPayloads[QueueName]; error: string }[] = [];
      await queue.start(
        handlersFor(() => {
          attempts.push(Date.now());
          return healed ? Promise.resolve() : Promise.reject(new Error('decoder exploded'));
        }),
        (q, payload, error) => Promise.resolve(void gaveUp.push({ queue: q, payload, error })),
      );
      await queue.enqueue('metadata', { assetId: 'x' });
      await until('the job failed', async () => (await countsOf(queue, 'metadata')).failed === 1);
      expect(attempts).toHaveLength(3);
      const [first = 0, second = 0, third = 0] = attempts;
      expect(second - first).toBeGreaterThanOrEqual(harness.backoffMs[0]);
      expect(third - second).toBeGreaterThanOrEqual(harness.backoffMs[1]);
      expect(gaveUp).toEqual([
        { queue: 'metadata', payload: { assetId: 'x' }, error: 'decoder exploded' },
      ]);
      const row = await harness.db
        .selectFrom('jobs')
        .select(['status', 'last_error', 'attempts'])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'failed', last_error: 'decoder exploded', attempts: 3 });

      // The dead letter is listed with its error, and a retry gives it fresh attempts.
      if (!hasDeadLetters(queue)) throw new Error('the queue keeps no dead letters');
      const failed = await queue.failedJobs('metadata', 10);
      expect(failed).toMatchObject([
        { queue: 'metadata', payload: { assetId: 'x' }, error: 'decoder exploded', attempts: 3 },
      ]);
      healed = true;
      expect(await queue.retryFailed('metadata')).toBe(1);
      await until('the retry ran', async () => (await countsOf(queue, 'metadata')).failed === 0);
      await until('the retry completed', async () => {
        const counts = await countsOf(queue, 'metadata');
        return counts.completed === 1 && counts.waiting === 0 && counts.active === 0;
      });
      expect(attempts).toHaveLength(4);
      expect(gaveUp).toHaveLength(1);
      expect(await queue.failedJobs('metadata', 10)).toEqual([]);
    });

    it('counts waiting and active jobs per queue, running as many at once as configured', async () => {
      const { queue } = await open();
      const blocked = gate();
      let started = 0;
      await queue.start(
        handlersFor(async () => {
          started++;
          await blocked.promise;
        }),
      );
      for (const assetId of ['a', 'b', 'c']) await queue.enqueue('metadata', { assetId });
      // An engine counts a job active a little before its handler is called.
      await until('two run and one waits', async () => {
        const counts = await countsOf(queue, 'metadata');
        return counts.active === 2 && counts.waiting === 1 && started === 2;
      });
      await sleep(300);
      expect(started).toBe(2);
      expect(await countsOf(queue, 'thumbnails')).toEqual({
        queue: 'thumbnails',
        waiting: 0,
        active: 0,
        completed: 0,
        failed: 0,
      });
      blocked.resolve();
      await until('all three completed', async () => {
        const counts = await countsOf(queue, 'metadata');
        return counts.completed === 3 && counts.waiting === 0 && counts.active === 0;
      });
    });

    it('waits for running jobs when it stops', async () => {
      const process = await open();
      const blocked = gate();
      let started = false;
      await process.queue.start(
        handlersFor(async () => {
          started = true;
          await blocked.promise;
        }),
      );
      await process.queue.enqueue('metadata', { assetId: 'slow' });
      await until('the job started', () => started);
      let stopped = false;
      const stopping = process.queue.stop().then(() => {
        stopped = true;
      });
      await sleep(300);
      expect(stopped).toBe(false);
      blocked.resolve();
      await stopping;
      const row = await harness.db.selectFrom('jobs').select('status').executeTakeFirstOrThrow();
      expect(row.status).toBe('completed');
    });

    it('delivers each job once when two processes consume the same queue', async () => {
      const seen = new Map<string, number>();
      const handler: JobHandlers['metadata'] = async ({ assetId }) => {
        seen.set(assetId, (seen.get(assetId) ?? 0) + 1);
        await sleep(10);
      };
      const first = await open();
      const second = await open();
      await first.queue.start(handlersFor(handler));
      await second.queue.start(handlersFor(handler));
      const ids = Array.from({ length: 24 }, (_, i) => `asset-${i}`);
      for (const [i, assetId] of ids.entries()) {
        const { queue } = i % 2 === 0 ? first : second;
        if (i % 3 === 0) {
          await harness.db
            .transaction()
            .execute((trx) => queue.enqueue('metadata', { assetId }, trx));
        } else {
          await queue.enqueue('metadata', { assetId });
        }
      }
      await until('every job ran', () => ids.every((id) => seen.has(id)));
      await until('nothing waits or runs', async () => {
        const counts = await countsOf(first.queue, 'metadata');
        return counts.waiting === 0 && counts.active === 0;
      });
      await first.queue.stop();
      await second.queue.stop();
      expect([...seen.values()].every((times) => times === 1)).toBe(true);
      expect(seen.size).toBe(ids.length);
    });

    it('hands a job a killed process was running to another process', async () => {
      const first = await open();
      let firstStarted = false;
      await first.queue.start(
        handlersFor(async () => {
          firstStarted = true;
          // The process dies while it runs this: it never finishes.
          await new Promise<void>(() => undefined);
        }),
      );
      await first.queue.enqueue('metadata', { assetId: 'interrupted' });
      await until('the first process runs it', () => firstStarted);
      const ranBySecond: string[] = [];
      const startSecond = async () => {
        const second = await open();
        await second.queue.start(
          handlersFor(({ assetId }) => {
            ranBySecond.push(assetId);
            return Promise.resolve();
          }),
        );
      };
      if (harness.takesOverWhileRunning) await startSecond();
      await first.kill();
      if (!harness.takesOverWhileRunning) await startSecond();
      await until('another process ran it', () => ranBySecond.includes('interrupted'));
      await until('it is recorded as completed', async () => {
        const row = await harness.db.selectFrom('jobs').select('status').executeTakeFirstOrThrow();
        return row.status === 'completed';
      });
      expect(ranBySecond).toEqual(['interrupted']);
    });
  });
}
