import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import type { Dialect } from '../../server/src/db/database.js';
import {
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../../server/src/test/test-server.js';

export const webRoot = path.resolve(import.meta.dirname, '..');
export const artifacts = path.join(webRoot, 'test', 'artifacts');
const chromiumPath = '/usr/bin/chromium';

/**
 * Builds web/dist from the sources, so that a fresh clone's `npm test` serves the current app.
 * Run once before all test files (build.global-setup.ts): a rebuild while other files' servers
 * serve web/dist could answer a page request in the moment the folder is swapped. Built beside
 * and swapped in by renames all the same, for a second test run on the same checkout.
 */
export async function buildWebApp(): Promise<void> {
  const dist = path.join(webRoot, 'dist');
  const fresh = path.join(webRoot, `.dist-build-${process.pid}`);
  const old = path.join(webRoot, `.dist-old-${process.pid}`);
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: webRoot,
      mode: 'production',
      logLevel: 'warn',
      configFile: path.join(webRoot, 'vite.config.ts'),
      build: { outDir: fresh, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  if (fs.existsSync(dist)) fs.renameSync(dist, old);
  fs.renameSync(fresh, dist);
  fs.rmSync(old, { recursive: true, force: true });
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: run scripts/install-chromium.sh (installs Debian's chromium)`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Every URL the browser asked for, across all pages of a context. */
export function recordRequests(context: BrowserContext): Request[] {
  const seen: Request[] = [];
  context.on('request', (request) => {
    seen.push(request);
  });
  return seen;
}

export function foreignRequests(requests: Request[], origin: string): string[] {
  return requests
    .map((r) => r.url())
    .filter((url) => !url.startsWith('data:') && !url.startsWith('blob:'))
    .filter((url) => new URL(url).origin !== origin);
}

export function artifactPath(name: string): string {
  fs.mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, name);
}

/** A browser context signed in with a session token (the session cookie set directly). */
export async function signedInContext(
  browser: Browser,
  serverUrl: string,
  token: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addCookies([
    { name: 'pixelunion_session', value: token, url: serverUrl, httpOnly: true, sameSite: 'Lax' },
  ]);
  return context;
}

export interface BrowserAndServerOptions {
  /** The server's database; without it, the run's one (as `startTestServer`). */
  dialect?: Dialect;
  /** Environment variables for the server's configuration. */
  env?: Record<string, string>;
  serverOptions?: TestServerOptions;
  /** Of the beforeAll hook: building the app takes a while. */
  timeout?: number;
}

/** The test server and Chromium of a file, there from its tests and its later beforeAll hooks. */
export interface BrowserAndServer {
  readonly server: TestServer;
  readonly browser: Browser;
}

/**
 * Registers the hooks a browser test file needs: before all, start a test server and launch
 * Chromium (the web app is built once for the whole run, see buildWebApp); after all, close them. Call it at the top of the file, before the
 * file's own hooks (its beforeAll hooks then see the server and the browser).
 */
export function useBrowserAndServer(options: BrowserAndServerOptions = {}): BrowserAndServer {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startTestServer(options.dialect, options.env, options.serverOptions);
    browser = await launchChromium();
  }, options.timeout ?? 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the test server is not started: use it inside hooks or tests');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not launched: use it inside hooks or tests');
      return browser;
    },
  };
}
