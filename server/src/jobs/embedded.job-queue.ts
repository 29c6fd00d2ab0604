import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.js';
import type { JobRow } from '../db/db.types.js';
import type {
  GiveUpHandler,
  JobHandlers,
  JobPayloads,
  JobQueue,
  QueueCounts,
  QueueName,
} from './job-queue.js';
import { queueNames, runJob } from './job-queue.js';
import type { JobsRepo } from './jobs.repo.js';
import type { DeadLetters, FailedJob } from './job-queues.js';
import { assertDeclared } from '../modules/privacy/privacy.register.js';
import { ConfigError } from '../config.js';

const maxAttempts = 3;
const idlePollMs = 500;
const keepCompletedMs = 24 * 3600 * 1000;

function isQueueName(name: string): name is QueueName {
  return (queueNames as readonly string[]).includes(name);
}

/** Exclusive right to run the embedded queue's workers (see PostgresQueueOwner). */
export interface QueueOwner {
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** Jobs persisted in the database and run by workers inside this process. */
export class EmbeddedJobQueue implements JobQueue, DeadLetters {
  private running = false;
  private workers: Promise<void>[] = [];
  /** Idle workers by queue: new work wakes one worker of its queue, not every worker. */
  private readonly waiters = new Map<QueueName, Set<() => void>>();
  private onGiveUp: GiveUpHandler | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;

  /**
   * `concurrency`: workers of every queue, or per queue (PIXELUNION_JOB_CONCURRENCY_<QUEUE>).
   * `owner`: on a database several processes share, the lock that lets only one of them run the
   * queue's workers (SQLite serves one process, which needs none).
   */
  constructor(
    private readonly repo: JobsRepo,
    private readonly concurrency: number | Readonly<Record<QueueName, number>>,
    private readonly log: FastifyBaseLogger,
    private readonly owner?: QueueOwner,
  ) {}

  async enqueue<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], db?: Db): Promise<void> {
    await this.repo.insert(queue, JSON.stringify(payload), maxAttempts, db);
    this.wakeOne(queue);
  }

  enqueueHeld<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], db: Db): Promise<number> {
    return this.repo.insert(queue, JSON.stringify(payload), maxAttempts, db, 'held');
  }

  async release(jobId: number): Promise<void> {
    await this.repo.release(jobId);
    for (const queue of queueNames) this.wakeOne(queue);
  }

  async start(handlers: JobHandlers, onGiveUp?: GiveUpHandler): Promise<void> {
    // Work the processing register does not declare never runs (privacy.register.ts).
    for (const queue of Object.keys(handlers)) assertDeclared('job', queue);
    this.onGiveUp = onGiveUp;
    if (this.owner && !(await this.owner.acquire())) {
      throw new ConfigError(
        'REDIS_URL',
        'is not set, and another process already runs the embedded job queue on this database: several worker processes need the queue engine (REDIS_URL)',
      );
    }
    // One process owns the embedded queue, so whatever was running or held belonged to a dead run.
    await this.repo.release();
    const requeued = await this.repo.requeueActive();
    if (requeued > 0) this.log.info({ requeued }, 'jobs interrupted by a restart are queued again');
    const purge = () => this.repo.deleteCompletedBefore(Date.now() - keepCompletedMs);
    await purge();
    this.purgeTimer = setInterval(() => {
      purge().catch((error: unknown) => {
        this.log.warn({ err: error }, 'job purge failed');
      });
    }, 3600_000);
    this.purgeTimer.unref();
    this.running = true;
    // Each queue has its own workers: a photo's thumbnails never wait behind metadata reads
    // (exiftool runs in its own processes), so both cores stay busy with pixels.
    this.workers = queueNames.flatMap((queue) =>
      Array.from({ length: this.workersOf(queue) }, () => this.work(handlers, queue)),
    );
  }

  private workersOf(queue: QueueName): number {
    return typeof this.concurrency === 'number' ? this.concurrency : this.concurrency[queue];
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.purgeTimer);
    this.wakeAll();
    await Promise.all(this.workers);
    this.workers = [];
    await this.owner?.release();
  }

  private async work(handlers: JobHandlers, queue: QueueName): Promise<void> {
    while (this.running) {
      try {
        const job = await this.repo.claim([queue]);
        if (job) await this.process(handlers, job);
        else await this.idle(queue);
      } catch (error) {
        // The database itself failed (not a job): keep the worker alive and try again shortly.
        this.log.error({ err: error }, 'job worker could not reach the queue');
        await sleep(1000);
      }
    }
  }

  private async process(handlers: JobHandlers, job: JobRow): Promise<void> {
    try {
      if (!isQueueName(job.queue)) throw new Error(`Unknown queue ${job.queue}`);
      await runJob(handlers, job.queue, job.payload);
      await this.repo.finish(job.id, 'completed', null);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retry = job.attempts < job.max_attempts;
      this.log.warn({ jobId: job.id, queue: job.queue, retry, err: message }, 'job failed');
      await this.repo.finish(
        job.id,
        retry ? 'waiting' : 'failed',
        message,
        retry ? Date.now() + 1000 * 2 ** job.attempts : undefined,
      );
      if (!retry && this.onGiveUp && isQueueName(job.queue)) {
        await this.onGiveUp(job.queue, JSON.parse(job.payload) as JobPayloads[QueueName], message);
      }
    }
  }

  private wakeAll(): void {
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
  }

  private wakeOne(queue: QueueName): void {
    const [wake] = this.waiters.get(queue) ?? [];
    wake?.();
  }

  /** Waits for new work: an enqueue in this process, or the poll interval for other processes. */
  private idle(queue: QueueName): Promise<void> {
    const set = this.waiters.get(queue) ?? new Set<() => void>();
    this.waiters.set(queue, set);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, idlePollMs);
      set.add(done);
    });
  }

  async counts(): Promise<QueueCounts[]> {
    const rows = await this.repo.countByQueueAndStatus();
    return queueNames.map((queue) => {
      const of = (status: string) =>
        rows.find((r) => r.queue === queue && r.status === status)?.count ?? 0;
      return {
        queue,
        waiting: of('waiting') + of('held'),
        active: of('active'),
        completed: of('completed'),
        failed: of('failed'),
      };
    });
  }

  async failedJobs(queue: QueueName, limit: number): Promise<FailedJob[]> {
    const rows = await this.repo.failed(queue, limit);
    return rows.map((row) => ({
      id: row.id,
      queue,
      payload: JSON.parse(row.payload) as JobPayloads[QueueName],
      error: row.last_error ?? '',
      attempts: row.attempts,
      failedAt: row.updated_at,
    }));
  }

  async retryFailed(queue: QueueName): Promise<number> {
    const reopened = await this.repo.reopenFailed(queue);
    for (let i = 0; i < reopened; i++) this.wakeOne(queue);
    return reopened;
  }
}
