import type { Job, Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { JobRow } from '../db/db.types.js';
import { queueNames, type QueueName } from './job-queue.js';
import type { JobsRepo } from './jobs.repo.js';

/** What a BullMQ job carries: its row's id, nothing of its payload. */
export interface EngineJobData {
  row: number;
}

/**
 * The BullMQ id of a row's job. BullMQ refuses integer ids; the creation time also keeps a row
 * of a database restored from a backup (whose ids are handed out again) apart from the old job.
 */
export function engineJobId(row: Pick<JobRow, 'id' | 'created_at'>): string {
  return `${row.id}-${row.created_at}`;
}

export function rowIdOf(job: Job<EngineJobData>): number | null {
  const match = /^(\d+)-\d+$/.exec(job.id ?? '');
  return match ? Number(match[1]) : null;
}

function isQueueName(name: string): name is QueueName {
  return (queueNames as readonly string[]).includes(name);
}

const batch = 500;
/** After an enqueue inside a transaction, when to look for its row (the commit is then done). */
const afterCommitMs = 50;

export interface RelayOptions {
  relayPollMs: number;
  recheckAfterMs: number;
}

/**
 * Moves committed job rows into BullMQ: on a nudge after an enqueue, and on a short poll for
 * rows committed in transactions (here or in other processes). A row is added under its own id,
 * so two relays (two processes, or a crash between adding and recording) make one BullMQ job.
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private again = false;
  private stopped = false;
  private soon: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: JobsRepo,
    private readonly queues: ReadonlyMap<QueueName, Queue<EngineJobData>>,
    private readonly options: RelayOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Hands over what is committed now, without waiting for the poll; starts the poll. */
  nudge(): void {
    if (this.stopped) return;
    this.again = true;
    if (this.running) this.wake?.();
    else this.running = this.loop();
  }

  /** For a row written in a transaction: looks again once the caller has likely committed. */
  nudgeSoon(): void {
    if (this.stopped || this.soon) return;
    if (!this.running) this.running = this.loop();
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.nudge();
    }, afterCommitMs);
    this.soon.unref();
  }

  /** Hands over every committed row now, then keeps polling. */
  async relayAll(): Promise<void> {
    while ((await this.relayOnce()) === batch);
    if (!this.running && !this.stopped) this.running = this.loop();
  }

  /**
   * Ends the poll. A batch being handed to an unreachable Redis is not waited for beyond
   * `waitMs`: what it did not record is handed over again by the next relay.
   */
  async stop(waitMs = 5000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.soon);
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.running,
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Read through a call: `stop` and `nudge` change these while the loop awaits. */
  private state(): { stopped: boolean; again: boolean } {
    return { stopped: this.stopped, again: this.again };
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.state().stopped) {
      this.again = false;
      try {
        while (!this.state().stopped && (await this.relayOnce()) === batch);
        failures = 0;
      } catch (error) {
        failures++;
        this.log.warn({ err: error, failures }, 'job relay to Redis failed; trying again');
      }
      const { stopped, again } = this.state();
      if (stopped) return;
      const pollMs = this.options.relayPollMs;
      if (failures > 0) await this.pause(Math.min(30_000, pollMs * 2 ** failures));
      else if (!again) await this.pause(pollMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = done;
    });
  }

  private queue(name: QueueName): Queue<EngineJobData> {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No BullMQ queue ${name}`);
    return queue;
  }

  /** One batch of released rows not handed over yet; returns how many there were. */
  private async relayOnce(): Promise<number> {
    const rows = await this.repo.unrelayed(batch);
    if (rows.length === 0) return 0;
    const relayedAt = Date.now();
    const byQueue = new Map<QueueName, JobRow[]>();
    for (const row of rows) {
      if (isQueueName(row.queue)) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
      else await this.repo.giveUp(row.id, `Unknown queue ${row.queue}`);
    }
    for (const [name, group] of byQueue) {
      await this.queue(name).addBulk(
        group.map((row) => ({
          name,
          data: { row: row.id },
          // A row that already used attempts (run by the embedded queue before) keeps the rest.
          opts: { jobId: engineJobId(row), attempts: Math.max(1, row.max_attempts - row.attempts) },
        })),
      );
    }
    await this.repo.markRelayed(
      rows.map((row) => row.id),
      relayedAt,
    );
    return rows.length;
  }

  /**
   * Checks unfinished rows that have not been looked at for a while against BullMQ, which may
   * have lost or finished a job without its row knowing: Redis restarted without persistence
   * (the job is handed over again), a worker died more often than BullMQ allows (`giveUp`),
   * failed jobs reopened after BullMQ failed them (retried), or a job completed without its row
   * having run (run again: handlers are idempotent).
   */
  async recheck(giveUp: (row: JobRow, error: string) => Promise<void>): Promise<void> {
    const rows = await this.repo.relayedBefore(Date.now() - this.options.recheckAfterMs, 200);
    const lost: number[] = [];
    const present: number[] = [];
    for (const row of rows) {
      if (!isQueueName(row.queue)) continue;
      const job = await this.queue(row.queue).getJob(engineJobId(row));
      const state = job ? await job.getState() : 'unknown';
      if (!job || state === 'unknown') {
        lost.push(row.id);
      } else if (state === 'completed') {
        await job.remove();
        lost.push(row.id);
      } else if (state === 'failed' && row.updated_at > (job.finishedOn ?? 0)) {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        present.push(row.id);
      } else if (state === 'failed') {
        await giveUp(row, job.failedReason);
      } else {
        present.push(row.id);
      }
    }
    if (lost.length > 0) {
      this.log.info({ jobs: lost.length }, 'jobs Redis no longer had are handed over again');
      await this.repo.requeue(lost);
      this.nudge();
    }
    await this.repo.markRelayed(present, Date.now());
  }
}
