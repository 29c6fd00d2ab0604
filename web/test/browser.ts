import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';
import { build } from 'vite';

export const webRoot = path.resolve(import.meta.dirname, '..');
export const artifacts = path.join(webRoot, 'test', 'artifacts');
const chromiumPath = '/usr/bin/chromium';

/**
 * Builds web/dist from the sources, so that a fresh clone's `npm test` serves the current app.
 * Built beside and swapped in by renames: other test files start servers that read web/dist.
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
