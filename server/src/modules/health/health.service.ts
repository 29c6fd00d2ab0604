import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { AppContext } from '../../context.js';
import { EmbeddedJobQueue } from '../../jobs/embedded.job-queue.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { HealthRepo } from './health.repo.js';

export const checkNames = ['database', 'blobStore', 'queue'] as const;
export type CheckName = (typeof checkNames)[number];
/** `timeout`: the dependency did not answer within `checkTimeoutMs`. */
export type CheckState = 'ok' | 'failed' | 'timeout';

export interface HealthReport {
  status: 'ok' | 'failing';
  role: Config['role'];
  checks: Record<CheckName, CheckState>;
}

/** One dependency: how to probe it and how long an answer stays good. */
export interface HealthCheck {
  probe(): Promise<unknown>;
  /** A load balancer polling every second costs one probe per this many milliseconds. */
  cacheMs: number;
}

interface Logger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

const checkTimeoutMs = 3000;

/**
 * Answers whether this process can do its work: the database answers, the blob store takes
 * writes (local folder) or answers (object storage), the job queue answers. The answer names
 * the failing dependency and nothing else (no address, no message): the reason goes to the log,
 * once per change of state, not once per poll.
 */
export class HealthService {
  private readonly cached = new Map<CheckName, { at: number; state: Promise<CheckState> }>();
  private readonly last = new Map<CheckName, CheckState>();

  constructor(
    private readonly role: Config['role'],
    private readonly checks: Record<CheckName, HealthCheck>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, blobStore, queue] = await Promise.all([
      this.state('database'),
      this.state('blobStore'),
      this.state('queue'),
    ]);
    const checks = { database, blobStore, queue };
    return {
      status: Object.values(checks).every((s) => s === 'ok') ? 'ok' : 'failing',
      role: this.role,
      checks,
    };
  }

  /** The cached state while it is fresh; callers arriving during a probe share it. */
  private state(name: CheckName): Promise<CheckState> {
    const check = this.checks[name];
    const hit = this.cached.get(name);
    if (hit && this.now() - hit.at < check.cacheMs) return hit.state;
    const state = this.run(name, check);
    this.cached.set(name, { at: this.now(), state });
    return state;
  }

  private async run(name: CheckName, check: HealthCheck): Promise<CheckState> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, checkTimeoutMs);
    });
    let reason: unknown = null;
    const probe = check.probe().then(
      () => 'ok' as const,
      (error: unknown) => {
        reason = error;
        return 'failed' as const;
      },
    );
    const state = await Promise.race([probe, timeout]);
    clearTimeout(timer);
    if (state !== this.last.get(name)) {
      if (state === 'ok') {
        if (this.last.has(name)) this.log.info({ check: name }, 'health: dependency answers again');
      } else {
        this.log.warn({ check: name, state, err: reason }, 'health: dependency failing');
      }
      this.last.set(name, state);
    }
    return state;
  }
}

/** A queue implementation may offer its own probe (a ping of its engine). */
interface ProbedQueue {
  health(): Promise<unknown>;
}
const hasProbe = (queue: JobQueue): queue is JobQueue & ProbedQueue =>
  'health' in queue && typeof queue.health === 'function';

/**
 * The local folder: a small file written and removed in the data folder, and the library folder
 * writable (a full disk or a read-only mount fails). Object storage: a HEAD of a key that does
 * not exist, which needs the endpoint, the bucket and the credentials to answer.
 */
function blobStoreProbe(ctx: AppContext): () => Promise<unknown> {
  if (ctx.config.s3 !== null) return () => ctx.blobs.size('health/probe');
  const library = path.join(ctx.config.dataDir, 'library');
  const probe = path.join(ctx.config.dataDir, 'tmp', `health-${process.pid}`);
  return async () => {
    await fsp.access(library, fsp.constants.W_OK);
    await fsp.mkdir(path.dirname(probe), { recursive: true });
    await fsp.writeFile(probe, 'ok');
    await fsp.rm(probe, { force: true });
  };
}

export function createHealthService(ctx: AppContext, log: Logger): HealthService {
  const repo = new HealthRepo(ctx.database.db);
  const { jobs } = ctx;
  const queueProbe = hasProbe(jobs)
    ? () => jobs.health()
    : jobs instanceof EmbeddedJobQueue
      ? () => repo.jobsReadable()
      : () => jobs.counts();
  return new HealthService(
    ctx.config.role,
    {
      database: { probe: () => repo.ping(), cacheMs: 1000 },
      blobStore: { probe: blobStoreProbe(ctx), cacheMs: 5000 },
      queue: { probe: queueProbe, cacheMs: 5000 },
    },
    log,
  );
}
