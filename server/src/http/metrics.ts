import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import { HealthRepo, type LibraryTotals } from '../modules/health/health.repo.js';
import { answerHealth } from '../modules/health/health.routes.js';
import type { HealthService } from '../modules/health/health.service.js';
import type { QueueCounts } from '../jobs/job-queue.js';

/*
 * Prometheus metrics. What they may hold: counts and durations, labelled by route pattern
 * (`/api/s/:key/...`, never the URL with its key), method, status class, job queue and state.
 * Nothing per user, no address, no id: users and assets are library-wide totals.
 *
 * Counters of this process (requests, jobs, uploads) live in one registry for the process;
 * gauges read from the database at scrape time are added by each listener, bound to its context.
 */
const processRegistry = new Registry();
let defaultMetricsStarted = false;

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const jobBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200];

const httpRequests = new Counter({
  name: 'pixelunion_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status class',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [processRegistry],
});
const httpDuration = new Histogram({
  name: 'pixelunion_http_request_duration_seconds',
  help: 'Time from a request to the end of its answer, by method, route pattern and status class',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: durationBuckets,
  registers: [processRegistry],
});
const uploads = new Counter({
  name: 'pixelunion_uploads_total',
  help: 'Files received whole (multipart, the last tus chunk, share links), by outcome',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});
const uploadBytes = new Counter({
  name: 'pixelunion_upload_bytes_total',
  help: 'Bytes of successful upload requests (multipart bodies and tus chunks, per Content-Length)',
  registers: [processRegistry],
});
const jobDuration = new Histogram({
  name: 'pixelunion_job_duration_seconds',
  help: 'Run time of the jobs this process ran, by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  buckets: jobBuckets,
  registers: [processRegistry],
});
const running = new Map<string, number>();
new Gauge({
  name: 'pixelunion_jobs_running',
  help: 'Jobs running in this process, by queue',
  labelNames: ['queue'] as const,
  registers: [processRegistry],
  collect() {
    for (const [queue, count] of running) this.set({ queue }, count);
  },
});

/** Route patterns of the upload endpoints, whose request bodies are files. */
const uploadRoutes = new Set([
  'POST /api/assets',
  'POST /api/s/:key/upload',
  'POST /api/uploads',
  'PATCH /api/uploads/:id',
]);

const statusClass = (code: number): string => `${String(code).charAt(0)}xx`;

/**
 * Counts and times every answered request by method, route pattern and status class, and the
 * files received. Only with PIXELUNION_METRICS_PORT: without a listener nothing is recorded.
 */
export function registerRequestMetrics(
  app: FastifyInstance,
  config: Pick<Config, 'metricsPort'>,
): void {
  if (config.metricsPort === null) return;
  app.addHook('onResponse', async (request, reply) => {
    // A request no route matched has no pattern; its raw URL is never a label.
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: statusClass(reply.statusCode) };
    httpRequests.inc(labels);
    httpDuration.observe(labels, reply.elapsedTime / 1000);
    if (!uploadRoutes.has(`${request.method} ${route}`) || reply.statusCode >= 300) return;
    const length = Number(request.headers['content-length']);
    if (Number.isFinite(length) && length > 0) uploadBytes.inc(length);
    const outcome = reply.getHeader('pixelunion-asset-status');
    if (typeof outcome === 'string') uploads.inc({ outcome });
    else if (request.method === 'POST' && !route.startsWith('/api/uploads')) {
      uploads.inc({ outcome: reply.statusCode === 201 ? 'created' : 'duplicate' });
    }
  });
}

type Handler = (payload: never) => Promise<void>;

/**
 * The job handlers, each timed into `pixelunion_job_duration_seconds` and counted while it runs
 * (for the metrics and for the shutdown log). Wraps what is given to `JobQueue.start`, so it
 * works whatever the queue's implementation.
 */
