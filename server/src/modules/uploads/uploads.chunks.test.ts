import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeys } from '../../storage/blob-store.js';
import { startLocalS3, type LocalS3 } from '../../storage/s3rver.testing.js';
import { createUser, photo, type TestUser } from '../../test/factories.js';
import {
  dialects,
  freshPostgresDatabase,
  startTestServer,
  type TestServer,
} from '../../test/test-server.js';
import { chainOf } from './uploads.chunk-bytes.js';
import {
  exists,
  offsetOf,
  openPatch,
  partialFile,
  tusCreate,
  tusPatch,
  tusRequest,
  until,
} from './uploads.testing.js';

const nokia = photo('exif-samples/jpg/mobile/HMD_Nokia_8.3_5G.jpg');
const nikon = photo('exif-samples/jpg/Nikon_D70.jpg');
const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');
const idOf = (url: string) => path.basename(url);

/** The chunk objects of one upload (or of all the owner's uploads), as offset → size. */
async function chunksOf(server: TestServer, ownerId: string, url?: string) {
  const prefix = url ? `uploads/${ownerId}/${idOf(url)}/` : `uploads/${ownerId}/`;
  const chunks: Record<string, number> = {};
  for await (const { key, size } of server.ctx.blobs.listWithSizes(prefix)) {
    chunks[url ? String(Number(key.slice(prefix.length))) : key] = size;
  }
  return chunks;
}

/** Bytes a server is receiving into local files before they become a chunk object. */
async function receiving(server: TestServer): Promise<number> {
  const dir = path.join(server.dataDir, 'tmp', 'blobs');
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const name of names.filter((n) => n.endsWith('.upload'))) {
    total += await fsp.stat(path.join(dir, name)).then(
      (stat) => stat.size,
      () => 0,
    );
  }
  return total;
}

