import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createContext, type AppContext } from '../context.js';
import type { Dialect } from '../db/database.js';
import { deleteQueueKeys } from '../jobs/bullmq.redis.js';
import {
  runDialect,
  scaleOut,
  scaleOutEnvironment,
  type ScaleOutEnvironment,
} from './test-config.js';

export { dialects, runDialect } from './test-config.js';

export interface TestServer {
  url: string;
  ctx: AppContext;
  app: FastifyInstance;
  dataDir: string;
  close(): Promise<void>;
}

/** A fresh, empty PostgreSQL database on the server DATABASE_URL points at; dropped by `drop`. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const name = `pixelunion_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestServerOptions {
  /** false: no job workers or periodic tasks (jobs stay queued). */
  workers?: boolean;
  /**
   * Jobs go through BullMQ on this Redis, below a prefix of this server's own, deleted at close.
   * Unset: BullMQ on the run's Redis for a PostgreSQL server in a scale-out run, else embedded.
   */
  redisUrl?: string;
  /**
   * `embedded`: the embedded queue and the data folder even for PostgreSQL in a scale-out run,
   * for a test about those. Default `run`: what the run's configuration gives the dialect.
   */
  services?: 'run' | 'embedded';
}

/**
 * Starts the app on a free port with a fresh data folder. SQLite is the embedded configuration.
 * PostgreSQL gets a fresh database; in a scale-out run (test-config.ts) also BullMQ on the run's
 * Redis and a bucket of its own on the run's object storage. Without a dialect, the run's one.
 */
export async function startTestServer(
  dialect: Dialect = runDialect,
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-test-'));
  // A DATABASE_URL in `env` is a database the caller shares between servers, and drops itself.
  const database =
    dialect === 'postgres' && env.DATABASE_URL === undefined ? await freshPostgresDatabase() : null;
  const queuePrefix = `pixelunion-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const scaled = dialect === 'postgres' && options.services !== 'embedded' ? scaleOut : null;
  let outside: ScaleOutEnvironment | null = null;
  // What the server was given outside itself: deleted at close, or at once if it fails to start.
  const release = async () => {
    if (options.redisUrl) await deleteQueueKeys(options.redisUrl, queuePrefix);
    await outside?.release();
    await database?.drop();
    await fsp.rm(dataDir, { recursive: true, force: true });
  };
  let ctx: AppContext | null = null;
  let app: FastifyInstance;
  let url: string;
  try {
    if (scaled) outside = await scaleOutEnvironment(scaled, queuePrefix);
    const config = loadConfig({
      PIXELUNION_DATA_DIR: dataDir,
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...outside?.env,
      ...(options.redisUrl
        ? { REDIS_URL: options.redisUrl, PIXELUNION_QUEUE_PREFIX: queuePrefix }
        : {}),
      ...env,
    });
    // PIXELUNION_TEST_LOG=warn shows the server's log (to standard error) when a test needs it.
    ctx = await createContext(
      config,
      pino({ level: process.env.PIXELUNION_TEST_LOG ?? 'silent' }, process.stderr),
    );
    app = await buildApp(ctx);
    if (options.workers !== false) await ctx.startWorkers();
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await ctx?.close();
    await release();
    throw error;
  }
  const started = ctx;
  return {
    url,
    ctx: started,
    app,
    dataDir,
    async close() {
      // A kept-alive connection that just carried a large file is not always seen as idle,
      // and app.close() would wait for it: tests end them all.
      app.server.closeAllConnections();
      await app.close();
      await started.close();
      await release();
    },
  };
}
