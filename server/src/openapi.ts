import os from 'node:os';
import path from 'node:path';
import fsp from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createContext } from './context.js';

/** The OpenAPI document of the routes, built on a throwaway data folder. */
export async function openApiDocument(app?: FastifyInstance): Promise<string> {
  if (app) return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-openapi-'));
  const ctx = await createContext(
    loadConfig({ PIXELUNION_DATA_DIR: dir }),
    pino({ level: 'silent' }),
  );
  try {
    const built = await buildApp(ctx);
    const text = await openApiDocument(built);
    await built.close();
    return text;
  } finally {
    await ctx.close();
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/** Resolves once the whole document is written: the caller exits right after, even into a pipe. */
export async function printOpenApi(): Promise<void> {
  const document = await openApiDocument();
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(document, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}
