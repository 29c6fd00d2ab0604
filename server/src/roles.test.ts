import { once } from 'node:events';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { dutiesOf } from './roles.js';
import { startLocalS3 } from './storage/s3rver.testing.js';
import { photo } from './test/factories.js';
import {
  exitCode,
  json,
  metricsUrl,
  refused,
  runCleanup,
  signUp as signUpAs,
  until,
  uploadMultipart,
} from './test/processes.testing.js';
import { startServerProcess } from './test/server-process.js';
import { freshPostgresDatabase, startTestServer } from './test/test-server.js';

const postgres = process.env.DATABASE_URL ? describe : describe.skip;
const bigPhoto = photo('exif-samples/jpg/mobile/HMD_Nokia_8.3_5G.jpg');
const credentials = { email: 'roles@example.org', password: 'a long password', name: 'Roles' };
const signUp = (url: string) => signUpAs(url, credentials);

describe('PIXELUNION_ROLE and the operations settings', () => {
  const pg = { DATABASE_URL: 'postgres://pixelunion@db.internal/pixelunion' };

  it('defaults to one process doing everything', () => {
    const config = loadConfig({});
    expect(config.role).toBe('all');
    expect(config.metricsPort).toBeNull();
    expect(config.metricsHost).toBe('127.0.0.1');
    expect(config.shutdownSeconds).toBe(30);
    expect(dutiesOf('all')).toEqual({ api: true, background: true });
    expect(dutiesOf('api')).toEqual({ api: true, background: false });
    expect(dutiesOf('worker')).toEqual({ api: false, background: true });
  });

  it('takes api and worker with PostgreSQL, and refuses them on SQLite', () => {
    expect(loadConfig({ ...pg, PIXELUNION_ROLE: 'api' }).role).toBe('api');
    expect(loadConfig({ ...pg, PIXELUNION_ROLE: 'worker' }).role).toBe('worker');
    for (const role of ['api', 'worker']) {
      expect(() => loadConfig({ PIXELUNION_ROLE: role })).toThrow(ConfigError);
      expect(() => loadConfig({ PIXELUNION_ROLE: role })).toThrow(/PIXELUNION_ROLE.*DATABASE_URL/);
    }
    expect(() => loadConfig({ ...pg, PIXELUNION_ROLE: 'web' })).toThrow(/PIXELUNION_ROLE/);
  });

  it('reads the metrics port, its host and the shutdown deadline', () => {
    const config = loadConfig({
      PIXELUNION_METRICS_PORT: '9464',
      PIXELUNION_METRICS_HOST: '0.0.0.0',
      PIXELUNION_SHUTDOWN_SECONDS: '120',
    });
    expect(config).toMatchObject({
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      shutdownSeconds: 120,
    });
    expect(() => loadConfig({ PORT: '9000', PIXELUNION_METRICS_PORT: '9000' })).toThrow(
      /PIXELUNION_METRICS_PORT/,
    );
    expect(() => loadConfig({ PIXELUNION_METRICS_PORT: 'x' })).toThrow(/PIXELUNION_METRICS_PORT/);
    expect(() => loadConfig({ PIXELUNION_SHUTDOWN_SECONDS: '0' })).toThrow(
      /PIXELUNION_SHUTDOWN_SECONDS/,
    );
  });
});

describe('docs/deploy.md', () => {
  const docs = path.resolve(import.meta.dirname, '../../docs');

  it('holds a compose file of the project image, its roles, health checks and services', async () => {
    const page = await fsp.readFile(path.join(docs, 'deploy.md'), 'utf8');
    const block = (language: string) => {
      const found = new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```').exec(page)?.[1];
      expect(found, `a ${language} block`).toBeDefined();
      return found ?? '';
    };
    interface Service {
      build?: string;
      image: string;
      environment?: Record<string, string>;
      healthcheck?: { test: string[] };
      stop_grace_period?: string;
      networks?: Record<string, { ipv4_address?: string }> | string[];
    }
    const compose = parse(block('yaml'), { merge: true }) as { services: Record<string, Service> };
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(
      ['app1', 'app2', 'caddy', 'postgres', 'redis', 'worker'].sort(),
    );
    const own = ['app1', 'app2', 'worker'].map((name) => services[name]);
    for (const service of own) {
      expect(service?.build).toBe('.');
      expect(service?.image).toBe('pixelunion:local');
      expect(service?.healthcheck?.test.join(' ')).toContain('/api/health');
      const env = service?.environment ?? {};
      // The stop deadline ends before Docker's own.
      expect(Number.parseInt(service?.stop_grace_period ?? '0', 10)).toBeGreaterThan(
        Number(env.PIXELUNION_SHUTDOWN_SECONDS),
      );
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
    }
    expect(own.map((service) => service?.environment?.PIXELUNION_ROLE)).toEqual([
      'api',
      'api',
      'worker',
    ]);
    // Other images are the official ones; the proxy is the one trusted address.
    expect(services.postgres?.image).toMatch(/^postgres:/);
    expect(services.redis?.image).toMatch(/^redis:/);
    expect(services.caddy?.image).toMatch(/^caddy:/);
    const caddyNetworks = services.caddy?.networks;
    const caddyAddress = Array.isArray(caddyNetworks)
      ? undefined
      : caddyNetworks?.internal?.ipv4_address;
    expect(caddyAddress).toBe(services.app1?.environment?.PIXELUNION_TRUSTED_PROXIES);
    expect(block('caddy')).toMatch(/reverse_proxy app1:8080 app2:8080/);
    expect(block('caddy')).toContain('health_uri /api/health');

    // Every PixelUnion setting the compose file passes is a documented one.
    const configuration = await fsp.readFile(path.join(docs, 'configuration.md'), 'utf8');
    for (const name of Object.keys(services.worker?.environment ?? {})) {
      if (name.startsWith('PIXELUNION_')) expect(configuration).toContain(`\`${name}\``);
    }
  });
});

