import { once } from 'node:events';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bigPhoto, signUp, startHoldingProxy } from './roles.testing.js';
import { startLocalS3 } from './storage/s3rver.testing.js';
import { exitCode, refused, runCleanup, until } from './test/processes.testing.js';
import { spawnServer, startServerProcess } from './test/server-process.js';

describe('graceful shutdown', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(() => runCleanup(cleanup));

  it('finishes an upload in progress when SIGTERM comes, then exits 0', async () => {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-shutdown-'));
    cleanup.push(() => fsp.rm(dataDir, { recursive: true, force: true }));
    // The embedded configuration: SQLite, local folder, the queue in the database.
    const env = {
      PIXELUNION_DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      PIXELUNION_LOG_LEVEL: 'info',
    };
    let server = await startServerProcess(env);
    cleanup.push(() => server.stop());
    const headers = await signUp(server.url);
    const bytes = await fsp.readFile(bigPhoto);

    // A resumable upload whose only chunk is the whole file, sent in two halves.
    const created = await fetch(`${server.url}/api/uploads`, {
      method: 'POST',
      headers: {
        ...headers,
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': `filename ${Buffer.from(path.basename(bigPhoto)).toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location') ?? '';
    const request = http.request(new URL(server.url + location), {
      method: 'PATCH',
      agent: false,
      headers: {
        ...headers,
        'tus-resumable': '1.0.0',
        'content-type': 'application/offset+octet-stream',
        'upload-offset': '0',
        'content-length': String(bytes.length),
      },
    });
    const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', reject);
    });
    const half = Math.floor(bytes.length / 2);
    request.write(bytes.subarray(0, half));
    // The first half is on the server's disk: the request is in progress.
    const partial = path.join(dataDir, 'tmp', 'resumable', path.basename(location));
    await until(async () => ((await fsp.stat(partial).catch(() => null))?.size ?? 0) >= half);

    const exited = exitCode(server);
    server.child.kill('SIGTERM');
    await until(() => server.output().includes('"msg":"shutting down'));
    await until(() => refused(server.url));
    expect(server.child.exitCode).toBeNull();

    request.end(bytes.subarray(half));
    const response = await answered;
    response.resume();
    expect(response.statusCode).toBe(204);
    expect(response.headers['pixelunion-asset-status']).toBe('created');
    const assetId = String(response.headers['pixelunion-asset-id']);
    expect(await exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');

    // The upload that finished during the shutdown is kept, byte for byte.
    server = await startServerProcess(env);
    const original = await fetch(`${server.url}/api/assets/${assetId}/original`, { headers });
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(bytes)).toBe(true);
    await server.stop();
  }, 240_000);

  it('gives up after PIXELUNION_SHUTDOWN_SECONDS, exits 1 and says what was still running', async () => {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-shutdown-'));
    cleanup.push(() => fsp.rm(dataDir, { recursive: true, force: true }));
    const server = await startServerProcess({
      PIXELUNION_DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      PIXELUNION_LOG_LEVEL: 'info',
      PIXELUNION_SHUTDOWN_SECONDS: '1',
    });
    cleanup.push(() => server.stop());
    const headers = await signUp(server.url);
    // A multipart upload whose client stops sending half-way and never finishes.
    const bytes = await fsp.readFile(bigPhoto);
    const boundary = 'pixelunion-shutdown-test';
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="stalled.jpg"\r\n` +
        'content-type: image/jpeg\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const request = http.request(new URL(`${server.url}/api/assets`), {
      method: 'POST',
      agent: false,
      headers: {
        ...headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + bytes.length + tail.length),
      },
    });
    request.on('error', () => undefined);
    request.write(Buffer.concat([head, bytes.subarray(0, bytes.length >> 1)]));
    const uploads = path.join(dataDir, 'tmp', 'uploads');
    await until(async () => {
      const names = await fsp.readdir(uploads).catch(() => [] as string[]);
      const sizes = await Promise.all(
        names.map((name) =>
          fsp.stat(path.join(uploads, name)).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      return sizes.some((size) => size > 0);
    });

    const exited = exitCode(server);
    server.child.kill('SIGTERM');
    expect(await exited).toBe(1);
    request.destroy();
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('PIXELUNION_SHUTDOWN_SECONDS'));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 50,
      waitingFor: 'requests',
      requestsInFlight: 1,
      jobsRunning: {},
    });
  }, 240_000);

  it('a signal during start-up waits for the start to end, then stops and exits 0', async () => {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-shutdown-'));
    cleanup.push(() => fsp.rm(dataDir, { recursive: true, force: true }));
    const s3 = await startLocalS3();
    cleanup.push(() => s3.stop());
    // Holds every request to object storage: the start-up waits in its bucket check, which
    // comes before the job workers and the listeners.
    const proxy = await startHoldingProxy(s3.endpoint, () => true);
    cleanup.push(() => proxy.close());
    const server = spawnServer({
      ...s3.env(),
      PIXELUNION_S3_ENDPOINT: proxy.endpoint,
      PIXELUNION_DATA_RESIDENCY: 'off',
      PIXELUNION_DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      PIXELUNION_LOG_LEVEL: 'info',
    });
    cleanup.push(() => server.stop());
    const listened = server.listening.then(
      () => true,
      () => false,
    );
    const exited = once(server.child, 'exit').then(([code]) => code as number | null);
    await proxy.held;

    server.child.kill('SIGTERM');
    await until(
      () =>
        server.output().includes('"msg":"shutting down') ||
        server.child.exitCode !== null ||
        server.child.signalCode !== null,
      {
        timeoutMs: 60_000,
        what: 'the server to take the signal',
      },
    );
    // Not ended by the signal itself, as a process without a handler yet would be.
    expect(server.child.signalCode).toBeNull();
    proxy.release();
    expect(await exited).toBe(0);
    expect(await listened).toBe(true);
    expect(server.output()).toContain('"msg":"stopped"');
  }, 240_000);
});
