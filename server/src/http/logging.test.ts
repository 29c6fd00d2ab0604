import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createContext, type AppContext } from '../context.js';
import { startServerProcess } from '../test/server-process.js';
import {
  DailyLogFiles,
  createLogging,
  deleteExpiredLogs,
  maskUrl,
  type Logging,
} from './logging.js';

// Logging does not depend on the database: these tests run on SQLite only.

const key = 'Zq3vK9xY2mN8pL4tR7wB1cD5eF6gH0jS';
const ipv4 = '203.0.113.45';
const ipv6 = '2001:db8:85a3:8d3:1319:8a2e:370:7348';

type Line = Record<string, unknown> & {
  req?: { method?: string; url?: string; route?: string; remoteAddress?: string };
};

const linesOf = (text: string): Line[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

/** Everything written to the files of a log folder, whatever day they are for. */
async function logFilesText(dir: string): Promise<string> {
  const names = (await fsp.readdir(dir)).filter((n) => /^pixelunion-.*\.log$/.test(n)).sort();
  const texts = await Promise.all(names.map((n) => fsp.readFile(path.join(dir, n), 'utf8')));
  return texts.join('');
}

describe('request logs', () => {
  let dir: string;
  let logDir: string;
  let captured = '';
  let logging: Logging;
  let ctx: AppContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-logging-'));
    logDir = path.join(dir, 'logs');
    const config = loadConfig({
      PIXELUNION_DATA_DIR: dir,
      PIXELUNION_LOG_LEVEL: 'info',
      PIXELUNION_LOG_DIR: logDir,
    });
    const stdout: DestinationStream = {
      write: (line: string) => {
        captured += line;
      },
    };
    logging = createLogging(config, stdout);
    ctx = await createContext(config, logging.log);
    app = await buildApp(ctx, logging.http);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    logging.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('hides share-link keys and secret query values', () => {
    expect(maskUrl(`/s/${key}`)).toBe('/s/[hidden]');
    expect(maskUrl(`/api/s/${key}`)).toBe('/api/s/[hidden]');
    expect(maskUrl(`/api/s/${key}/assets/abc/thumbnail?v=2`)).toBe(
      '/api/s/[hidden]/assets/abc/thumbnail?v=2',
    );
    expect(maskUrl('/api/assets?token=abc&size=3&apiKey=def&sessionId=x')).toBe(
      '/api/assets?token=[hidden]&size=3&apiKey=[hidden]&sessionId=[hidden]',
    );
    expect(maskUrl('/api/shares/123')).toBe('/api/shares/123');
    expect(maskUrl('/api/timeline/buckets?bucket=2023-10')).toBe(
      '/api/timeline/buckets?bucket=2023-10',
    );
  });

  it('logs a coarse client address, never the full one, and no key, header or cookie', async () => {
    captured = '';
    const requests = [
      { url: '/api/health', remoteAddress: ipv4 },
      { url: `/api/s/${key}`, remoteAddress: ipv6 },
      { url: `/s/${key}`, remoteAddress: ipv4 },
      { url: `/api/s/${key}/assets/x/original?token=${key}`, remoteAddress: `::ffff:${ipv4}` },
    ];
    for (const { url, remoteAddress } of requests) {
      await app.inject({
        method: 'GET',
        url,
        remoteAddress,
        headers: { cookie: `pixelunion_link=${key}`, authorization: `Bearer ${key}` },
      });
    }
    const lines = linesOf(captured).filter((line) => line.req);
    expect(lines.length).toBe(requests.length);
    expect(lines.map((line) => line.req?.remoteAddress)).toEqual([
      '203.0.x.x',
      '2001:db8:85a3:x:x:x:x:x',
      '203.0.x.x',
      '203.0.x.x',
    ]);
    expect(lines.map((line) => line.req?.url)).toEqual([
      '/api/health',
      '/api/s/[hidden]',
      '/s/[hidden]',
      '/api/s/[hidden]/assets/x/original?token=[hidden]',
    ]);
    expect(lines[1]?.req?.route).toBe('/api/s/:key');
    for (const secret of [ipv4, ipv6, key, '113.45', 'cookie', 'authorization']) {
      expect(captured).not.toContain(secret);
    }
    // The completed line carries the status, not the request again.
    expect(linesOf(captured).some((line) => line.msg === 'request completed')).toBe(true);
  });

  it('coarsens real IPv4 and IPv6 loopback clients', async () => {
    captured = '';
    const address = await app.listen({ port: 0, host: '::' });
    const port = new URL(address).port;
    for (const host of ['127.0.0.1', '[::1]']) {
      const response = await fetch(`http://${host}:${port}/api/health`);
      await response.text();
    }
    const addresses = linesOf(captured)
      .filter((line) => line.req)
      .map((line) => line.req?.remoteAddress);
    expect(addresses).toEqual(['127.0.x.x', '0:0:0:x:x:x:x:x']);
    expect(JSON.stringify(linesOf(captured).map((line) => line.req))).not.toContain('127.0.0.1');
  });

  it('writes the same lines to the file of the day', async () => {
    const text = await logFilesText(logDir);
    expect(text).toContain('"remoteAddress":"203.0.x.x"');
    for (const secret of [ipv4, ipv6, key]) expect(text).not.toContain(secret);
    const names = await fsp.readdir(logDir);
    expect(names.every((name) => /^pixelunion-\d{4}-\d{2}-\d{2}\.log$/.test(name))).toBe(true);
  });
});

describe('log files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-log-files-'));
  });
  afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

  it('opens a new file at midnight (UTC)', async () => {
    const folder = path.join(dir, 'rotation');
    let now = Date.parse('2026-11-19T23:59:59Z');
    const files = new DailyLogFiles(folder, () => now);
    files.write('{"a":1}\n');
    now = Date.parse('2026-11-20T00:00:01Z');
    files.write('{"b":2}\n');
    files.write('{"c":3}\n');
    files.close();
    expect((await fsp.readdir(folder)).sort()).toEqual([
      'pixelunion-2026-11-19.log',
      'pixelunion-2026-11-20.log',
    ]);
    expect(await fsp.readFile(path.join(folder, 'pixelunion-2026-11-20.log'), 'utf8')).toBe(
      '{"b":2}\n{"c":3}\n',
    );
  });

  it('deletes the files of days that began retention days ago or more, and nothing else', async () => {
    const folder = path.join(dir, 'retention');
    await fsp.mkdir(folder);
    const names = [
      'pixelunion-2026-10-01.log',
      'pixelunion-2026-11-05.log',
      'pixelunion-2026-11-06.log',
      'pixelunion-2026-11-07.log',
      'pixelunion-2026-11-20.log',
      'notes.txt',
      'pixelunion-garbage.log',
    ];
    for (const name of names) await fsp.writeFile(path.join(folder, name), '{}\n');
    const now = Date.parse('2026-11-20T10:00:00Z');
    expect(await deleteExpiredLogs(folder, 14, now)).toBe(3);
    expect((await fsp.readdir(folder)).sort()).toEqual([
      'notes.txt',
      'pixelunion-2026-11-07.log',
      'pixelunion-2026-11-20.log',
      'pixelunion-garbage.log',
    ]);
    expect(await deleteExpiredLogs(path.join(dir, 'missing'), 14, now)).toBe(0);
  });

  it('are written by a started server, and old ones are deleted at start', async () => {
    const dataDir = path.join(dir, 'server');
    const logDir = path.join(dir, 'server-logs');
    await fsp.mkdir(logDir, { recursive: true });
    const old = path.join(logDir, 'pixelunion-2001-01-01.log');
    await fsp.writeFile(old, '{"old":true}\n');
    const server = await startServerProcess({
      PIXELUNION_DATA_DIR: dataDir,
      DATABASE_URL: '',
      PIXELUNION_LOG_LEVEL: 'info',
      PIXELUNION_LOG_DIR: logDir,
      PIXELUNION_LOG_RETENTION_DAYS: '3',
    });
    try {
      await (await fetch(`${server.url}/api/s/${key}`)).text();
      await (await fetch(`${server.url}/api/health`)).text();
      for (let i = 0; i < 100; i++) {
        const names = await fsp.readdir(logDir);
        const text = await logFilesText(logDir);
        if (!names.includes(path.basename(old)) && text.includes('/api/health')) break;
        await sleep(100);
      }
    } finally {
      await server.stop();
    }
    expect(await fsp.readdir(logDir)).not.toContain(path.basename(old));
    const text = await logFilesText(logDir);
    const requests = linesOf(text).filter((line) => line.req);
    expect(requests.map((line) => line.req?.url)).toEqual(['/api/s/[hidden]', '/api/health']);
    expect(requests.every((line) => line.req?.remoteAddress === '127.0.x.x')).toBe(true);
    expect(text).not.toContain(key);
    expect(JSON.stringify(requests)).not.toContain('127.0.0.1');
  });
});