describe('PIXELUNION_TRUSTED_PROXIES', () => {
  it('reads addresses and CIDR ranges, and refuses anything else', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(
      loadConfig({ PIXELUNION_TRUSTED_PROXIES: '172.28.0.10, 10.0.0.0/8,fd00::/8' }).trustedProxies,
    ).toEqual(['172.28.0.10', '10.0.0.0/8', 'fd00::/8']);
    for (const bad of ['caddy', '10.0.0.0/33', '10.0.0.1/8/2', '*']) {
      expect(() => loadConfig({ PIXELUNION_TRUSTED_PROXIES: bad })).toThrow(
        /PIXELUNION_TRUSTED_PROXIES/,
      );
    }
  });

  it('believes X-Forwarded-Proto only from a trusted proxy (secure session cookie)', async () => {
    const cookieFlags = async (env: Record<string, string>) => {
      const server = await startTestServer('sqlite', env, { workers: false });
      try {
        const post = (url: string) =>
          fetch(server.url + url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
            body: JSON.stringify(credentials),
          });
        await post('/api/auth/setup');
        const login = await post('/api/auth/login');
        expect(login.status).toBe(200);
        return login.headers.get('set-cookie') ?? '';
      } finally {
        await server.close();
      }
    };
    expect(await cookieFlags({ PIXELUNION_TRUSTED_PROXIES: '127.0.0.1' })).toMatch(/;\s*Secure/i);
    expect(await cookieFlags({})).not.toMatch(/;\s*Secure/i);
    expect(await cookieFlags({ PIXELUNION_TRUSTED_PROXIES: '10.0.0.0/8' })).not.toMatch(
      /;\s*Secure/i,
    );
  });
});

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
});

/**
 * A loopback HTTP proxy in front of object storage that holds every download of an original
 * until `release()`: a job reading an original is then running for as long as the test wants.
 */
