import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExportView } from '../modules/export/export.view.js';
import { ApiError } from './api-client.js';
import { describeError, isRetryable } from './tus-client.js';

export type { ExportView };
export type ExportPart = ExportView['parts'][number];

/** The export calls of the command line, authenticated with an API key. */
export class ExportClient {
  constructor(
    private readonly server: string,
    private readonly apiKey: string,
  ) {}

  async request<T>(method: string, url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'x-api-key': this.apiKey };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(url, this.server), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      text = await response.text();
    } catch (error) {
      throw new ApiError(0, `cannot reach ${this.server}: ${describeError(error)}`);
    }
    if (!response.ok) throw new ApiError(response.status, errorMessage(response, text));
    return JSON.parse(text) as T;
  }

  /** The part's bytes from `from` on, as a response whose status says what was sent. */
  async part(part: ExportPart, from: number): Promise<Response> {
    const headers: Record<string, string> = { 'x-api-key': this.apiKey };
    if (from > 0) headers.range = `bytes=${from}-`;
    const response = await fetch(new URL(part.url, this.server), { headers });
    if (!response.ok) {
      throw new ApiError(response.status, errorMessage(response, await response.text()));
    }
    return response;
  }
}

function errorMessage(response: Response, text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    if (parsed.error?.message) return `${response.status}: ${parsed.error.message}`;
  } catch {
    // not JSON: the status line says enough
  }
  return `${response.status} ${response.statusText}`;
}

const fileSize = (file: string) =>
  fsp.stat(file).then(
    (s) => s.size,
    () => 0,
  );

export interface DownloadOptions {
  /** Called as bytes arrive with the size of the file so far. */
  onProgress?: (bytes: number) => void;
  log?: (line: string) => void;
  /** Tries in a row that may fail (no answer, cut connection, server error) before giving up. */
  maxFailures?: number;
  retryDelayMs?: number;
}

/**
 * Downloads a part into `file`, continuing from the bytes the file already has: the server sends
 * the same bytes for a part on every request, so a file cut short (a lost connection, a stopped
 * command) is completed with one Range request. A file longer than the part is not the part and
 * is started again. Network and server errors are retried, each time from where the file ends.
 */
export async function downloadPart(
  client: ExportClient,
  part: ExportPart,
  file: string,
  options: DownloadOptions = {},
): Promise<'downloaded' | 'complete'> {
  const maxFailures = options.maxFailures ?? 5;
  let have = await fileSize(file);
  if (have === part.size) return 'complete';
  if (have > part.size) {
    await fsp.truncate(file, 0);
    have = 0;
  }
  for (let failures = 0; ;) {
    const before = have;
    try {
      const response = await client.part(part, have);
      // A server that ignores the range sends everything: start the file again.
      if (response.status !== 206 && have > 0) {
        await fsp.truncate(file, 0);
        have = 0;
      }
      const body = response.body;
      if (!body) throw new Error('The server sent no body');
      let written = have;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          written += chunk.length;
          options.onProgress?.(written);
          done(null, chunk);
        },
      });
      await pipeline(
        Readable.fromWeb(body as WebReadableStream<Uint8Array>),
        count,
        fs.createWriteStream(file, { flags: have > 0 ? 'a' : 'w' }),
      );
      have = await fileSize(file);
      if (have === part.size) return 'downloaded';
      throw new TypeError('terminated', {
        cause: new Error(`received ${have} of ${part.size} bytes`),
      });
    } catch (error) {
      have = await fileSize(file);
      // Failures count in a row: a try that brought bytes starts the count again.
      failures = have > before ? 1 : failures + 1;
      if (!isRetryable(error) || failures >= maxFailures) throw error;
      options.log?.(`${part.fileName}: ${describeError(error)}; continuing from byte ${have}`);
      await sleep((options.retryDelayMs ?? 1000) * 2 ** (failures - 1));
    }
  }
}
