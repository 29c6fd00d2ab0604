import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Db } from '../db/database.js';
import type { JobRow } from '../db/db.types.js';
import { assertDeclared } from '../modules/privacy/privacy.register.js';
import { connectRedis } from './bullmq.redis.js';
import { OutboxRelay, rowIdOf, type EngineJobData } from './bullmq.relay.js';
import type {
  GiveUpHandler,
  JobHandlers,
  JobPayloads,
  JobQueue,
  QueueCounts,
  QueueName,
} from './job-queue.js';
import { queueNames, runJob } from './job-queue.js';
import type { DeadLetters, FailedJob } from './job-queues.js';
import type { JobsRepo } from './jobs.repo.js';

export interface BullMqOptions {
  redisUrl: string;
  /** Prefix of every key in Redis (`<prefix>:<queue>:…`). */
  prefix: string;
  /** Jobs of each queue that one process runs at once. */
  concurrency: Readonly<Record<QueueName, number>>;
  /** Attempts before a job is dead-lettered (default 3). */
  maxAttempts?: number;
  /** First retry delay; each next one doubles (default 2 s: retries after 2 s, then 4 s). */
  backoffMs?: number;
  /** How long a running job's lock lasts without renewal (default 30 s; renewed every half). */
  lockDurationMs?: number;
  /** How often each worker looks for jobs whose lock expired (default 30 s). */
  stalledIntervalMs?: number;
  /** Times a job may lose its worker before it is failed (default 2). */
  maxStalledCount?: number;
  /** How often rows committed in other processes' transactions are looked for (default 1 s). */
  relayPollMs?: number;
  /** How often the outbox is checked against Redis and old rows purged (default 60 s). */
  maintenanceMs?: number;
  /** Age after which a job still held is taken as left by a dead process (default 1 h). */
  heldGraceMs?: number;
  /** Age after which an unfinished job is checked against Redis again (default 5 min). */
  recheckAfterMs?: number;
}

const defaults = {
  maxAttempts: 3,
  backoffMs: 2000,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 2,
  relayPollMs: 1000,
  maintenanceMs: 60_000,
  heldGraceMs: 3600_000,
  recheckAfterMs: 5 * 60_000,
};
/** How long an API request waits for Redis before it fails. */
const answerMs = 10_000;
/** Completed rows are kept a day, as in the embedded queue; BullMQ keeps its own as long. */
const keepCompletedMs = 24 * 3600 * 1000;

function isQueueName(name: string): name is QueueName {
  return (queueNames as readonly string[]).includes(name);
}

/** Answers within `ms`, or fails saying Redis did not answer (a request must not hang on it). */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Redis did not answer ${what} within ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** ioredis's and Node's codes for a connection that failed (ECONNREFUSED, ETIMEDOUT, …). */
function isConnectionError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Jobs run by BullMQ on Redis, for many processes. The `jobs` table stays the record and the
 * outbox: `enqueue` writes the row in the caller's transaction, and the relay hands committed
 * rows to BullMQ under their row id, so handing a row over twice makes one BullMQ job. A worker
 * runs a job from its row (Redis holds ids only, never payloads) and records the outcome there
 * before BullMQ does, so a job delivered again after its worker died changes nothing.
 */
export class BullMqJobQueue implements JobQueue, DeadLetters {
  private readonly options: typeof defaults & BullMqOptions;
  /** For the queues: adding, counting, listing. */
  private readonly client: Redis;
  /** For the workers, which each make their own connections from it. */
  private readonly workerClient: Redis;
  private readonly queues: ReadonlyMap<QueueName, Queue<EngineJobData>>;
  private readonly relay: OutboxRelay;
  private workers: Worker<EngineJobData>[] = [];
  private onGiveUp: GiveUpHandler | undefined;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private maintaining: Promise<void> = Promise.resolve();
  private stopped = false;
  private lastConnectionError = 0;

  constructor(
    private readonly repo: JobsRepo,
    options: BullMqOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.options = { ...defaults, ...options };
    this.client = connectRedis(options.redisUrl, 'requests');
    this.workerClient = connectRedis(options.redisUrl, 'workers');
    for (const client of [this.client, this.workerClient]) {
      client.on('error', (error) => {
        this.connectionError(error);
      });
    }
    this.queues = new Map(
      queueNames.map((name) => {
        const queue = new Queue<EngineJobData>(name, {
          connection: this.client,
          prefix: this.options.prefix,
          defaultJobOptions: {
            backoff: { type: 'exponential', delay: this.options.backoffMs },
            // Completed jobs hold nothing but a row id; failed ones stay as dead letters.
            removeOnComplete: { age: keepCompletedMs / 1000, count: 10_000 },
            removeOnFail: false,
            // Errors are kept with the row and in the log; Redis keeps only the message.
            stackTraceLimit: 0,
          },
        });
        queue.on('error', (error) => {
          if (isConnectionError(error)) this.connectionError(error);
          else log.warn({ err: error, queue: name }, 'BullMQ queue error');
        });
        return [name, queue];
      }),
    );
    this.relay = new OutboxRelay(repo, this.queues, this.options, log);
  }

