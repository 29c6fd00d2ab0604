import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export const tusVersion = '1.0.0';

/** A tus request that did not work; `retryable` when asking again later may (network, 5xx, 423). */
export class TusError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface RetryPolicy {
  /** Failures in a row before giving up (a failure is a request that made no progress). */
  maxFailures: number;
  /** How long to wait after the n-th failure in a row (n from 1). */
  delayMs(failure: number): number;
}

export const defaultRetry: RetryPolicy = {
  maxFailures: 5,
  delayMs: (failure) => Math.min(30_000, 1000 * 2 ** (failure - 1)),
};

/** Why a request failed, for people: fetch says "fetch failed", its cause says why. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    const detail = cause.message || code || cause.name;
    return code && !detail.includes(code) ? `${detail} (${code})` : detail;
  }
  return error.message;
}

/** Whether an error is worth another try: no answer at all, or a server error or lock. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof TusError) return error.retryable;
  if (error instanceof Error && 'status' in error && typeof error.status === 'number') {
    return error.status === 0 || error.status >= 500 || error.status === 423;
  }
  // fetch: "fetch failed" (no connection) or "terminated" (cut off), with the reason as cause.
  return (
    error instanceof TypeError && (error.cause !== undefined || error.message === 'terminated')
  );
}

/**
 * Runs `attempt` until it works, waiting more after each retryable failure, and gives up after
 * `policy.maxFailures` in a row with the last reason.
 */
export async function withRetries<T>(
  what: string,
  attempt: () => Promise<T>,
  options: { policy?: RetryPolicy; log?: (line: string) => void } = {},
): Promise<T> {
  const policy = options.policy ?? defaultRetry;
  for (let failures = 1; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const reason = describeError(error);
      if (failures >= policy.maxFailures) {
        throw new TusError(
          `${what}: gave up after ${failures} failures in a row (last: ${reason})`,
          error instanceof TusError ? error.status : 0,
          false,
        );
      }
      const delay = policy.delayMs(failures);
      options.log?.(`${what}: ${reason}; trying again in ${Math.ceil(delay / 1000)} s`);
      await sleep(delay);
    }
  }
}

export interface TusClientOptions {
  /** Bytes sent per PATCH request. */
  chunkBytes?: number;
  retry?: RetryPolicy;
  /** A PATCH that sends nothing for this long is abandoned (and retried). */
  stallTimeoutMs?: number;
  /** Retries and restarts, as lines for people. */
  log?: (line: string) => void;
}

export interface TusUpload {
  file: string;
  /** Upload-Metadata fields (sent base64-encoded). */
  metadata: Record<string, string>;
  /** The URL of an upload begun earlier (another run): it continues from the server's offset. */
  url?: string;
  /** Called once the upload has a URL, before its bytes are sent: the moment to save it. */
  onUrl?: (url: string) => void | Promise<void>;
  /** Called when an earlier upload is found on the server, with the offset it continues from. */
  onResume?: (offset: number, length: number) => void;
  /** Bytes of the file sent or confirmed so far (may go back after a failure). */
  onProgress?: (offset: number, length: number) => void;
}

export interface TusResult {
  url: string;
  length: number;
  /** The answer to the last byte: the asset (or Takeout part) the upload became. */
  assetId: string | null;
  assetStatus: string | null;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

const encodeMetadata = (fields: Record<string, string>): string =>
  Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');

function errorOf(what: string, answer: Answer): TusError {
  let message = `${answer.status}`;
  try {
    const parsed = JSON.parse(answer.text) as { error?: { message?: string } };
    if (parsed.error?.message) message = `${answer.status}: ${parsed.error.message}`;
  } catch {
    // not JSON: the status says enough
  }
  const retryable = answer.status >= 500 || answer.status === 423 || answer.status === 429;
  return new TusError(`${what} ${message}`, answer.status, retryable);
}

function offsetOf(answer: Answer): number {
  const raw = answer.headers.get('upload-offset');
  const offset = Number(raw);
  if (raw === null || !/^\d+$/.test(raw) || !Number.isSafeInteger(offset)) {
    throw new TusError(`the server answered no valid Upload-Offset (${String(raw)})`, 0, true);
  }
  return offset;
}

/**
 * A tus 1.0.0 client for files on disk: creates an upload (or continues one by its URL), sends the
 * file in chunks, and after a network error, a server error or a lock asks the server with HEAD
 * where to continue from, waiting longer each time, until `retry.maxFailures` failures in a row.
 */
export class TusClient {
  private readonly chunkBytes: number;
  private readonly retry: RetryPolicy;
  private readonly stallTimeoutMs: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly endpoint: string,
    private readonly headers: Record<string, string>,
    options: TusClientOptions = {},
  ) {
    this.chunkBytes = options.chunkBytes ?? 64 * 1024 * 1024;
    this.retry = options.retry ?? defaultRetry;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 120_000;
    this.log = options.log ?? (() => undefined);
  }

