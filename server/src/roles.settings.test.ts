import fsp from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from './config.js';
import { dutiesOf } from './roles.js';
import { credentials } from './roles.testing.js';
import { startTestServer } from './test/test-server.js';

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
