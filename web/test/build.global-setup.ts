import { buildWebApp } from './browser.js';

/** Vitest's global setup: web/dist built once, before any test file starts a server. */
export default async function setup(): Promise<void> {
  await buildWebApp();
}
