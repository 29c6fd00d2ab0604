import fsp from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthService } from '../modules/health/health.service.js';
import { tusCreate } from '../modules/uploads/uploads.testing.js';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../test/factories.js';
import { runDialect, startTestServer, type TestServer } from '../test/test-server.js';
import { jobsInProgress, startOpsServer, timeJobs, type OpsServer } from './metrics.js';

const multipartPhoto = photo('exif-samples/jpg/Canon_40D.jpg');
const tusPhoto = photo('exif-samples/jpg/Nikon_D70.jpg');
/** Prometheus text format: `name{label="value",…} number`. */
const sampleLine =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? -?[0-9.e+-]+|NaN|[+-]Inf$/;

describe('metrics listener', () => {
  let server: TestServer;
  let ops: OpsServer;
  let user: TestUser;
  const ids: string[] = [];

  beforeAll(async () => {
    // PIXELUNION_METRICS_PORT set: the app records its requests.
    server = await startTestServer(runDialect, { PIXELUNION_METRICS_PORT: '0' });
    ops = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      ctx: server.ctx,
      health: createHealthService(server.ctx, pino({ level: 'silent' })),
      metrics: true,
    });
    user = await createUser(server);
    const uploaded = await uploadFixture(server, user, multipartPhoto);
    expect(uploaded.status).toBe(201);
    ids.push(uploaded.body.id);
    const tus = await tusCreate(server, user, (await fsp.stat(tusPhoto)).size, {
      meta: { filename: 'Nikon_D70.jpg' },
      body: await fsp.readFile(tusPhoto),
    });
    expect(tus.headers.get('pixelunion-asset-status')).toBe('created');
    ids.push(tus.headers.get('pixelunion-asset-id') ?? '');
    await waitForJobs(server);
    // A share link's key and an unknown path: neither may become a label.
    await api(server, 'GET', '/api/s/sEcReTkEy0123456789');
    await api(server, 'GET', '/api/no-such-thing/4242');
    await api(server, 'POST', '/api/no-such-thing/4242');
  });
  afterAll(async () => {
    await ops.close();
    await server.close();
  });

  /** Scrapes until `wanted` is in the text: a request is counted once its answer has ended. */
  async function scrapeUntil(wanted: string): Promise<string> {
    for (let i = 0; ; i++) {
      const response = await fetch(`${ops.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      if (text.includes(wanted) || i === 100) return text;
      await sleep(50);
    }
  }

  it('serves counts and durations in Prometheus text format', async () => {
    const text = await scrapeUntil('route="unmatched"');
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      expect(line).toMatch(sampleLine);
    }
    expect(text).toContain(
      'pixelunion_http_requests_total{method="POST",route="/api/assets",status="2xx"} 1',
    );
    expect(text).toContain(
      'pixelunion_http_request_duration_seconds_count{method="POST",route="/api/assets",status="2xx"} 1',
    );
    // The share link's page answers by its pattern; an unknown path by the web app's fallback
    // (GET) or as unmatched (no route for the method).
    expect(text).toMatch(
      /pixelunion_http_requests_total\{method="GET",route="\/api\/s\/:key",status="4xx"\} 1/,
    );
    expect(text).toContain('{method="GET",route="/*",status="4xx"} 1');
    expect(text).toContain('{method="POST",route="unmatched",status="4xx"} 1');
    expect(text).toContain('pixelunion_uploads_total{outcome="created"} 2');
    const bytes = (await fsp.stat(multipartPhoto)).size + (await fsp.stat(tusPhoto)).size;
    const counted = Number(/^pixelunion_upload_bytes_total (\d+)$/m.exec(text)?.[1]);
    expect(counted).toBeGreaterThanOrEqual(bytes);
    expect(text).toContain('pixelunion_users 1');
    expect(text).toContain('pixelunion_assets 2');
    expect(text).toContain('pixelunion_jobs{queue="thumbnails",state="completed"} 2');
    expect(text).toContain('pixelunion_jobs{queue="metadata",state="waiting"} 0');
    expect(text).toContain(
      'pixelunion_job_duration_seconds_count{queue="metadata",outcome="completed"} 2',
    );
    expect(text).toContain('pixelunion_process_info{role="all"} 1');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('holds nothing about a user: no key, no id, no address, no email', async () => {
    const text = await scrapeUntil('route="unmatched"');
    expect(text).not.toContain('sEcReTkEy');
    expect(text).not.toContain('no-such-thing');
    expect(text).not.toContain('4242');
    expect(text).not.toContain(user.id);
    expect(text).not.toContain(user.email);
    expect(text).not.toContain('127.0.0.1');
    for (const id of ids) expect(text).not.toContain(id);
  });

  it('answers health beside the metrics, and nothing else', async () => {
    const health = await fetch(`${ops.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect((await fetch(`${ops.url}/api/assets`)).status).toBe(404);
    expect((await fetch(`${ops.url}/`)).status).toBe(404);
  });
});

describe('timeJobs', () => {
  it('counts a job while it runs and passes its failure on', async () => {
    let finish: (() => void) | undefined;
    const handlers = timeJobs({
      slow: (_payload: { n: number }) =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
      broken: (_payload: { n: number }) => Promise.reject(new Error('broken')),
    });
    const running = handlers.slow({ n: 1 });
    expect(jobsInProgress()).toMatchObject({ slow: 1 });
    finish?.();
    await running;
    expect(jobsInProgress()).not.toHaveProperty('slow');
    await expect(handlers.broken({ n: 2 })).rejects.toThrow('broken');
    expect(jobsInProgress()).not.toHaveProperty('broken');
  });
});
