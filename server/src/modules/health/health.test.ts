import pino from 'pino';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalS3 } from '../../storage/s3rver.testing.js';
import { runDialect, startTestServer, type TestServer } from '../../test/test-server.js';
import { HealthRepo } from './health.repo.js';
import { createHealthService, HealthService, type HealthCheck } from './health.service.js';

const silent = pino({ level: 'silent' });

describe('HealthService', () => {
  const ok = (): HealthCheck => ({ probe: () => Promise.resolve(), cacheMs: 1000 });

  it('names the failing dependency and nothing of its error', async () => {
    const service = new HealthService(
      'api',
      {
        database: ok(),
        blobStore: { probe: () => Promise.reject(new Error('secret endpoint')), cacheMs: 1000 },
        queue: ok(),
      },
      silent,
    );
    const report = await service.report();
    expect(report).toEqual({
      status: 'failing',
      role: 'api',
      checks: { database: 'ok', blobStore: 'failed', queue: 'ok' },
    });
    expect(JSON.stringify(report)).not.toContain('secret');
  });

  it('probes a dependency once per cache period, sharing a probe in progress', async () => {
    let now = 0;
    let probes = 0;
    const counted: HealthCheck = {
      probe: () => {
        probes++;
        return Promise.resolve();
      },
      cacheMs: 5000,
    };
    const service = new HealthService(
      'all',
      { database: ok(), blobStore: counted, queue: ok() },
      silent,
      () => now,
    );
    await Promise.all([service.report(), service.report(), service.report()]);
    expect(probes).toBe(1);
    now = 4999;
    await service.report();
    expect(probes).toBe(1);
    now = 5000;
    await service.report();
    expect(probes).toBe(2);
  });
});

describe('GET /api/health', () => {
  const servers: TestServer[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('answers 200 with every check, without sign-in', async () => {
    const server = await startTestServer(runDialect, {}, { workers: false });
    servers.push(server);
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      status: 'ok',
      role: 'all',
      checks: { database: 'ok', blobStore: 'ok', queue: 'ok' },
    });
  });

  it('answers 503 naming the database when it fails, without the reason', async () => {
    const server = await startTestServer(runDialect, {}, { workers: false });
    servers.push(server);
    vi.spyOn(HealthRepo.prototype, 'ping').mockRejectedValue(new Error('password=hunter2'));
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      status: 'failing',
      role: 'all',
      checks: { database: 'failed', blobStore: 'ok', queue: 'ok' },
    });
    expect(text).not.toContain('hunter2');
  });

  it('asks object storage for a key (HEAD), and fails when it does not answer', async () => {
    const s3 = await startLocalS3();
    const server = await startTestServer(
      runDialect,
      { ...s3.env(), PIXELUNION_DATA_RESIDENCY: 'off' },
      { workers: false },
    );
    servers.push(server);
    expect((await createHealthService(server.ctx, silent).report()).checks.blobStore).toBe('ok');
    await s3.stop();
    const report = await createHealthService(server.ctx, silent).report();
    expect(report.status).toBe('failing');
    expect(report.checks).toEqual({ database: 'ok', blobStore: 'failed', queue: 'ok' });
  });
});
