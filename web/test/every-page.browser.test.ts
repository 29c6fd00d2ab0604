import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../server/src/test/factories.js';
import {
  foreignRequests,
  recordRequests,
  signedInContext,
  useBrowserAndServer,
  webRoot,
} from './browser.js';

// Every page of the web app, signed in and signed out, with every request the browser makes
// recorded: none may go to another origin (no CDN, font service, analytics or map tiles).

const web = useBrowserAndServer({ timeout: 180_000 });
let admin: TestUser;
let albumId: string;
let linkKey: string;
let receiptPath: string;

beforeAll(async () => {
  admin = await createUser(web.server);
  const ids: string[] = [];
  for (const file of ['exif-samples/jpg/Canon_40D.jpg', 'metadata-extractor/mov/with-gps.mov']) {
    const uploaded = await uploadFixture(web.server, admin, photo(file));
    ids.push(uploaded.body.id);
  }
  await waitForJobs(web.server);
  const album = await api<{ id: string }>(web.server, 'POST', '/api/albums', {
    token: admin.token,
    body: { title: 'Everywhere' },
  });
  albumId = album.body.id;
  await api(web.server, 'POST', `/api/albums/${albumId}/assets`, {
    token: admin.token,
    body: { ids },
  });
  const link = await api<{ key: string }>(web.server, 'POST', '/api/shares', {
    token: admin.token,
    body: { albumId, allowDownload: true },
  });
  linkKey = link.body.key;
  const leaving = await createUser(web.server, { admin });
  const erased = await api<{ receiptPath: string }>(
    web.server,
    'POST',
    `/api/users/${leaving.id}/erase`,
    { token: admin.token, body: { confirmEmail: leaving.email } },
  );
  receiptPath = erased.body.receiptPath;
}, 180_000);

/** The pages App.tsx routes, as written there: a page added without a visit here fails. */
function routedPaths(): string[] {
  const app = fs.readFileSync(path.join(webRoot, 'src', 'App.tsx'), 'utf8');
  const exact = [...app.matchAll(/path === '([^']+)'/g)].map((m) => m[1] ?? '');
  const patterns = [...app.matchAll(/\/\^(\\\/[^/]*?)\\\//g)].map((m) =>
    (m[1] ?? '').replaceAll('\\/', '/'),
  );
  return [...exact, ...patterns];
}

async function open(page: Page, url: string): Promise<void> {
  const response = await page.goto(`${web.server.url}${url}`, { waitUntil: 'networkidle' });
  expect(response?.status(), url).toBe(200);
  expect(response?.headers()['content-security-policy'], url).toContain("default-src 'self'");
  await page.getByRole('heading').first().waitFor();
}

describe('every page in Chromium', () => {
  const signedIn = [
    '/',
    '/photos',
    '/favorites',
    '/archive',
    '/trash',
    '/albums',
    '/albums/:id',
    '/sharing',
    '/import',
    '/admin',
    '/account',
    '/privacy',
  ];
  const signedOut = ['/', '/privacy', '/s/:key', '/erasure-receipt/:token'];

  it('visits every routed page', () => {
    const visited = new Set([...signedIn, ...signedOut].map((p) => p.replace(/\/:[a-z]+$/, '')));
    const routed = routedPaths();
    expect(routed.length).toBeGreaterThan(12);
    for (const route of routed) expect(visited, route).toContain(route);
  });

  let requests: Request[];
  let context: BrowserContext;
  beforeAll(async () => {
    context = await signedInContext(web.browser, web.server.url, admin.token, {
      viewport: { width: 1280, height: 800 },
    });
    requests = recordRequests(context);
  });
  afterAll(async () => {
    await context.close();
  });

  it('signed in: every page and the viewer load from this server only', async () => {
    const page = await context.newPage();
    for (const route of signedIn) await open(page, route.replace(':id', albumId));
    await open(page, '/');
    await page
      .getByRole('button', { name: /^Open / })
      .first()
      .click();
    await page.getByRole('dialog').waitFor();
    await page.waitForLoadState('networkidle');
    expect(requests.length).toBeGreaterThan(signedIn.length);
    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
  });

  it('signed out: sign-in, privacy, a share link and an erasure receipt', async () => {
    const visitor = await web.browser.newContext();
    const visits = recordRequests(visitor);
    const page = await visitor.newPage();
    for (const route of signedOut) {
      await open(
        page,
        route.replace(':key', linkKey).replace('/erasure-receipt/:token', receiptPath),
      );
    }
    await visitor.close();
    expect(visits.length).toBeGreaterThan(signedOut.length);
    expect(foreignRequests(visits, new URL(web.server.url).origin)).toEqual([]);
  });
});