  async enqueue<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], db?: Db): Promise<void> {
    await this.repo.insert(queue, JSON.stringify(payload), this.options.maxAttempts, db);
    // Inside a transaction the row is not visible until the commit: the relay looks again
    // shortly (and on its poll); without one it can go now.
    if (db) this.relay.nudgeSoon();
    else this.relay.nudge();
  }

  enqueueHeld<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], db: Db): Promise<number> {
    return this.repo.insert(queue, JSON.stringify(payload), this.options.maxAttempts, db, 'held');
  }

  async release(jobId: number): Promise<void> {
    await this.repo.release(jobId);
    this.relay.nudge();
  }

  async start(handlers: JobHandlers, onGiveUp?: GiveUpHandler): Promise<void> {
    // Work the processing register does not declare never runs (privacy.register.ts).
    for (const queue of Object.keys(handlers)) assertDeclared('job', queue);
    this.onGiveUp = onGiveUp;
    // Other processes may be between an upload's commit and its release: only held jobs older
    // than any upload's move into place are taken as orphans of a dead process.
    await this.maintain();
    await this.relay.relayAll();
    this.workers = queueNames.map((queue) => {
      const worker = new Worker<EngineJobData>(queue, (job) => this.process(handlers, queue, job), {
        connection: this.workerClient,
        prefix: this.options.prefix,
        concurrency: this.options.concurrency[queue],
        lockDuration: this.options.lockDurationMs,
        stalledInterval: this.options.stalledIntervalMs,
        maxStalledCount: this.options.maxStalledCount,
      });
      worker.on('error', (error) => {
        if (isConnectionError(error)) this.connectionError(error);
        else this.log.error({ err: error, queue }, 'BullMQ worker error');
      });
      return worker;
    });
    this.maintenanceTimer = setInterval(() => {
      this.maintaining = this.maintaining.then(() => this.maintain());
    }, this.options.maintenanceMs);
    this.maintenanceTimer.unref();
  }

  /** Stops taking jobs, waits for the running ones, and closes the connections. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.maintenanceTimer);
    await this.maintaining;
    await Promise.all(this.workers.map((worker) => worker.close()));
    await this.relay.stop();
    // With Redis away, closing politely would wait for it: after a few seconds, just hang up.
    const closed = Promise.all([...this.queues.values()].map((queue) => queue.close()));
    try {
      await within(5000, 'closing', closed);
      await within(5000, 'closing', Promise.all([this.client.quit(), this.workerClient.quit()]));
    } catch {
      this.client.disconnect();
      this.workerClient.disconnect();
    }
  }

  /**
   * Drops the connections without finishing the running jobs, as a killed process would: their
   * locks expire and another process's stalled-job check hands them to its workers. Tests use it.
   */
  async kill(): Promise<void> {
    this.stopped = true;
    clearInterval(this.maintenanceTimer);
    await Promise.all(this.workers.map((worker) => worker.close(true)));
    await this.relay.stop(0);
    this.client.disconnect();
    this.workerClient.disconnect();
  }

  private async process(handlers: JobHandlers, queue: QueueName, job: Job<EngineJobData>) {
    const id = rowIdOf(job);
    if (id === null) throw new UnrecoverableError(`Not a PixelUnion job: ${job.id ?? ''}`);
    const row = await this.repo.begin(id);
    if (!row) {
      // Delivered again after it finished (its worker died before telling BullMQ), or its
      // row was erased with its owner: nothing left to do, unless it had failed for good.
      const current = await this.repo.get(id);
      if (current?.status === 'failed') throw new UnrecoverableError(current.last_error ?? '');
      return;
    }
    try {
      await runJob(handlers, queue, row.payload);
    } catch (error) {
      const message = messageOf(error);
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.log.warn({ jobId: id, queue, retry: !last, err: message }, 'job failed');
      if (last) await this.gaveUp(row, message);
      else {
        const retryAt = Date.now() + this.options.backoffMs * 2 ** job.attemptsMade;
        await this.repo.finish(id, 'waiting', message, retryAt);
      }
      throw error;
    }
    await this.repo.finish(id, 'completed', null);
  }

  /** Records a job as failed for good and tells its owner, once whatever the path to it. */
  private async gaveUp(row: JobRow, error: string): Promise<void> {
    if (!(await this.repo.giveUp(row.id, error))) return;
    if (!this.onGiveUp || !isQueueName(row.queue)) return;
    try {
      await this.onGiveUp(row.queue, JSON.parse(row.payload) as JobPayloads[QueueName], error);
    } catch (failure) {
      this.log.error({ err: failure, jobId: row.id }, 'recording a failed job went wrong');
    }
  }

  /**
   * Every minute: releases held jobs a dead process left, checks unfinished rows against Redis
   * (see OutboxRelay.recheck), deletes day-old completed rows, and drops dead letters whose row
   * an erasure deleted.
   */
  private async maintain(): Promise<void> {
    try {
      const now = Date.now();
      const released = await this.repo.releaseHeldUpTo(now - this.options.heldGraceMs);
      if (released > 0) this.log.info({ released }, 'held jobs of a dead process released');
      await this.relay.recheck((row, error) => this.gaveUp(row, error));
      await this.repo.deleteCompletedBefore(now - keepCompletedMs);
      for (const queue of this.queues.values()) {
        const failed = await queue.getFailed(0, 999);
        const existing = await this.repo.existing(failed.flatMap((job) => rowIdOf(job) ?? []));
        for (const job of failed) {
          const id = rowIdOf(job);
          if (id === null || !existing.has(id)) await job.remove();
        }
      }
    } catch (error) {
      this.log.warn({ err: error }, 'job queue maintenance failed');
    }
  }

  /**
   * Every connection reports each failed reconnection attempt while Redis is away: one line a
   * minute says it. Workers and the relay carry on once Redis is back.
   */
  private connectionError(error: Error): void {
    const now = Date.now();
    if (now - this.lastConnectionError < 60_000) return;
    this.lastConnectionError = now;
    this.log.warn(
      { err: error },
      'Redis is unreachable; jobs wait in the database until it is back',
    );
  }

  async counts(): Promise<QueueCounts[]> {
    const unrelayed = await this.repo.countUnrelayed();
    return within(answerMs, 'the job counts', this.engineCounts(unrelayed));
  }

  private engineCounts(unrelayed: { queue: string; count: number }[]): Promise<QueueCounts[]> {
    return Promise.all(
      queueNames.map(async (name) => {
        const queue = this.queues.get(name);
        if (!queue) throw new Error(`No BullMQ queue ${name}`);
        const c = await queue.getJobCounts(
          'waiting',
          'delayed',
          'prioritized',
          'waiting-children',
          'active',
          'completed',
          'failed',
        );
        const of = (type: string) => c[type] ?? 0;
        return {
          queue: name,
          // Held rows and rows not handed over yet wait too, as in the embedded queue.
          waiting:
            of('waiting') +
            of('delayed') +
            of('prioritized') +
            of('waiting-children') +
            (unrelayed.find((row) => row.queue === name)?.count ?? 0),
          active: of('active'),
          completed: of('completed'),
          failed: of('failed'),
        };
      }),
    );
  }

  async failedJobs(queue: QueueName, limit: number): Promise<FailedJob[]> {
    const jobs = await within(
      answerMs,
      'the failed jobs',
      this.engine(queue).getFailed(0, Math.max(0, limit - 1)),
    );
    const result: FailedJob[] = [];
    for (const job of jobs) {
      const id = rowIdOf(job);
      const row = id === null ? undefined : await this.repo.get(id);
      // A row an erasure deleted: its dead letter goes at the next maintenance.
      if (id === null || !row) continue;
      result.push({
        id,
        queue,
        payload: JSON.parse(row.payload) as JobPayloads[QueueName],
        error: job.failedReason,
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ?? row.updated_at,
      });
    }
    return result;
  }

  async retryFailed(queue: QueueName): Promise<number> {
    const engine = this.engine(queue);
    const seen = new Set<string>();
    let retried = 0;
    for (;;) {
      const jobs = (await engine.getFailed(0, 499)).filter((job) => !seen.has(job.id ?? ''));
      if (jobs.length === 0) return retried;
      for (const job of jobs) {
        seen.add(job.id ?? '');
        const id = rowIdOf(job);
        // The row first: a worker that takes the job at once must find it runnable.
        if (id !== null) await this.repo.reopenFailed(queue, [id]);
        if (id === null || !(await this.repo.get(id))) {
          await job.remove();
          continue;
        }
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        retried++;
      }
    }
  }

  private engine(queue: QueueName): Queue<EngineJobData> {
    const found = this.queues.get(queue);
    if (!found) throw new Error(`No BullMQ queue ${queue}`);
    return found;
  }
}