async function originalOf(server: TestServer, user: TestUser, assetId: string): Promise<Buffer> {
  const response = await fetch(`${server.url}/api/assets/${assetId}/original`, {
    headers: user.headers,
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function putChunk(server: TestServer, key: string, bytes: Buffer): Promise<void> {
  const file = path.join(server.dataDir, `${randomUUID()}.test`);
  await fsp.writeFile(file, bytes);
  await server.ctx.blobs.putFile(key, file);
}

describe('chainOf', () => {
  const chunk = (start: number, size: number) => ({ key: `k${start}`, start, size });
  const used = (chain: ReturnType<typeof chainOf>) =>
    chain.parts.map((part) => [part.start, part.bytes]);

  it('follows chunks that meet end to end, up to the first gap', () => {
    const chain = chainOf([chunk(300, 50), chunk(0, 100), chunk(100, 150), chunk(260, 10)]);
    expect(used(chain)).toEqual([
      [0, 100],
      [100, 150],
    ]);
    expect(chain.reached).toBe(250);
    expect(chainOf([chunk(100, 50)]).reached).toBe(0);
    expect(chainOf([]).reached).toBe(0);
  });

  it('cuts a chunk where a later write at a smaller offset starts, and stops at the end asked', () => {
    const chain = chainOf([chunk(0, 500), chunk(200, 100), chunk(300, 400)], 600);
    expect(used(chain)).toEqual([
      [0, 200],
      [200, 100],
      [300, 300],
    ]);
    expect(chain.reached).toBe(600);
  });
});

describe.each(dialects)('tus upload bytes on object storage, %s', (dialect) => {
  let s3: LocalS3;
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    s3 = await startLocalS3();
    server = await startTestServer(dialect, { ...s3.env(), PIXELUNION_DATA_RESIDENCY: 'off' });
    user = await createUser(server);
  });
  afterAll(async () => {
    await server.close();
    await s3.stop();
  });

  it('keeps each request as a chunk object, and assembles them into the original', async () => {
    const bytes = await fsp.readFile(nokia);
    const { url } = await tusCreate(server, user, bytes.length, {
      meta: { filename: 'HMD_Nokia_8.3_5G.jpg' },
    });
    expect((await tusPatch(server, user, url, 0, bytes.subarray(0, 100_000))).status).toBe(204);
    const second = await tusPatch(server, user, url, 100_000, bytes.subarray(100_000, 1_000_000));
    expect(offsetOf(second)).toBe(1_000_000);
    expect(await chunksOf(server, user.id, url)).toEqual({ 0: 100_000, 100000: 900_000 });
    expect(await exists(partialFile(server, url))).toBe(false);

    const last = await tusPatch(server, user, url, 1_000_000, bytes.subarray(1_000_000));
    expect(last.status).toBe(204);
    expect(last.headers.get('pixelunion-asset-status')).toBe('created');
    const assetId = last.headers.get('pixelunion-asset-id') ?? '';
    expect(sha1(await originalOf(server, user, assetId))).toBe(sha1(bytes));
    expect(await chunksOf(server, user.id, url)).toEqual({});
    expect(await receiving(server)).toBe(0);
    expect(offsetOf(await tusRequest(server, user, 'HEAD', url))).toBe(bytes.length);
  });

  it('assembles an upload sent in many requests, without piling listeners on the file', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const bytes = Buffer.concat([await fsp.readFile(nikon), randomBytes(1)]);
      const { url } = await tusCreate(server, user, bytes.length);
      const size = Math.ceil(bytes.length / 14);
      let assetId = '';
      for (let offset = 0; offset < bytes.length; offset += size) {
        const sent = await tusPatch(
          server,
          user,
          url,
          offset,
          bytes.subarray(offset, offset + size),
        );
        expect(sent.status).toBe(204);
        assetId = sent.headers.get('pixelunion-asset-id') ?? assetId;
      }
      expect(sha1(await originalOf(server, user, assetId))).toBe(sha1(bytes));
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('lowers the offset to the chunks left, drops chunks the offset never counted', async () => {
    const bytes = await fsp.readFile(nikon);
    const { url } = await tusCreate(server, user, bytes.length);
    for (const [from, to] of [
      [0, 1000],
      [1000, 3000],
      [3000, 6000],
    ] as const) {
      expect((await tusPatch(server, user, url, from, bytes.subarray(from, to))).status).toBe(204);
    }
    // A chunk deleted behind the server's back: what follows it is of no use either.
    await server.ctx.blobs.delete(blobKeys.uploadChunk(user.id, idOf(url), 1000));
    expect(offsetOf(await tusRequest(server, user, 'HEAD', url))).toBe(1000);
    expect((await tusPatch(server, user, url, 3000, bytes.subarray(3000, 4000))).status).toBe(409);

    // Left by writes whose offset was never saved (a crash after the object was complete).
    await putChunk(server, blobKeys.uploadChunk(user.id, idOf(url), 1000), randomBytes(700));
    await putChunk(server, blobKeys.uploadChunk(user.id, idOf(url), 5000), randomBytes(300));
    expect((await tusPatch(server, user, url, 1000, bytes.subarray(1000, 2000))).status).toBe(204);
    expect(await chunksOf(server, user.id, url)).toEqual({ 0: 1000, 1000: 1000 });

    const last = await tusPatch(server, user, url, 2000, bytes.subarray(2000));
    expect(last.headers.get('pixelunion-asset-status')).toBe('created');
    const original = await originalOf(server, user, last.headers.get('pixelunion-asset-id') ?? '');
    expect(sha1(original)).toBe(sha1(bytes));
  });

  it('forgets an upload that crashed while being finished, and removes its chunks', async () => {
    const { url } = await tusCreate(server, user, 5000);
    await tusPatch(server, user, url, 0, randomBytes(2000));
    await server.ctx.database.db
      .updateTable('resumable_uploads')
      .set({ upload_offset: 5000 })
      .where('id', '=', idOf(url))
      .execute();
    expect((await tusRequest(server, user, 'HEAD', url)).status).toBe(404);
    expect(await chunksOf(server, user.id, url)).toEqual({});
  });

  it('removes the chunks of a terminated upload', async () => {
    const { url } = await tusCreate(server, user, 5000);
    await tusPatch(server, user, url, 0, randomBytes(2000));
    expect(await chunksOf(server, user.id, url)).toEqual({ 0: 2000 });
    expect((await tusRequest(server, user, 'DELETE', url)).status).toBe(204);
    expect(await chunksOf(server, user.id, url)).toEqual({});
  });

  it('purges the chunks of expired uploads and chunks without an upload', async () => {
    const expired = await tusCreate(server, user, 5000);
    await tusPatch(server, user, expired.url, 0, randomBytes(1000));
    const kept = await tusCreate(server, user, 5000);
    await tusPatch(server, user, kept.url, 0, randomBytes(1500));
    const orphan = blobKeys.uploadChunk(user.id, randomUUID(), 0);
    await putChunk(server, orphan, randomBytes(10));
    await server.ctx.database.db
      .updateTable('resumable_uploads')
      .set({ expires_at: Date.now() - 1000 })
      .where('id', '=', idOf(expired.url))
      .execute();

    expect(await server.ctx.uploads.purgeExpired()).toBe(1);
    expect(await chunksOf(server, user.id, expired.url)).toEqual({});
    expect(await server.ctx.blobs.size(orphan)).toBeNull();
    expect(await chunksOf(server, user.id, kept.url)).toEqual({ 0: 1500 });
    expect((await tusRequest(server, user, 'HEAD', expired.url)).status).toBe(404);
  });
});

// Two api processes, each with its own data folder, sharing the database and the bucket.
describe.runIf(dialects.includes('postgres'))('tus upload across two servers', () => {
  let s3: LocalS3;
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let first: TestServer;
  let second: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    s3 = await startLocalS3();
    database = await freshPostgresDatabase();
    const env = { ...s3.env(), PIXELUNION_DATA_RESIDENCY: 'off', DATABASE_URL: database.url };
    first = await startTestServer('postgres', env);
    second = await startTestServer('postgres', env, { workers: false });
    user = await createUser(first);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await database.drop();
    await s3.stop();
  });

  it('takes the chunks of one upload on either server, a cut one included', async () => {
    const bytes = await fsp.readFile(nokia);
    const half = Math.floor(bytes.length / 2);
    const { url } = await tusCreate(first, user, bytes.length, {
      meta: { filename: 'HMD_Nokia_8.3_5G.jpg' },
    });
    expect((await tusPatch(first, user, url, 0, bytes.subarray(0, 300_000))).status).toBe(204);
    const elsewhere = await tusPatch(second, user, url, 0, bytes.subarray(0, 1000));
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body?.error?.code).toBe('UPLOAD_OFFSET_MISMATCH');
    expect(offsetOf(await tusRequest(second, user, 'HEAD', url))).toBe(300_000);

    // The rest of the first half, announced whole but cut after 400,000 bytes.
    const sent = bytes.subarray(300_000, 700_000);
    const cut = openPatch(first, user, url, 300_000, sent, half - 300_000);
    await until(async () => (await receiving(first)) >= sent.length);
    const meanwhile = await tusPatch(second, user, url, 300_000, bytes.subarray(300_000, 400_000));
    expect(meanwhile.status).toBe(423);
    cut.cut();
    await until(async () => {
      const head = await tusRequest(second, user, 'HEAD', url);
      return head.status === 200 && offsetOf(head) > 300_000;
    });
    expect(offsetOf(await tusRequest(second, user, 'HEAD', url))).toBe(700_000);
    expect(await chunksOf(second, user.id, url)).toEqual({ 0: 300_000, 300000: 400_000 });

    const rest = await tusPatch(second, user, url, 700_000, bytes.subarray(700_000));
    expect(rest.status).toBe(204);
    expect(rest.headers.get('pixelunion-asset-status')).toBe('created');
    const assetId = rest.headers.get('pixelunion-asset-id') ?? '';
    const finished = await tusRequest(first, user, 'HEAD', url);
    expect(finished.headers.get('pixelunion-asset-id')).toBe(assetId);
    expect(sha1(await originalOf(first, user, assetId))).toBe(sha1(bytes));
    expect(await chunksOf(first, user.id)).toEqual({});
    expect(await receiving(first)).toBe(0);
    expect(await receiving(second)).toBe(0);
  });
});
