import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, photo, waitForJobs, type TestUser } from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import type { AssetView } from '../assets/assets.view.js';
import {
  exists,
  offsetOf,
  partialFile,
  tusCreate,
  tusPatch,
  tusRequest,
  type TusResponse,
} from './uploads.testing.js';

const nokia = photo('exif-samples/jpg/mobile/HMD_Nokia_8.3_5G.jpg');
const nikon = photo('exif-samples/jpg/Nikon_D70.jpg');

describe.each(dialects)('tus uploads on %s', (dialect) => {
  let server: TestServer;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    // These tests look at the bytes in the data folder: the local file of the embedded mode.
    server = await startTestServer(dialect, {}, { services: 'embedded' });
    admin = await createUser(server);
    other = await createUser(server, { admin });
  });
  afterAll(async () => {
    // Node sometimes does not see a keep-alive connection that last carried a large original as
    // idle, and app.close() then waits for it (seen with POST /api/assets too): close them all.
    server.app.server.closeAllConnections();
    await server.close();
  });

  const assetCount = async (ownerId: string) =>
    (
      await server.ctx.database.db
        .selectFrom('assets')
        .select('id')
        .where('owner_id', '=', ownerId)
        .execute()
    ).length;

  it('announces the protocol', async () => {
    const options = await tusRequest(server, admin, 'OPTIONS', '/api/uploads');
    expect(options.status).toBe(204);
    expect(Object.fromEntries(options.headers)).toMatchObject({
      'tus-resumable': '1.0.0',
      'tus-version': '1.0.0',
      'tus-extension': 'creation,creation-with-upload,termination,expiration',
      'tus-max-size': String(server.ctx.config.maxUploadBytes),
    });
  });

  it('assembles chunks into an asset, byte for byte, with thumbnails, then sees a duplicate', async () => {
    const bytes = await fsp.readFile(nokia);
    const created = await tusCreate(server, admin, bytes.length, {
      meta: {
        filename: 'HMD_Nokia_8.3_5G.jpg',
        filetype: 'image/jpeg',
        fileCreatedAt: '1700000000000',
      },
    });
    expect(created.status).toBe(201);
    expect(created.url).toMatch(/^\/api\/uploads\/[0-9a-f-]{36}$/);
    expect(offsetOf(created)).toBe(0);
    expect(created.headers.get('tus-resumable')).toBe('1.0.0');
    expect(Date.parse(created.headers.get('upload-expires') ?? '')).toBeGreaterThan(Date.now());

    const cuts = [0, 64 * 1024, 1024 * 1024, bytes.length];
    let last: TusResponse | undefined;
    for (let i = 0; i + 1 < cuts.length; i++) {
      last = await tusPatch(
        server,
        admin,
        created.url,
        cuts[i] ?? 0,
        bytes.subarray(cuts[i], cuts[i + 1]),
      );
      expect(last.status).toBe(204);
      expect(offsetOf(last)).toBe(cuts[i + 1]);
      expect(last.headers.get('tus-resumable')).toBe('1.0.0');
      const head = await tusRequest(server, admin, 'HEAD', created.url);
      expect(head.headers.get('cache-control')).toBe('no-store');
      expect(offsetOf(head)).toBe(cuts[i + 1]);
      expect(head.headers.get('upload-length')).toBe(String(bytes.length));
    }
    const assetId = last?.headers.get('pixelunion-asset-id') ?? '';
    expect(last?.headers.get('pixelunion-asset-status')).toBe('created');
    expect(await exists(partialFile(server, created.url))).toBe(false);

    const original = await fetch(`${server.url}/api/assets/${assetId}/original`, {
      headers: admin.headers,
    });
    expect(original.headers.get('content-disposition')).toContain('HMD_Nokia_8.3_5G.jpg');
    expect(Buffer.from(await original.arrayBuffer()).equals(bytes)).toBe(true);
    await waitForJobs(server);
    const asset = await api<AssetView>(server, 'GET', `/api/assets/${assetId}`, {
      token: admin.token,
    });
    expect(asset.body).toMatchObject({ status: 'ready', hasThumbnail: true });
    const thumb = await fetch(`${server.url}/api/assets/${assetId}/thumbnail`, {
      headers: admin.headers,
    });
    expect(thumb.status).toBe(200);

    // A finished upload answers HEAD with its final offset and its asset, for 24 hours.
    const finished = await tusRequest(server, admin, 'HEAD', created.url);
    expect(finished.status).toBe(200);
    expect(offsetOf(finished)).toBe(bytes.length);
    expect(finished.headers.get('pixelunion-asset-id')).toBe(assetId);

    // creation-with-upload, in one request: the same bytes are a duplicate.
    const again = await tusCreate(server, admin, bytes.length, { body: bytes });
    expect(again.status).toBe(201);
    expect(offsetOf(again)).toBe(bytes.length);
    expect(again.headers.get('pixelunion-asset-status')).toBe('duplicate');
    expect(again.headers.get('pixelunion-asset-id')).toBe(assetId);
  });

  it('refuses a wrong offset, a missing length or version, and a wrong content type', async () => {
    const bytes = await fsp.readFile(nikon);
    const { url } = await tusCreate(server, admin, bytes.length);
    await tusPatch(server, admin, url, 0, bytes.subarray(0, 500));
    const wrong = await tusPatch(server, admin, url, 400, bytes.subarray(400, 900));
    expect(wrong.status).toBe(409);
    expect(wrong.body?.error?.code).toBe('UPLOAD_OFFSET_MISMATCH');
    expect(wrong.body?.error?.message).toContain('500');
    expect(wrong.headers.get('tus-resumable')).toBe('1.0.0');
    expect(offsetOf(await tusRequest(server, admin, 'HEAD', url))).toBe(500);

    const past = await tusPatch(server, admin, url, 500, Buffer.alloc(bytes.length));
    expect(past.status).toBe(400);
    expect(past.body?.error?.message).toContain('Upload-Length');

    const noLength = await tusCreate(server, admin, null);
    expect(noLength.status).toBe(400);
    expect(noLength.body?.error?.message).toContain('Upload-Length');
    expect(
      (await tusCreate(server, admin, null, { headers: { 'upload-length': '-5' } })).status,
    ).toBe(400);

    const noVersion = await fetch(`${server.url}/api/uploads`, {
      method: 'POST',
      headers: { ...admin.headers, 'upload-length': '10' },
    });
    expect(noVersion.status).toBe(412);
    expect(noVersion.headers.get('tus-version')).toBe('1.0.0');

    const json = await tusPatch(server, admin, url, 500, bytes.subarray(500), {
      'content-type': 'application/octet-stream',
    });
    expect(json.status).toBe(415);
    expect(json.body?.error?.code).toBe('UNSUPPORTED_CONTENT_TYPE');

    // A refused chunk of several MB is answered, and the connection serves the next request.
    const big = await tusPatch(server, admin, url, 0, Buffer.alloc(8 * 1024 * 1024));
    expect(big.status).toBe(409);
    expect((await tusPatch(server, admin, url, 500, bytes.subarray(500))).status).toBe(204);
  });

  it("hides other users' uploads and requires authentication", async () => {
    const { url } = await tusCreate(server, admin, 1000);
    await tusPatch(server, admin, url, 0, Buffer.alloc(100, 7));
    expect((await tusRequest(server, other, 'HEAD', url)).status).toBe(404);
    expect((await tusPatch(server, other, url, 100, Buffer.alloc(100))).status).toBe(404);
    expect((await tusRequest(server, other, 'DELETE', url)).status).toBe(404);
    expect(offsetOf(await tusRequest(server, admin, 'HEAD', url))).toBe(100);

    for (const method of ['HEAD', 'DELETE'] as const) {
      expect((await tusRequest(server, null, method, url)).status).toBe(401);
    }
    expect((await tusRequest(server, null, 'OPTIONS', '/api/uploads')).status).toBe(401);
    expect((await tusPatch(server, null, url, 100, Buffer.alloc(10))).status).toBe(401);
    const anonymous = await tusCreate(server, null, 100);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body?.error?.code).toBe('UNAUTHENTICATED');
  });

  it('answers 404 to path-like ids and touches nothing outside its folder', async () => {
    const sentinel = path.join(server.dataDir, 'tmp', 'sentinel');
    await fsp.mkdir(path.dirname(sentinel), { recursive: true });
    await fsp.writeFile(sentinel, 'keep me');
    for (const id of ['..%2Fsentinel', '..%2F..%2F..%2F..%2Fetc%2Fpasswd', '%2E%2E']) {
      const url = `/api/uploads/${id}`;
      expect((await tusRequest(server, admin, 'HEAD', url)).status).toBe(404);
      expect((await tusPatch(server, admin, url, 0, Buffer.from('overwrite'))).status).toBe(404);
      expect((await tusRequest(server, admin, 'DELETE', url)).status).toBe(404);
    }
    expect(await fsp.readFile(sentinel, 'utf8')).toBe('keep me');
  });

  it('refuses uploads over the size limit or the quota, counting unfinished ones', async () => {
    const tooBig = await tusCreate(server, admin, 2 ** 50);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body?.error?.code).toBe('FILE_TOO_LARGE');
    expect(tooBig.body?.error?.message).toContain('larger than');

    const user = await createUser(server, { admin, quotaBytes: 100_000 });
    const over = await tusCreate(server, user, 100_001);
    expect(over.status).toBe(413);
    expect(over.body?.error?.code).toBe('QUOTA_EXCEEDED');
    expect(over.body?.error?.message).toContain('quota');
    expect((await tusCreate(server, user, 60_000)).status).toBe(201);
    const reserved = await tusCreate(server, user, 60_000);
    expect(reserved.status).toBe(413);
    expect(reserved.body?.error?.code).toBe('QUOTA_EXCEEDED');
  });

  it('refuses a file that is no photo like the normal upload, keeping nothing', async () => {
    const text = Buffer.from('just some text, not a JPEG at all\n'.repeat(100));
    const { url } = await tusCreate(server, other, text.length, {
      meta: { filename: 'notes.jpg' },
    });
    await tusPatch(server, other, url, 0, text.subarray(0, 1000));
    const refused = await tusPatch(server, other, url, 1000, text.subarray(1000));
    expect(refused.status).toBe(415);
    expect(refused.body?.error?.code).toBe('UNSUPPORTED_MEDIA');
    expect(refused.body?.error?.message).toContain('notes.jpg');
    expect((await tusRequest(server, other, 'HEAD', url)).status).toBe(404);
    expect(await exists(partialFile(server, url))).toBe(false);
    expect(await fsp.readdir(path.join(server.dataDir, 'tmp', 'uploads'))).toEqual([]);
    expect(await assetCount(other.id)).toBe(0);
  });

  it('terminates an upload: row and bytes are gone', async () => {
    const { url } = await tusCreate(server, admin, 5000);
    await tusPatch(server, admin, url, 0, Buffer.alloc(2000, 1));
    expect((await fsp.stat(partialFile(server, url))).size).toBe(2000);
    const deleted = await tusRequest(server, admin, 'DELETE', url);
    expect(deleted.status).toBe(204);
    expect(deleted.headers.get('tus-resumable')).toBe('1.0.0');
    expect(await exists(partialFile(server, url))).toBe(false);
    expect((await tusRequest(server, admin, 'HEAD', url)).status).toBe(404);
    expect((await tusPatch(server, admin, url, 2000, Buffer.alloc(10))).status).toBe(404);
  });

  it('trusts the bytes on disk over the stored offset, and forgets an upload without them', async () => {
    const bytes = await fsp.readFile(nikon);
    const { url } = await tusCreate(server, admin, bytes.length);
    await tusPatch(server, admin, url, 0, bytes.subarray(0, 2000));
    await fsp.truncate(partialFile(server, url), 1500); // bytes lost in a crash of the machine
    expect(offsetOf(await tusRequest(server, admin, 'HEAD', url))).toBe(1500);
    expect((await tusPatch(server, admin, url, 1500, bytes.subarray(1500, 3000))).status).toBe(204);
    await fsp.rm(partialFile(server, url));
    expect((await tusRequest(server, admin, 'HEAD', url)).status).toBe(404);
    expect((await tusPatch(server, admin, url, 3000, bytes.subarray(3000))).status).toBe(404);
  });

  it('purges expired uploads and orphan files', async () => {
    const { url } = await tusCreate(server, admin, 5000);
    await tusPatch(server, admin, url, 0, Buffer.alloc(1000, 2));
    const kept = await tusCreate(server, admin, 5000);
    const orphan = path.join(server.dataDir, 'tmp', 'resumable', 'left-by-a-crash');
    await fsp.writeFile(orphan, 'x');
    await server.ctx.database.db
      .updateTable('resumable_uploads')
      .set({ expires_at: Date.now() - 1000 })
      .where('id', '=', path.basename(url))
      .execute();
    expect((await tusRequest(server, admin, 'HEAD', url)).status).toBe(404);

    expect(await server.ctx.uploads.purgeExpired()).toBe(1);
    const rows = await server.ctx.database.db
      .selectFrom('resumable_uploads')
      .select('id')
      .where('id', '=', path.basename(url))
      .execute();
    expect(rows).toEqual([]);
    expect(await exists(partialFile(server, url))).toBe(false);
    expect(await exists(orphan)).toBe(false);
    expect(await exists(partialFile(server, kept.url))).toBe(true);
  });
});
