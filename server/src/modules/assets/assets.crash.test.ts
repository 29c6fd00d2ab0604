import { openAsBlob } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { photo } from '../../test/factories.js';
import { startServerProcess } from '../../test/server-process.js';
import { dialects, freshPostgresDatabase } from '../../test/test-server.js';

const folder = photo('exif-samples/jpg');

async function jsonRequest(url: string, body: unknown, token?: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return response.json();
}

describe.each(dialects)('a crash during uploads and jobs on %s', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('loses no acknowledged upload, leaves no orphan blob, and finishes every job after restart', async () => {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-crash-'));
    cleanup.push(() => fsp.rm(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = { PIXELUNION_DATA_DIR: dataDir };
    if (dialect === 'postgres') {
      const database = await freshPostgresDatabase();
      cleanup.push(() => database.drop());
      env.DATABASE_URL = database.url;
    } else {
      env.DATABASE_URL = '';
    }

    let server = await startServerProcess(env);
    const credentials = { email: 'crash@example.org', password: 'a long password', name: 'Crash' };
    await jsonRequest(`${server.url}/api/auth/setup`, credentials);
    const { token } = (await jsonRequest(`${server.url}/api/auth/login`, credentials)) as {
      token: string;
    };

    const files = (await fsp.readdir(folder))
      .filter((f) => f.endsWith('.jpg'))
      .map((f) => path.join(folder, f));
    const acknowledged = new Map<string, string>();
    const uploadAll = async (url: string) => {
      for (const file of files) {
        const form = new FormData();
        form.append('file', await openAsBlob(file), path.basename(file));
        try {
          const response = await fetch(`${url}/api/assets`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
            body: form,
          });
          if (response.status === 201)
            acknowledged.set(((await response.json()) as { id: string }).id, file);
        } catch {
          return; // the server died under this request: not acknowledged
        }
      }
    };
    const uploads = uploadAll(server.url);
    while (acknowledged.size < 6) await sleep(5);
    await server.kill();
    await uploads;
    expect(acknowledged.size).toBeLessThan(files.length);

    server = await startServerProcess(env);
    cleanup.push(() => server.stop());
    const deadline = Date.now() + 90_000;
    for (;;) {
      const response = await fetch(`${server.url}/api/jobs`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const queues = (await response.json()) as { waiting: number; active: number }[];
      if (queues.every((q) => q.waiting === 0 && q.active === 0)) break;
      if (Date.now() > deadline) throw new Error('jobs did not finish after restart');
      await sleep(200);
    }
    await server.stop();

    const handle = openDatabase({
      databaseUrl: env.DATABASE_URL || null,
      sqlitePath: path.join(dataDir, 'pixelunion.sqlite'),
    });
    const rows = await handle.db
      .selectFrom('assets')
      .select(['id', 'owner_id', 'status', 'has_thumbnail'])
      .execute();
    const failedJobs = await handle.db
      .selectFrom('jobs')
      .select('id')
      .where('status', '!=', 'completed')
      .execute();
    await handle.close();

    for (const [id, file] of acknowledged) {
      expect(rows.map((r) => r.id)).toContain(id);
      const stored = await fsp.readFile(
        path.join(dataDir, 'library', 'originals', rows[0]?.owner_id ?? '', id),
      );
      expect(stored.equals(await fsp.readFile(file))).toBe(true);
    }
    const originals = await fsp.readdir(
      path.join(dataDir, 'library', 'originals', rows[0]?.owner_id ?? ''),
    );
    expect(originals.sort()).toEqual(rows.map((r) => r.id).sort());
    expect(await fsp.readdir(path.join(dataDir, 'tmp', 'uploads'))).toEqual([]);
    expect(rows.filter((r) => r.status === 'processing')).toEqual([]);
    expect(failedJobs).toEqual([]);
    expect(rows.filter((r) => r.status === 'ready' && r.has_thumbnail !== 1)).toEqual([]);
  });
});
