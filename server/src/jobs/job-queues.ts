import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { EmbeddedJobQueue } from './embedded.job-queue.js';
import type { JobPayloads, JobQueue, QueueName } from './job-queue.js';
import type { JobsRepo } from './jobs.repo.js';
import { PostgresQueueOwner } from './queue-owner.repo.js';

/** A job that failed its last attempt and is kept, with its error, until someone retries it. */
export interface FailedJob {
  id: number;
  queue: QueueName;
  payload: JobPayloads[QueueName];
  error: string;
  /** Attempts made before it was given up. */
  attempts: number;
  failedAt: number;
}

/** The dead-letter side of a queue: what failed for good, and a way to try it again. */
export interface DeadLetters {
  /** The failed jobs of a queue, newest first. */
  failedJobs(queue: QueueName, limit: number): Promise<FailedJob[]>;
  /** Queues every failed job of a queue again with fresh attempts; returns how many. */
  retryFailed(queue: QueueName): Promise<number>;
}

export function hasDeadLetters(queue: JobQueue): queue is JobQueue & DeadLetters {
  return 'failedJobs' in queue && 'retryFailed' in queue;
}

/**
 * The job queue the configuration asks for: BullMQ on Redis when REDIS_URL is set (scale-out,
 * the `jobs` table is then its outbox), else the embedded queue in the database. BullMQ and its
 * Redis client are loaded only then (~30 MB a server on the embedded queue does not carry).
 */
export async function openJobQueue(
  config: Pick<Config, 'redisUrl' | 'queuePrefix' | 'queueConcurrency' | 'databaseUrl'>,
  repo: JobsRepo,
  log: FastifyBaseLogger,
): Promise<JobQueue & DeadLetters> {
  if (config.redisUrl === null) {
    const owner =
      config.databaseUrl === null
        ? undefined
        : new PostgresQueueOwner(config.databaseUrl, (error) => {
            log.error({ err: error }, 'lost the connection holding the embedded job queue');
          });
    return new EmbeddedJobQueue(repo, config.queueConcurrency, log, owner);
  }
  const { BullMqJobQueue } = await import('./bullmq.job-queue.js');
  return new BullMqJobQueue(
    repo,
    {
      redisUrl: config.redisUrl,
      prefix: config.queuePrefix,
      concurrency: config.queueConcurrency,
    },
    log,
  );
}
