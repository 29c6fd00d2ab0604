import type { Db } from '../db/database.js';

/** Every kind of background work, with its payload. The processing register lists each one. */
export interface JobPayloads {
  metadata: { assetId: string };
  thumbnails: { assetId: string };
  'delete-files': { keys: string[] };
  'takeout-import': { importId: string };
  export: { exportId: string };
}
export type QueueName = keyof JobPayloads;
export const queueNames: readonly QueueName[] = [
  'metadata',
  'thumbnails',
  'delete-files',
  'takeout-import',
  'export',
];

export type JobHandlers = { [Q in QueueName]: (payload: JobPayloads[Q]) => Promise<void> };

/** Runs one job's handler with its payload (stored as JSON text in the jobs table). */
export function runJob(handlers: JobHandlers, queue: QueueName, payload: string): Promise<void> {
  switch (queue) {
    case 'metadata':
      return handlers.metadata(JSON.parse(payload) as JobPayloads['metadata']);
    case 'thumbnails':
      return handlers.thumbnails(JSON.parse(payload) as JobPayloads['thumbnails']);
    case 'delete-files':
      return handlers['delete-files'](JSON.parse(payload) as JobPayloads['delete-files']);
    case 'takeout-import':
      return handlers['takeout-import'](JSON.parse(payload) as JobPayloads['takeout-import']);
    case 'export':
      return handlers.export(JSON.parse(payload) as JobPayloads['export']);
  }
}

/** Called once when a job has failed its last attempt, so its owner can record the outcome. */
export type GiveUpHandler = <Q extends QueueName>(
  queue: Q,
  payload: JobPayloads[Q],
  error: string,
) => Promise<void>;

export interface QueueCounts {
  queue: QueueName;
  waiting: number;
  active: number;
  completed: number;
  failed: number;
}

export interface JobQueue {
  /**
   * Queues a job. With `db` (a transaction), the job is committed with the rows that need it, so a
   * crash can never leave an asset without its pending work.
   */
  enqueue<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], db?: Db): Promise<void>;
  /**
   * Queues a job that must not run yet (its input is still being put in place) and returns its id
   * for `release`. Held jobs left by a crash are released when the queue starts.
   */
  enqueueHeld<Q extends QueueName>(queue: Q, payload: JobPayloads[Q], db: Db): Promise<number>;
  release(jobId: number): Promise<void>;
  start(handlers: JobHandlers, onGiveUp?: GiveUpHandler): Promise<void>;
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
  counts(): Promise<QueueCounts[]>;
}
