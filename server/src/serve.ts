import type { Config } from './config.js';
import { buildApp } from './app.js';
import { createContext } from './context.js';
import { createLogging } from './http/logging.js';
import { jobsInProgress, startOpsServer, type OpsServer } from './http/metrics.js';
import { limitHeapGrowth } from './heap.js';
import { createHealthService } from './modules/health/health.service.js';
import { dutiesOf } from './roles.js';

/**
 * Runs the server in its role (PIXELUNION_ROLE) until SIGINT/SIGTERM, then stops taking
 * connections, finishes the requests and jobs in progress, and exits 0; if that takes longer
 * than PIXELUNION_SHUTDOWN_SECONDS (or a second signal comes), it exits 1 and logs what was
 * still running.
 *
 * - `all`: the API and web app on PORT, job workers and periodic tasks.
 * - `api`: the API and web app on PORT; no job workers, no periodic tasks.
 * - `worker`: job workers and periodic tasks; PORT answers only `/health` (and `/api/health`).
 *
 * With PIXELUNION_METRICS_PORT, a second listener serves `/metrics` and `/health` there.
 */
export async function serve(config: Config): Promise<void> {
  limitHeapGrowth(config.heapGrowthPercent);
  // One destination and one set of serializers for the server's and Fastify's lines: no full
  // client address, no share-link key; with PIXELUNION_LOG_DIR also one file per day.
  const logging = createLogging(config);
  const { log } = logging;

  // Signals are handled from the first moment: job workers start before the listeners, so a
  // signal during start-up may find a job running. It waits for the start to end, then stops
  // the same way; without a handler Node would end the process on the spot.
  const started = start(config, logging);
  let current: Running | null = null;
  started.then(
    (running) => {
      current = running;
    },
    () => undefined, // the caller of serve() gets the failure from `await started` below
  );
  let stopping = false;
  const stillRunning = () =>
    current?.stillRunning() ?? { waitingFor: 'start', requestsInFlight: 0, jobsRunning: {} };
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.error({ signal, ...stillRunning() }, 'second signal: stopping now, work still running');
      process.exit(1);
    }
    stopping = true;
    log.info(
      { signal, role: config.role, deadlineSeconds: config.shutdownSeconds },
      'shutting down: no new connections; finishing the requests and jobs in progress',
    );
    const deadline = setTimeout(() => {
      log.error(
        stillRunning(),
        `shutdown took longer than ${config.shutdownSeconds} s (PIXELUNION_SHUTDOWN_SECONDS): exiting with work still running`,
      );
      process.exit(1);
    }, config.shutdownSeconds * 1000);
    try {
      await (await started).stop();
      clearTimeout(deadline);
      log.info({ signal }, 'stopped');
      logging.close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error, ...stillRunning() }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));

  await started;
}

/** A started server: what it still waits for, and how it stops. */
interface Running {
  stillRunning(): {
    waitingFor: string;
    requestsInFlight: number;
    jobsRunning: ReturnType<typeof jobsInProgress>;
  };
  /** Stops taking connections, finishes requests and jobs in progress, closes the database. */
  stop(): Promise<void>;
}

async function start(config: Config, logging: ReturnType<typeof createLogging>): Promise<Running> {
  const { log } = logging;
  const duties = dutiesOf(config.role);
  const ctx = await createContext(config, log);
  const app = duties.api ? await buildApp(ctx, logging.http) : null;
  await ctx.startWorkers();
  const stopLogRetention = logging.startRetention();
  const health = createHealthService(ctx, log);

  const listeners: OpsServer[] = [];
  if (config.metricsPort !== null) {
    const metrics = await startOpsServer({
      host: config.metricsHost,
      port: config.metricsPort,
      ctx,
      health,
      metrics: true,
    });
    listeners.push(metrics);
    log.info({ url: `${metrics.url}/metrics` }, 'metrics listening');
  }

  let requestsInFlight = 0;
  let address: string;
  if (app) {
    address = await app.listen({ port: config.port, host: config.host });
    app.server.on('request', (_request, response) => {
      requestsInFlight++;
      response.once('close', () => {
        requestsInFlight--;
      });
    });
  } else {
    const healthOnly = await startOpsServer({
      host: config.host,
      port: config.port,
      ctx,
      health,
      metrics: false,
    });
    listeners.push(healthOnly);
    address = healthOnly.url;
  }
  const shown = address.replace('127.0.0.1', 'localhost');
  log.info({ role: config.role, address }, 'started');
  process.stdout.write(
    app
      ? `PixelUnion${config.role === 'api' ? ' API' : ''} is running at ${shown}\n`
      : `PixelUnion worker is running at ${shown} (health only)\n`,
  );

  let waitingFor: 'requests' | 'jobs' | 'closing' = 'requests';
  return {
    stillRunning: () => ({ waitingFor, requestsInFlight, jobsRunning: jobsInProgress() }),
    async stop() {
      // Listeners first: a load balancer sees this process gone and sends no more requests;
      // Fastify's close waits for the requests already in progress (uploads included).
      await Promise.all([app?.close(), ...listeners.map((listener) => listener.close())]);
      waitingFor = 'jobs';
      // Stops periodic tasks and job workers, waiting for running jobs; then the database.
      await ctx.close();
      waitingFor = 'closing';
      await stopLogRetention();
    },
  };
}
