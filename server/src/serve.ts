import type { Config } from './config.js';
import { buildApp } from './app.js';
import { createContext } from './context.js';
import pino from 'pino';

/** Runs the server until SIGINT/SIGTERM, then finishes in-flight requests and jobs. */
export async function serve(config: Config): Promise<void> {
  const log = pino({ level: config.logLevel });
  const ctx = await createContext(config, log);
  const app = await buildApp(ctx, { level: config.logLevel });
  await ctx.startWorkers();
  const address = await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`PixelUnion is running at ${address.replace('127.0.0.1', 'localhost')}\n`);
  const shutdown = async () => {
    log.info('shutting down');
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
