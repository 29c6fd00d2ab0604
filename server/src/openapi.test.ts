import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';
import { runDialect, startTestServer, type TestServer } from './test/test-server.js';

describe('OpenAPI document', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(runDialect, {}, { workers: false });
  });
  afterAll(() => server.close());

  it('is OpenAPI 3.1, served at /api/openapi.json, and equal to docs/openapi.json', async () => {
    const served = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(served.openapi).toBe('3.1.0');
    expect(Object.keys(served.paths)).toEqual(
      expect.arrayContaining([
        '/api/assets',
        '/api/assets/{id}',
        '/api/timeline/buckets',
        '/api/auth/login',
      ]),
    );
    const committed = await fsp.readFile(
      path.resolve(import.meta.dirname, '../../docs/openapi.json'),
      'utf8',
    );
    const generated = await openApiDocument(server.app);
    expect(JSON.parse(committed), 'docs/openapi.json is stale: run `npm run openapi`').toEqual(
      JSON.parse(generated),
    );
  });
});
