import { once } from 'node:events';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeoutTree, zipTree } from '../modules/takeout/takeout.testing.js';
import type { TakeoutProgress } from '../modules/takeout/takeout.view.js';
import { api, createApiKey, createUser, type TestUser } from '../test/factories.js';
import { startTestServer, type TestServer } from '../test/test-server.js';
import { startProxy } from './cli.testing.js';
import { TusClient } from './tus-client.js';

describe('the tus client', () => {
  let server: TestServer;
  let admin: TestUser;
  let apiKey: string;
  let dir: string;
  let zips: string[];

  beforeAll(async () => {
    server = await startTestServer();
    admin = await createUser(server);
    apiKey = await createApiKey(server, admin, 'tus client');
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tus-client-'));
    zips = [await zipTree(takeoutTree('Takeout1'), path.join(dir, 'takeout-001.zip'))];
  });
  afterAll(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('sends a file in chunks and carries on after a dropped connection', async () => {
    const created = await api<TakeoutProgress>(server, 'POST', '/api/takeout/imports', {
      token: admin.token,
    });
    const proxy = await startProxy(server.url);
    try {
      const file = zips[0] ?? '';
      const { size } = await fsp.stat(file);
      proxy.cutAt = Math.floor(size / 2);
      const logged: string[] = [];
      const offsets: number[] = [];
      const client = new TusClient(
        `${proxy.url}/api/uploads`,
        { 'x-api-key': apiKey },
        {
          chunkBytes: 256 * 1024,
          // Growing waits: on object storage the cut request keeps the upload (423) until
          // the bytes it received are stored, which takes a moment.
          retry: { maxFailures: 5, delayMs: (failure) => 10 * 4 ** (failure - 1) },
          log: (l) => logged.push(l),
        },
      );
      let url = '';
      const result = await client.upload({
        file,
        metadata: { filename: 'takeout-001.zip', takeoutImportId: created.body.id },
        onUrl: (u) => {
          url = u;
        },
        onProgress: (offset) => offsets.push(offset),
      });
      expect(result).toMatchObject({ url, length: size, assetStatus: 'takeout-part' });
      expect(logged.length).toBeGreaterThanOrEqual(1);
      expect(logged[0]).toMatch(/asking the server where to continue/);
      // After the one dropped connection, only waits for the cut request to let go: 423 while it
      // stores what it received, or 409 when it saved a newer offset after the client asked.
      for (const line of logged.slice(1)) {
        expect(line).toMatch(/\b423\b.*another request|expected another offset/i);
      }
      expect(offsets.at(-1)).toBe(size);
      // Less than the file sent twice: it went on from the server's offset.
      expect(proxy.upstream).toBeLessThan(size * 1.6);

      const progress = await api<TakeoutProgress>(
        server,
        'GET',
        `/api/takeout/imports/${created.body.id}`,
        { token: admin.token },
      );
      expect(progress.body.parts).toEqual([
        expect.objectContaining({ id: result.assetId, size, fileName: 'takeout-001.zip' }),
      ]);
      // Asked again for a finished upload, it answers the same part without sending a byte.
      const sent = proxy.upstream;
      const again = await client.upload({ file, metadata: {}, url });
      expect(again.assetId).toBe(result.assetId);
      expect(proxy.upstream - sent).toBeLessThan(2000);
    } finally {
      await proxy.close();
      await api(server, 'POST', `/api/takeout/imports/${created.body.id}/cancel`, {
        token: admin.token,
      });
    }
  });

  it('gives up after five failures in a row, saying why', async () => {
    const closed = net.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = new TusClient(
      `http://127.0.0.1:${port}/api/uploads`,
      {},
      {
        retry: { maxFailures: 5, delayMs: () => 1 },
      },
    );
    await expect(client.upload({ file: zips[0] ?? '', metadata: {} })).rejects.toThrow(
      /gave up after 5 failures in a row \(last: .*ECONNREFUSED/,
    );
  });
});
