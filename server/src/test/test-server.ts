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
import { deleteQueueKeys } from '../jobs/bullmq.job-queue.js';

/** SQLite always; PostgreSQL too when DATABASE_URL names a server. */
export const dialects: Dialect[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

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

export async function startTestServer(
  dialect: Dialect,
  env: Record<string, string> = {},
  /** `redisUrl`: jobs go through BullMQ there, below a prefix of this server's own, deleted at close. */
  options: { workers?: boolean; redisUrl?: string } = {},
): Promise<TestServer> {
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-test-'));
  const database = dialect === 'postgres' ? await freshPostgresDatabase() : null;
  const queuePrefix = `pixelunion-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const config = loadConfig({
    PIXELUNION_DATA_DIR: dataDir,
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...(options.redisUrl
      ? { REDIS_URL: options.redisUrl, PIXELUNION_QUEUE_PREFIX: queuePrefix }
      : {}),
    ...env,
  });
  // PIXELUNION_TEST_LOG=warn shows the server's log (to standard error) when a test needs it.
  const ctx = await createContext(
    config,
    pino({ level: process.env.PIXELUNION_TEST_LOG ?? 'silent' }, process.stderr),
  );
  const app = await buildApp(ctx);
  if (options.workers !== false) await ctx.startWorkers();
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    ctx,
    app,
    dataDir,
    async close() {
      // A kept-alive connection that just carried a large file is not always seen as idle,
      // and app.close() would wait for it: tests end them all.
      app.server.closeAllConnections();
      await app.close();
      await ctx.close();
      if (options.redisUrl) await deleteQueueKeys(options.redisUrl, queuePrefix);
      await database?.drop();
      await fsp.rm(dataDir, { recursive: true, force: true });
    },
  };
}
