import { openAsBlob } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { TakeoutProgress } from '../modules/takeout/takeout.view.js';
import { describeError, TusClient, type TusClientOptions } from './tus-client.js';

export interface UploadOutcome {
  status: 'created' | 'duplicate';
  id: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The few server calls the command-line tools make, authenticated with an API key. */
export class ApiClient {
  constructor(
    private readonly server: string,
    private readonly apiKey: string,
  ) {}

  /** The answer's body as text; an ApiError unless 2xx (status 0: no answer at all). */
  private async requestText(
    method: string,
    url: string,
    body?: BodyInit,
    json = false,
  ): Promise<string> {
    const headers: Record<string, string> = { 'x-api-key': this.apiKey };
    if (json) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(url, this.server), { method, headers, body });
      text = await response.text();
    } catch (error) {
      throw new ApiError(0, `cannot reach ${this.server}: ${describeError(error)}`);
    }
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string } };
        if (parsed.error?.message) message = `${response.status}: ${parsed.error.message}`;
      } catch {
        // not JSON: the status line says enough
      }
      throw new ApiError(response.status, message);
    }
    return text;
  }

  private async request<T>(method: string, url: string, body?: BodyInit, json = false): Promise<T> {
    return JSON.parse(await this.requestText(method, url, body, json)) as T;
  }

  me(): Promise<{ email: string }> {
    return this.request('GET', '/api/users/me');
  }

  async existing(checksums: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < checksums.length; i += 1000) {
      const result = await this.request<{ existing: { checksum: string; id: string }[] }>(
        'POST',
        '/api/assets/check',
        JSON.stringify({ checksums: checksums.slice(i, i + 1000) }),
        true,
      );
      for (const e of result.existing) found.set(e.checksum, e.id);
    }
    return found;
  }

  async upload(file: string): Promise<UploadOutcome> {
    const stat = await fsp.stat(file);
    const form = new FormData();
    form.append('filename', path.basename(file));
    form.append(
      'fileCreatedAt',
      (stat.birthtimeMs > 0 ? stat.birthtime : stat.mtime).toISOString(),
    );
    form.append('fileModifiedAt', stat.mtime.toISOString());
    form.append('file', await openAsBlob(file), path.basename(file));
    return this.request('POST', '/api/assets', form);
  }

  /** A tus client for this server's resumable uploads, with this key. */
  tus(options: TusClientOptions = {}): TusClient {
    return new TusClient(
      new URL('/api/uploads', this.server).toString(),
      { 'x-api-key': this.apiKey },
      options,
    );
  }

  createTakeoutImport(): Promise<TakeoutProgress> {
    return this.request('POST', '/api/takeout/imports');
  }

  takeoutImport(id: string): Promise<TakeoutProgress> {
    return this.request('GET', `/api/takeout/imports/${encodeURIComponent(id)}`);
  }

  startTakeoutImport(id: string): Promise<TakeoutProgress> {
    return this.request('POST', `/api/takeout/imports/${encodeURIComponent(id)}/start`);
  }

  /** The import's report, as the server wrote it (a JSON document). */
  takeoutReport(id: string): Promise<string> {
    return this.requestText('GET', `/api/takeout/imports/${encodeURIComponent(id)}/report`);
  }
}
