import type { Config } from './config.js';
import { buildApp } from './app.js';
import { createContext } from './context.js';
import { createLogging } from './http/logging.js';

/** Runs the server until SIGINT/SIGTERM, then finishes in-flight requests and jobs. */
export async function serve(config: Config): Promise<void> {
  // One destination and one set of serializers for the server's and Fastify's lines: no full
  // client address, no share-link key; with PIXELUNION_LOG_DIR also one file per day.
  const logging = createLogging(config);
  const { log } = logging;
  const ctx = await createContext(config, log);
  const app = await buildApp(ctx, logging.http);
  await ctx.startWorkers();
  const stopLogRetention = logging.startRetention();
  const address = await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`PixelUnion is running at ${address.replace('127.0.0.1', 'localhost')}\n`);
  const shutdown = async () => {
    log.info('shutting down');
    await app.close();
    await ctx.close();
    await stopLogRetention();
    logging.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