  private async send(
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: AsyncIterator<Uint8Array>,
    signal?: AbortSignal,
  ): Promise<Answer> {
    const stream =
      body &&
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await body.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        async cancel() {
          await body.return?.();
        },
      });
    const response = await fetch(url, {
      method,
      headers: { ...this.headers, 'tus-resumable': tusVersion, ...headers },
      ...(stream ? { body: stream, duplex: 'half' as const } : {}),
      signal,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** One PATCH with the bytes [offset, end) of the file, streamed from disk. */
  private async patch(
    url: string,
    upload: TusUpload,
    offset: number,
    end: number,
    length: number,
  ): Promise<Answer> {
    const controller = new AbortController();
    const stall = setTimeout(() => {
      controller.abort();
    }, this.stallTimeoutMs);
    const stream = fs.createReadStream(upload.file, {
      start: offset,
      end: end - 1,
      highWaterMark: 1024 * 1024,
    });
    async function* bytes(): AsyncGenerator<Uint8Array> {
      let sent = offset;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        stall.refresh();
        sent += chunk.length;
        yield chunk;
        upload.onProgress?.(sent, length);
      }
    }
    try {
      return await this.send(
        'PATCH',
        url,
        {
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(offset),
          'content-length': String(end - offset),
        },
        bytes(),
        controller.signal,
      );
    } catch (error) {
      if (controller.signal.aborted) {
        throw new TusError(`nothing moved for ${this.stallTimeoutMs / 1000} s`, 0, true);
      }
      throw error;
    } finally {
      clearTimeout(stall);
      stream.destroy();
    }
  }

  /** Uploads the file (or the rest of it) and answers what the server made of it. */
  async upload(upload: TusUpload): Promise<TusResult> {
    const { size: length } = await fsp.stat(upload.file);
    let url = upload.url;
    let step: 'create' | 'head' | 'patch' = url ? 'head' : 'create';
    let offset = 0;
    let failures = 0;
    let confirmed = 0;
    let restarts = 0;
    let resumed = false;
    const done = (answer: Answer, at: string): TusResult | null => {
      const assetId = answer.headers.get('pixelunion-asset-id');
      if (assetId === null) return null;
      upload.onProgress?.(length, length);
      return {
        url: at,
        length,
        assetId,
        assetStatus: answer.headers.get('pixelunion-asset-status'),
      };
    };
    const restart = (why: string) => {
      if (++restarts > 3) throw new TusError(`${why}, again: giving up`, 404, false);
      this.log(`${why}: starting it again from the beginning`);
      url = undefined;
      step = 'create';
    };

    for (;;) {
      try {
        if (step === 'create' || url === undefined) {
          const answer = await this.send('POST', this.endpoint, {
            'upload-length': String(length),
            'upload-metadata': encodeMetadata(upload.metadata),
          });
          if (answer.status !== 201) throw errorOf('creating the upload:', answer);
          const location = answer.headers.get('location');
          if (!location) throw new TusError('the server answered no Location', 201, false);
          url = new URL(location, this.endpoint).toString();
          offset = 0;
          confirmed = 0;
          await upload.onUrl?.(url);
          step = 'patch';
          continue;
        }
        if (step === 'head') {
          const answer = await this.send('HEAD', url, {});
          if (answer.status === 404 || answer.status === 410) {
            restart('the server no longer has this upload (it expired or was lost)');
            continue;
          }
          if (answer.status !== 200) throw errorOf('asking for the offset:', answer);
          const announced = Number(answer.headers.get('upload-length'));
          if (announced !== length) {
            throw new TusError(
              `the upload on the server is ${announced} bytes long, the file ${length}: has the file changed?`,
              409,
              false,
            );
          }
          const finished = done(answer, url);
          if (finished) return finished;
          offset = offsetOf(answer);
          if (offset > confirmed) failures = 0;
          confirmed = Math.max(confirmed, offset);
          if (!resumed && upload.url !== undefined) upload.onResume?.(offset, length);
          resumed = true;
          upload.onProgress?.(offset, length);
          step = 'patch';
          continue;
        }
        const end = Math.min(length, offset + this.chunkBytes);
        const answer = await this.patch(url, upload, offset, end, length);
        if (answer.status === 404 || answer.status === 410) {
          restart('the server no longer has this upload (it expired or was lost)');
          continue;
        }
        if (answer.status === 409) {
          // Not where the server is: ask it (counted, so that a disagreement cannot loop).
          throw new TusError('the server expected another offset', 409, true);
        }
        if (answer.status !== 204 && answer.status !== 200) {
          throw errorOf('sending bytes:', answer);
        }
        const finished = done(answer, url);
        if (finished) return finished;
        const next = offsetOf(answer);
        if (next >= length) {
          throw new TusError('the server has every byte but named no result', 0, true);
        }
        if (next > confirmed) failures = 0;
        confirmed = Math.max(confirmed, next);
        offset = next;
      } catch (error) {
        if (!isRetryable(error)) throw error;
        failures++;
        const reason = describeError(error);
        if (failures >= this.retry.maxFailures) {
          throw new TusError(
            `gave up after ${failures} failures in a row (last: ${reason})`,
            error instanceof TusError ? error.status : 0,
            false,
          );
        }
        const delay = this.retry.delayMs(failures);
        this.log(`${reason}; asking the server where to continue in ${Math.ceil(delay / 1000)} s`);
        await sleep(delay);
        step = url === undefined ? 'create' : 'head';
      }
    }
  }

  /** tus termination (best effort): the server frees an upload that will not be finished. */
  async terminate(url: string): Promise<void> {
    try {
      await this.send('DELETE', url, {});
    } catch {
      // it expires anyway
    }
  }
}
