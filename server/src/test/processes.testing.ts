// Test support: servers run as child processes (`pixelunion serve`), spoken to over HTTP only.
import { once } from 'node:events';
import { openAsBlob } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { metadata } from '../modules/uploads/uploads.testing.js';
import type { ServerProcess } from './server-process.js';

/**
 * Polls `check` until it holds. Without `timeoutMs` the test's own timeout bounds the wait; with
 * it, the wait fails after that long saying what it waited for (`what`, or what `what()` finds
 * then: the state that never came right).
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; what?: string | (() => Promise<string>); everyMs?: number } = {},
): Promise<void> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const what = typeof options.what === 'function' ? await options.what() : options.what;
      throw new Error(`still waiting after ${String(options.timeoutMs)} ms: ${what ?? ''}`);
    }
    await sleep(options.everyMs ?? 50);
  }
}

// T is the caller's expectation of the JSON body; the tests assert on it.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export async function json<T>(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

export interface Credentials {
  email: string;
  password: string;
  name: string;
}

const jsonPost = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Signs in: the headers of the user's requests. */
export async function signIn(
  url: string,
  credentials: Credentials,
): Promise<Record<string, string>> {
  const login = await json<{ token: string }>(
    `${url}/api/auth/login`,
    jsonPost({ email: credentials.email, password: credentials.password }),
  );
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { authorization: `Bearer ${login.body.token}` };
}

/** The first user of a server (its administrator), signed in: the headers of their requests. */
export async function signUp(
  url: string,
  credentials: Credentials,
): Promise<Record<string, string>> {
  const setup = await json(`${url}/api/auth/setup`, jsonPost(credentials));
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${JSON.stringify(setup.body)}`);
  return signIn(url, credentials);
}

/** An administrator creates another user, who then signs in: the headers of their requests. */
export async function addUser(
  url: string,
  admin: Record<string, string>,
  credentials: Credentials,
): Promise<Record<string, string>> {
  const created = await json(`${url}/api/users`, {
    ...jsonPost(credentials),
    headers: { ...admin, 'content-type': 'application/json' },
  });
  if (created.status !== 201) {
    throw new Error(`create user: ${created.status} ${JSON.stringify(created.body)}`);
  }
  return signIn(url, credentials);
}

/** Uploads a file as multipart form data; answers the new asset's id (201 only). */
export async function uploadMultipart(
  url: string,
  headers: Record<string, string>,
  file: string,
): Promise<string> {
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  const response = await json<{ id: string; status: string }>(`${url}/api/assets`, {
    method: 'POST',
    headers,
    body: form,
  });
  if (response.status !== 201) {
    throw new Error(`upload of ${file}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body.id;
}

/**
 * Uploads a file with tus in `chunks` requests after the creation: the upload is created at
 * `servers[0]` and chunk i goes to `servers[(i + 1) % servers.length]`, so with two servers every
 * request goes to the other one than the last. Answers what the last chunk's answer said, and
 * which server took it.
 */
export async function tusUpload(
  servers: readonly string[],
  headers: Record<string, string>,
  file: string,
  options: { chunks?: number; meta?: Record<string, string> } = {},
): Promise<{ assetId: string; assetStatus: string; finishedAt: string }> {
  const bytes = await fsp.readFile(file);
  const tus = { ...headers, 'tus-resumable': '1.0.0' };
  const at = (i: number) => servers[i % servers.length] ?? '';
  const created = await fetch(`${at(0)}/api/uploads`, {
    method: 'POST',
    headers: {
      ...tus,
      'upload-length': String(bytes.length),
      'upload-metadata': metadata({ filename: path.basename(file), ...options.meta }),
    },
  });
  if (created.status !== 201) {
    throw new Error(`tus creation of ${file}: ${created.status} ${await created.text()}`);
  }
  const location = created.headers.get('location') ?? '';
  const chunks = options.chunks ?? 1;
  const size = Math.ceil(bytes.length / chunks);
  let answer: Response | undefined;
  for (let i = 0; i < chunks; i++) {
    const server = at(i + 1);
    const offset = i * size;
    answer = await fetch(server + location, {
      method: 'PATCH',
      headers: {
        ...tus,
        'content-type': 'application/offset+octet-stream',
        'upload-offset': String(offset),
      },
      body: new Uint8Array(bytes.subarray(offset, offset + size)),
    });
    if (answer.status !== 204) {
      throw new Error(
        `tus chunk ${i + 1}/${chunks} of ${file} at offset ${offset} to ${server}: ${answer.status} ${await answer.text()}`,
      );
    }
  }
  return {
    assetId: answer?.headers.get('pixelunion-asset-id') ?? '',
    assetStatus: answer?.headers.get('pixelunion-asset-status') ?? '',
    finishedAt: at(chunks),
  };
}

/** The process's exit code, once it has exited. */
export function exitCode(server: ServerProcess): Promise<number | null> {
  if (server.child.exitCode !== null) return Promise.resolve(server.child.exitCode);
  return once(server.child, 'exit').then(([code]) => code as number | null);
}

/** A new connection to `url` is refused: the process no longer listens. */
export const refused = (url: string): Promise<boolean> =>
  fetch(`${url}/api/health`).then(
    () => false,
    () => true,
  );

/** Metrics URL a process logs at start (PIXELUNION_METRICS_PORT=0 picks a free port). */
export async function metricsUrl(server: ServerProcess): Promise<string> {
  let found: string | undefined;
  await until(() => {
    found = /"url":"(http:\/\/[^"]+\/metrics)"/.exec(server.output())?.[1];
    return found !== undefined;
  });
  return found ?? '';
}

/**
 * The sum of a metric's samples in a Prometheus text page, over the samples whose labels
 * include `labels` (0 when there is none).
 */
export function metricValue(
  page: string,
  name: string,
  labels: Record<string, string> = {},
): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    const sample = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (sample?.[1] !== name) continue;
    const own = sample[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => own.includes(`${key}="${value}"`))) {
      sum += Number(sample[3]);
    }
  }
  return sum;
}

/** Runs every step, last added first, even when one fails; then throws the first failure. */
export async function runCleanup(steps: (() => Promise<unknown>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of [...steps].reverse()) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
