import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebApp } from '../../server/src/http/web-app.js';

/** The static serving of the built app, on a bare Fastify instance and a fake build. */
describe('serving the web app', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pixelunion-dist-'));
  const built = Fastify();
  const unbuilt = Fastify();

  beforeAll(async () => {
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    built.get('/api/health', () => ({ status: 'ok' }));
    await registerWebApp(built, root);
    await registerWebApp(unbuilt, path.join(root, 'missing'));
  });
  afterAll(async () => {
    await built.close();
    await unbuilt.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('caches hashed assets for good and revalidates index.html', async () => {
    const asset = await built.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const index = await built.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toContain('<title>app</title>');
  });

  it('answers index.html for app paths, JSON 404 under /api/', async () => {
    const deep = await built.inject({ url: '/albums/123?x=1' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toContain('text/html');
    expect(deep.body).toContain('<title>app</title>');
    const api = await built.inject({ url: '/api/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await built.inject({ url: '/api/health' })).json()).toEqual({ status: 'ok' });
    expect((await built.inject({ url: '/assets/index-old.js' })).statusCode).toBe(404);
    expect((await built.inject({ url: '/favicon.ico' })).statusCode).toBe(404);
  });

  it('says to build the app when web/dist is missing', async () => {
    const page = await unbuilt.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('npm run build');
  });
});