export function timeJobs<H extends Record<string, Handler>>(handlers: H): H {
  const timed: Record<string, Handler> = {};
  for (const [queue, handler] of Object.entries(handlers)) {
    timed[queue] = async (payload) => {
      running.set(queue, (running.get(queue) ?? 0) + 1);
      const end = jobDuration.startTimer({ queue });
      let outcome = 'failed';
      try {
        await handler(payload);
        outcome = 'completed';
      } finally {
        end({ outcome });
        running.set(queue, (running.get(queue) ?? 1) - 1);
      }
    };
  }
  return timed as H;
}

/** Jobs running in this process now, by queue (queues with none are left out). */
export function jobsInProgress(): Record<string, number> {
  return Object.fromEntries([...running].filter(([, count]) => count > 0));
}

/** The last answer of `load` for `ms`; a failure is not kept. */
function cachedFor<T>(ms: number, load: () => Promise<T>): () => Promise<T> {
  let at = 0;
  let value: Promise<T> | null = null;
  return () => {
    if (value === null || Date.now() - at >= ms) {
      at = Date.now();
      value = load();
      value.catch(() => {
        value = null;
      });
    }
    return value;
  };
}

const queueStates = ['waiting', 'active', 'completed', 'failed'] as const;

/**
 * Gauges read at scrape time: the job queue's counts (the whole queue, the same on every
 * process: aggregate with max()), and the library's totals of users and assets. Database reads
 * are cached (10 s for jobs, a minute for totals), so several scrapers cost one query.
 */
function scrapeRegistry(ctx: AppContext): Registry {
  const registry = new Registry();
  const repo = new HealthRepo(ctx.database.db);
  const counts = cachedFor<QueueCounts[]>(10_000, () => ctx.jobs.counts());
  const totals = cachedFor<LibraryTotals>(60_000, () => repo.totals());
  new Gauge({
    name: 'pixelunion_jobs',
    help: 'Jobs in the queue (all processes), by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await counts().catch(() => []);
      for (const row of rows) {
        for (const state of queueStates) this.set({ queue: row.queue, state }, row[state]);
      }
    },
  });
  const total = (name: string, help: string, of: (t: LibraryTotals) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        const value = await totals().catch(() => null);
        if (value !== null) this.set(of(value));
      },
    });
  total('pixelunion_users', 'User accounts on this server', (t) => t.users);
  total(
    'pixelunion_assets',
    'Photos and videos on this server, all users together',
    (t) => t.assets,
  );
  new Gauge({
    name: 'pixelunion_process_info',
    help: 'Always 1; the label says the role of this process (PIXELUNION_ROLE)',
    labelNames: ['role'] as const,
    registers: [registry],
    collect() {
      this.set({ role: ctx.config.role }, 1);
    },
  });
  return registry;
}

export interface OpsServer {
  /** e.g. http://127.0.0.1:9464 */
  url: string;
  close(): Promise<void>;
}

/**
 * A plain node:http listener beside the API: `/health` and `/api/health` always, `/metrics`
 * (Prometheus text format) when `metrics` is true. Used for the metrics port and for a worker's
 * health port; it shares nothing with the public app (no cookies, no routes, no web app).
 */
export async function startOpsServer(options: {
  host: string;
  port: number;
  ctx: AppContext;
  health: HealthService;
  metrics: boolean;
}): Promise<OpsServer> {
  let registry: Registry | null = null;
  if (options.metrics) {
    if (!defaultMetricsStarted) {
      collectDefaultMetrics({ register: processRegistry });
      defaultMetricsStarted = true;
    }
    registry = Registry.merge([processRegistry, scrapeRegistry(options.ctx)]);
  }
  const server = http.createServer((request, response) => {
    const answer = async () => {
      if (await answerHealth(options.health, request, response)) return;
      const pathname = (request.url ?? '').split('?', 1)[0];
      if (registry !== null && pathname === '/metrics' && request.method === 'GET') {
        const text = await registry.metrics();
        response.writeHead(200, {
          'content-type': registry.contentType,
          'cache-control': 'no-store',
        });
        response.end(text);
        return;
      }
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    };
    answer().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
