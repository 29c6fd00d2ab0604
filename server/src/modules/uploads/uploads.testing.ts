// Test support: a small tus client over fetch and node:http, to speak the protocol by hand.
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestUser } from '../../test/factories.js';
import type { TestServer } from '../../test/test-server.js';

export const tusHeaders = { 'tus-resumable': '1.0.0' };
export const chunkHeaders = { ...tusHeaders, 'content-type': 'application/offset+octet-stream' };

export interface TusResponse {
  status: number;
  headers: Headers;
  body: { error?: { code: string; message: string } } | null;
}

async function answer(response: Response): Promise<TusResponse> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? null : (JSON.parse(text) as TusResponse['body']),
  };
}

export const metadata = (fields: Record<string, string>): string =>
  Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');

export async function tusCreate(
  server: TestServer,
  user: TestUser | null,
  length: number | null,
  options: { meta?: Record<string, string>; body?: Buffer; headers?: Record<string, string> } = {},
): Promise<TusResponse & { url: string }> {
  const headers: Record<string, string> = {
    ...(options.body ? chunkHeaders : tusHeaders),
    ...user?.headers,
    ...options.headers,
  };
  if (length !== null) headers['upload-length'] = String(length);
  if (options.meta) headers['upload-metadata'] = metadata(options.meta);
  const response = await fetch(`${server.url}/api/uploads`, {
    method: 'POST',
    headers,
    body: options.body && new Uint8Array(options.body),
  });
  return { ...(await answer(response)), url: response.headers.get('location') ?? '' };
}

export async function tusPatch(
  server: TestServer,
  user: TestUser | null,
  url: string,
  offset: number,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<TusResponse> {
  const response = await fetch(server.url + url, {
    method: 'PATCH',
    headers: { ...chunkHeaders, ...user?.headers, 'upload-offset': String(offset), ...headers },
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(20_000),
  });
  return answer(response);
}

export async function tusRequest(
  server: TestServer,
  user: TestUser | null,
  method: 'HEAD' | 'DELETE' | 'OPTIONS',
  url: string,
): Promise<TusResponse> {
  return answer(
    await fetch(server.url + url, { method, headers: { ...tusHeaders, ...user?.headers } }),
  );
}

export const offsetOf = (response: TusResponse): number =>
  Number(response.headers.get('upload-offset'));

/** Where the server keeps the bytes of an upload when it has no object storage (embedded mode). */
export const partialFile = (server: TestServer, url: string): string =>
  path.join(server.dataDir, 'tmp', 'resumable', path.basename(url));

export const exists = (file: string): Promise<boolean> =>
  fsp.stat(file).then(
    () => true,
    () => false,
  );

/**
 * A PATCH announcing `announced` bytes of which only `part` are sent, left open: `cut()` destroys
 * the connection mid-body, `finish(rest)` sends the rest and resolves with the status.
 */
export function openPatch(
  server: TestServer,
  user: TestUser,
  url: string,
  offset: number,
  part: Buffer,
  announced: number,
): { cut(): void; finish(rest: Buffer): Promise<number> } {
  const request = http.request(server.url + url, {
    method: 'PATCH',
    headers: {
      ...chunkHeaders,
      ...user.headers,
      'upload-offset': String(offset),
      'content-length': String(announced),
    },
  });
  const status = new Promise<number>((resolve, reject) => {
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });
  status.catch(() => undefined);
  request.write(part);
  return {
    cut: () => request.destroy(),
    finish: (rest) => {
      request.end(rest);
      return status;
    },
  };
}

/** Waits until `check` holds, polling every 20 ms (fails after `timeoutMs`). */
export async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