async function startHoldingProxy(target: string): Promise<{
  endpoint: string;
  held: Promise<void>;
  release(): void;
  close(): Promise<void>;
}> {
  const upstream = new URL(target);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let onHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    onHeld = resolve;
  });
  const server = http.createServer((request, response) => {
    const forward = () => {
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      out.on('error', () => response.destroy());
      request.pipe(out);
    };
    if (request.method === 'GET' && (request.url ?? '').includes('/originals/')) {
      onHeld();
      void gate.then(forward);
    } else {
      forward();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    release: () => {
      release();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

postgres('api and worker processes on PostgreSQL', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(() => runCleanup(cleanup));

  async function sharedSetup(extra: Record<string, string> = {}) {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-roles-'));
    cleanup.push(() => fsp.rm(dataDir, { recursive: true, force: true }));
    const database = await freshPostgresDatabase();
    cleanup.push(() => database.drop());
    // One database, one data folder (the local blob store), the queue in the database.
    const env = {
      PIXELUNION_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      REDIS_URL: '',
      PIXELUNION_LOG_LEVEL: 'info',
      PIXELUNION_METRICS_PORT: '0',
      ...extra,
    };
    const start = async (role: 'api' | 'worker') => {
      const server = await startServerProcess({ ...env, PIXELUNION_ROLE: role });
      cleanup.push(() => server.stop());
      return server;
    };
    const db = openDatabase({ databaseUrl: database.url, sqlitePath: '' });
    cleanup.push(() => db.close());
    return { start, db: db.db };
  }

  it('an api process queues the work; only a worker process does it', async () => {
    const { start, db } = await sharedSetup();
    const apiServer = await start('api');
    expect(apiServer.output()).toContain('PixelUnion API is running at');
    const headers = await signUp(apiServer.url);
    const assetId = await uploadMultipart(apiServer.url, headers, bigPhoto);
    const asset = () =>
      json<{ status: string; hasThumbnail: boolean }>(`${apiServer.url}/api/assets/${assetId}`, {
        headers,
      });

    // Before any worker: the job is queued, untouched.
    const queued = await db
      .selectFrom('jobs')
      .select(['queue', 'status', 'attempts'])
      .where('payload', 'like', `%${assetId}%`)
      .execute();
    expect(queued).toEqual([{ queue: 'metadata', status: 'waiting', attempts: 0 }]);
    expect((await asset()).body.hasThumbnail).toBe(false);

    const worker = await start('worker');
    expect(worker.output()).toMatch(/PixelUnion worker is running at http:\/\/\S+ \(health only\)/);
    await until(async () => (await asset()).body.hasThumbnail);
    expect((await asset()).body.status).toBe('ready');
    const thumbnail = await fetch(`${apiServer.url}/api/assets/${assetId}/thumbnail`, { headers });
    expect(thumbnail.status).toBe(200);

    // Which process ran the jobs: each one's metrics count only its own.
    const apiMetrics = await (await fetch(await metricsUrl(apiServer))).text();
    const workerMetrics = await (await fetch(await metricsUrl(worker))).text();
    expect(workerMetrics).toContain(
      'pixelunion_job_duration_seconds_count{queue="metadata",outcome="completed"} 1',
    );
    expect(workerMetrics).toContain(
      'pixelunion_job_duration_seconds_count{queue="thumbnails",outcome="completed"} 1',
    );
    expect(apiMetrics).not.toContain('pixelunion_job_duration_seconds_count');
    expect(apiMetrics).toContain('pixelunion_process_info{role="api"} 1');
    expect(workerMetrics).toContain('pixelunion_process_info{role="worker"} 1');
    expect(apiMetrics).toContain(
      'pixelunion_http_requests_total{method="POST",route="/api/assets",status="2xx"} 1',
    );

    // Health: the api on its API port, the worker on PORT, which serves nothing else.
    const apiHealth = await json<{ status: string; role: string }>(`${apiServer.url}/api/health`);
    expect(apiHealth).toEqual({
      status: 200,
      body: {
        status: 'ok',
        role: 'api',
        checks: { database: 'ok', blobStore: 'ok', queue: 'ok' },
      },
    });
    const workerHealth = await json<{ status: string; role: string }>(`${worker.url}/health`);
    expect(workerHealth.status).toBe(200);
    expect(workerHealth.body).toMatchObject({ status: 'ok', role: 'worker' });
    expect((await fetch(`${worker.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${worker.url}/api/assets/${assetId}`, { headers })).status).toBe(404);
    expect((await fetch(`${worker.url}/`)).status).toBe(404);
  }, 240_000);

  it('a worker that gets SIGTERM finishes the job it is running, then exits 0', async () => {
    const s3 = await startLocalS3();
    cleanup.push(() => s3.stop());
    const proxy = await startHoldingProxy(s3.endpoint);
    cleanup.push(() => proxy.close());
    const { start, db } = await sharedSetup({
      ...s3.env(),
      PIXELUNION_S3_ENDPOINT: proxy.endpoint,
      PIXELUNION_DATA_RESIDENCY: 'off',
    });
    const apiServer = await start('api');
    const headers = await signUp(apiServer.url);
    const assetId = await uploadMultipart(apiServer.url, headers, bigPhoto);

    const worker = await start('worker');
    // The metadata job is downloading the original, held by the proxy: it is running.
    await proxy.held;
    const exited = exitCode(worker);
    worker.child.kill('SIGTERM');
    await until(() => worker.output().includes('"msg":"shutting down'));
    await until(() => refused(worker.url));
    expect(worker.child.exitCode).toBeNull();

    proxy.release();
    expect(await exited).toBe(0);
    expect(worker.output()).toContain('"msg":"stopped"');
    // The job ran to its end: the metadata is in the row, the job is done, and the next step
    // waits for a worker (the stopping one took no new job).
    const row = await db
      .selectFrom('assets')
      .select(['width', 'height', 'make'])
      .where('id', '=', assetId)
      .executeTakeFirstOrThrow();
    expect(row.width).toBeGreaterThan(0);
    expect(row.make).not.toBeNull();
    const jobs = await db
      .selectFrom('jobs')
      .select(['queue', 'status'])
      .where('payload', 'like', `%${assetId}%`)
      .orderBy('id')
      .execute();
    expect(jobs).toEqual([
      { queue: 'metadata', status: 'completed' },
      { queue: 'thumbnails', status: 'waiting' },
    ]);
  }, 240_000);
});
