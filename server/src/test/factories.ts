import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestServer } from './test-server.js';

export const corpus = path.resolve(import.meta.dirname, '../../../../shared/corpus');
export const photo = (relative: string): string => path.join(corpus, 'photos', relative);

export interface TestUser {
  id: string;
  email: string;
  token: string;
  headers: Record<string, string>;
}

let counter = 0;

// T is the caller's expectation of the JSON body; the tests assert on it.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export async function api<T = unknown>(
  server: TestServer,
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(server.url + url, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** A new API key of `user` (what the command line signs in with). */
export async function createApiKey(
  server: TestServer,
  user: TestUser,
  name = 'cli',
): Promise<string> {
  const created = await api<{ key: string }>(server, 'POST', '/api/api-keys', {
    token: user.token,
    body: { name },
  });
  return created.body.key;
}

/** The first user of a server (admin through setup), or another one created by `admin`. */
export async function createUser(
  server: TestServer,
  options: { admin?: TestUser; quotaBytes?: number; isAdmin?: boolean } = {},
): Promise<TestUser> {
  counter += 1;
  const email = `user${counter}-${Date.now()}@example.org`;
  const password = 'correct horse battery';
  if (options.admin) {
    const created = await api(server, 'POST', '/api/users', {
      token: options.admin.token,
      body: {
        email,
        password,
        name: `User ${counter}`,
        quotaBytes: options.quotaBytes,
        isAdmin: options.isAdmin,
      },
    });
    if (created.status !== 201)
      throw new Error(`create user: ${created.status} ${JSON.stringify(created.body)}`);
  } else {
    const setup = await api(server, 'POST', '/api/auth/setup', {
      body: { email, password, name: `Admin ${counter}` },
    });
    if (setup.status !== 201)
      throw new Error(`setup: ${setup.status} ${JSON.stringify(setup.body)}`);
  }
  const login = await api<{ token: string; user: { id: string } }>(
    server,
    'POST',
    '/api/auth/login',
    {
      body: { email, password },
    },
  );
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  return {
    id: login.body.user.id,
    email,
    token: login.body.token,
    headers: { authorization: `Bearer ${login.body.token}` },
  };
}

export async function uploadFixture(
  server: TestServer,
  user: TestUser,
  filePath: string,
  fields: Record<string, string> = {},
): Promise<{
  status: number;
  body: { id: string; status: string; error?: { code: string; message: string } };
}> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', await openAsBlob(filePath), path.basename(filePath));
  return api(server, 'POST', '/api/assets', { token: user.token, body: form });
}

/** Waits until no job is waiting or active (or fails after `timeoutMs`). */
export async function waitForJobs(server: TestServer, timeoutMs = 50_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await server.ctx.jobs.counts();
    if (counts.every((c) => c.waiting === 0 && c.active === 0)) return;
    await sleep(100);
  }
  const unfinished = await server.ctx.database.db
    .selectFrom('jobs')
    .select(['id', 'queue', 'payload', 'status', 'attempts', 'last_error'])
    .where('status', 'in', ['held', 'waiting', 'active'])
    .execute();
  throw new Error(`jobs did not finish in time: ${JSON.stringify(unfinished)}`);
}
