import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportView } from '../modules/export/export.view.js';
import {
  api,
  createApiKey,
  createUser,
  photo,
  type TestUser,
  uploadFixture,
  waitForJobs,
} from '../test/factories.js';
import { startTestServer, type TestServer } from '../test/test-server.js';
import { unzip } from '../test/zip.js';
import { runCli } from './cli.testing.js';
import { downloadPart, ExportClient, type ExportPart } from './export.download.js';

const runExport = (args: string[]) => runCli(['export', ...args]);

describe('pixelunion export', () => {
  let server: TestServer;
  let user: TestUser;
  let apiKey: string;
  let dir: string;

  const exportsOf = async () =>
    (await api<ExportView[]>(server, 'GET', '/api/exports', { token: user.token })).body;
  const partBytes = async (part: ExportView['parts'][number]) =>
    Buffer.from(
      await (await fetch(server.url + part.url, { headers: user.headers })).arrayBuffer(),
    );

  beforeAll(async () => {
    server = await startTestServer();
    user = await createUser(server);
    apiKey = await createApiKey(server, user, 'export cli');
    for (const file of [
      'exif-samples/heic/IMG_5195.HEIC',
      'metadata-extractor/mov/with-gps.mov',
      'exif-samples/jpg/gps/DSCN0010.jpg',
    ]) {
      expect((await uploadFixture(server, user, photo(file))).status).toBe(201);
    }
    await waitForJobs(server);
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'export-cli-'));
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('refuses to start without its options', async () => {
    const result = await runExport(['--server', server.url]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Missing --api-key.');
    expect(result.stderr).toContain('Missing --out');
  });

  it('saves every part, and completes a part cut short when run again', async () => {
    const out = path.join(dir, 'out');
    const args = [
      '--server',
      server.url,
      '--api-key',
      apiKey,
      '--out',
      out,
      '--part-size',
      '1048576',
    ];
    const before = new Set((await exportsOf()).map((e) => e.id));
    const first = await runExport(args);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Saved \d+ parts/);
    const made = (await exportsOf()).filter((e) => !before.has(e.id));
    expect(made).toHaveLength(1);
    const [export1] = made;
    if (!export1) throw new Error('no export was made');
    expect(export1.parts.length).toBeGreaterThanOrEqual(2);
    const saved = new Map<string, Buffer>();
    for (const part of export1.parts) {
      const bytes = await fsp.readFile(path.join(out, part.fileName));
      expect(bytes.equals(await partBytes(part)), part.fileName).toBe(true);
      saved.set(part.fileName, bytes);
    }
    const names = [
      ...(await unzip(saved.get(export1.parts[0]?.fileName ?? '') ?? Buffer.alloc(0))).keys(),
    ];
    expect(names.some((n) => n.endsWith('/index.html'))).toBe(true);

    // A part cut in the middle, another gone: the same command finishes them, on the same export.
    const [cut, gone] = export1.parts;
    if (!cut || !gone) throw new Error('two parts expected');
    await fsp.truncate(path.join(out, cut.fileName), Math.floor(cut.size / 2));
    await fsp.rm(path.join(out, gone.fileName));
    const second = await runExport(args);
    expect(second.status, second.stderr).toBe(0);
    for (const part of export1.parts) {
      const bytes = await fsp.readFile(path.join(out, part.fileName));
      expect(bytes.equals(saved.get(part.fileName) ?? Buffer.alloc(0)), part.fileName).toBe(true);
    }
    expect((await exportsOf()).filter((e) => !before.has(e.id))).toHaveLength(1);
  });

  it('asks only for the bytes a part lacks, and retries a connection cut midway', async () => {
    const made = await api<ExportView>(server, 'POST', '/api/exports', {
      token: user.token,
      body: { partSizeBytes: 1024 * 1024 },
    });
    await waitForJobs(server);
    const ready = await api<ExportView>(server, 'GET', `/api/exports/${made.body.id}`, {
      token: user.token,
    });
    const part = ready.body.parts[0];
    if (!part) throw new Error('no part');
    const whole = await partBytes(part);
    const file = path.join(dir, 'resumed.zip');
    const half = Math.floor(part.size / 2);
    await fsp.writeFile(file, whole.subarray(0, half));
    const seen: number[] = [];
    const client = new ExportClient(server.url, apiKey);
    const onProgress = (bytes: number) => {
      seen.push(bytes);
    };
    expect(await downloadPart(client, part, file, { onProgress })).toBe('downloaded');
    expect(seen[0]).toBeGreaterThan(half);
    expect((await fsp.readFile(file)).equals(whole)).toBe(true);
    expect(await downloadPart(client, part, file)).toBe('complete');

    // The first answer breaks off after 100 kB: the next try continues from there.
    class CuttingClient extends ExportClient {
      readonly starts: number[] = [];
      override async part(p: ExportPart, from: number): Promise<Response> {
        this.starts.push(from);
        const response = await super.part(p, from);
        if (this.starts.length > 1 || !response.body) return response;
        const reader = response.body.getReader();
        let sent = 0;
        const cut = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const { done, value } = await reader.read();
            if (done || sent >= 100_000) {
              await reader.cancel();
              controller.error(new TypeError('terminated', { cause: new Error('cut') }));
              return;
            }
            sent += value.length;
            controller.enqueue(value);
          },
        });
        return new Response(cut, { status: response.status, headers: response.headers });
      }
    }
    const cutting = new CuttingClient(server.url, apiKey);
    await fsp.rm(file);
    expect(await downloadPart(cutting, part, file, { retryDelayMs: 10 })).toBe('downloaded');
    expect(cutting.starts[0]).toBe(0);
    // What reached the disk before the cut is kept.
    expect(cutting.starts[1]).toBeGreaterThan(0);
    expect((await fsp.readFile(file)).equals(whole)).toBe(true);
  });

  it('makes a new export with --new', async () => {
    const out = path.join(dir, 'fresh');
    const before = (await exportsOf()).length;
    const result = await runExport([
      '--server',
      server.url,
      '--api-key',
      apiKey,
      '--out',
      out,
      '--new',
    ]);
    expect(result.status, result.stderr).toBe(0);
    const all = await exportsOf();
    expect(all).toHaveLength(before + 1);
    const [latest] = all;
    expect(latest?.parts).toHaveLength(1);
    const files = (await fsp.readdir(out)).sort();
    expect(files).toEqual(['.pixelunion-export.json', latest?.parts[0]?.fileName].sort());
  });
});
