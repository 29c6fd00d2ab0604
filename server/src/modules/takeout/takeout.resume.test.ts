import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../test/server-process.js';
import { generateScaleExport } from '../../test/takeout/export.scale.js';
import { dialects, freshPostgresDatabase } from '../../test/test-server.js';
import type { TakeoutProgress } from './takeout.view.js';

// T is the caller's expectation of the JSON body.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
async function call<T>(
  server: ServerProcess,
  method: string,
  url: string,
  token?: string,
  body?: BodyInit,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(server.url + url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as T,
  };
}

const json = { 'content-type': 'application/json' };

describe.each(dialects)('a Takeout import killed with SIGKILL (%s)', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('continues after a restart where it was, with nothing lost and nothing doubled', async () => {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-takeout-kill-'));
    cleanup.push(() => fsp.rm(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = { PIXELUNION_DATA_DIR: dataDir };
    if (dialect === 'postgres') {
      const database = await freshPostgresDatabase();
      cleanup.push(() => database.drop());
      env.DATABASE_URL = database.url;
    }
    const exportDir = path.join(dataDir, 'export');
    await fsp.mkdir(exportDir);
    const generated = await generateScaleExport({
      dir: exportDir,
      files: 240,
      parts: 3,
      format: 'zip',
    });

    let server = await startServerProcess(env);
    cleanup.push(() => server.stop());
    const credentials = { email: 'kill@example.org', password: 'a long password', name: 'Kill' };
    await call(server, 'POST', '/api/auth/setup', undefined, JSON.stringify(credentials), json);
    const login = await call<{ token: string }>(
      server,
      'POST',
      '/api/auth/login',
      undefined,
      JSON.stringify(credentials),
      json,
    );
    const token = login.body.token;
    const created = await call<TakeoutProgress>(server, 'POST', '/api/takeout/imports', token);
    const importId = created.body.id;
    for (const part of generated.parts) {
      const bytes = await fsp.readFile(part);
      const meta = `filename ${Buffer.from(path.basename(part)).toString('base64')},takeoutImportId ${Buffer.from(importId).toString('base64')}`;
      const upload = await call(server, 'POST', '/api/uploads', token, new Uint8Array(bytes), {
        'tus-resumable': '1.0.0',
        'content-type': 'application/offset+octet-stream',
        'upload-length': String(bytes.length),
        'upload-metadata': meta,
      });
      expect(upload.headers.get('pixelunion-asset-status')).toBe('takeout-part');
    }
    await call(server, 'POST', `/api/takeout/imports/${importId}/start`, token);

    const progress = async () =>
      (await call<TakeoutProgress>(server, 'GET', `/api/takeout/imports/${importId}`, token)).body;
    // Kill it in the middle of the import phase.
    let before: TakeoutProgress = await progress();
    while (before.counts.imported < 60) {
      expect(before.status, JSON.stringify(before)).not.toBe('done');
      await sleep(20);
      before = await progress();
    }
    await server.kill();

    server = await startServerProcess(env);
    let after = await progress();
    for (let i = 0; i < 1200 && after.status !== 'done'; i++) {
      await sleep(100);
      after = await progress();
    }
    expect(after.status).toBe('done');
    expect(after.counts.imported).toBeGreaterThanOrEqual(before.counts.imported);
    expect(after.counts).toMatchObject({
      media: generated.media,
      imported: 240,
      duplicates: generated.media - 240,
      failed: 0,
      skipped: 0,
      pending: 0,
    });
    // Every photo once in the library, every job done, every thumbnail made.
    for (let i = 0; i < 600; i++) {
      const jobs = await call<{ waiting: number; active: number }[]>(
        server,
        'GET',
        '/api/jobs',
        token,
      );
      if (jobs.body.every((q) => q.waiting === 0 && q.active === 0)) break;
      await sleep(100);
    }
    const buckets = await call<{ count: number }[]>(server, 'GET', '/api/timeline/buckets', token);
    const total = buckets.body.reduce((sum, b) => sum + b.count, 0);
    expect(total).toBe(240);
    const report = await call<{ files: { outcome: string; assetId: string | null }[] }>(
      server,
      'GET',
      `/api/takeout/imports/${importId}/report`,
      token,
    );
    const ids = new Set(
      report.body.files.filter((f) => f.outcome === 'imported').map((f) => f.assetId),
    );
    expect(ids.size).toBe(240);
    for (const id of [...ids].slice(0, 50)) {
      const thumb = await fetch(`${server.url}/api/assets/${id ?? ''}/thumbnail`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(thumb.status).toBe(200);
      await thumb.arrayBuffer();
    }
  }, 180_000);
});
