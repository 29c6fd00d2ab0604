import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import type { AssetView } from './assets.view.js';

const gpsPhoto = photo('exif-samples/jpg/gps/DSCN0010.jpg');
const canon = photo('exif-samples/jpg/Canon_40D.jpg');

describe.each(dialects)('assets on %s', (dialect) => {
  let server: TestServer;
  let admin: TestUser;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    admin = await createUser(server);
  });
  afterAll(() => server.close());

  it('stores the original byte for byte and recognises a duplicate', async () => {
    const first = await uploadFixture(server, admin, gpsPhoto);
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('created');
    const again = await uploadFixture(server, admin, gpsPhoto);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, status: 'duplicate' });

    const original = await fetch(`${server.url}/api/assets/${first.body.id}/original`, {
      headers: admin.headers,
    });
    expect(original.status).toBe(200);
    expect(original.headers.get('content-disposition')).toContain('DSCN0010.jpg');
    const bytes = Buffer.from(await original.arrayBuffer());
    expect(bytes.equals(await fsp.readFile(gpsPhoto))).toBe(true);
  });

  it('serves byte ranges of the original', async () => {
    const { body } = await uploadFixture(server, admin, canon);
    const whole = await fsp.readFile(canon);
    const partial = await fetch(`${server.url}/api/assets/${body.id}/original`, {
      headers: { ...admin.headers, range: 'bytes=100-199' },
    });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(whole.subarray(100, 200))).toBe(true);
    const outside = await fetch(`${server.url}/api/assets/${body.id}/original`, {
      headers: { ...admin.headers, range: `bytes=${whole.length + 10}-` },
    });
    expect(outside.status).toBe(416);
  });

  it('says which checksums are already present', async () => {
    const sha1 = createHash('sha1')
      .update(await fsp.readFile(gpsPhoto))
      .digest('hex');
    const unknown = 'f'.repeat(40);
    const result = await api<{ existing: { checksum: string }[] }>(
      server,
      'POST',
      '/api/assets/check',
      {
        token: admin.token,
        body: { checksums: [sha1, unknown] },
      },
    );
    expect(result.body.existing.map((e) => e.checksum)).toEqual([sha1]);
    const bad = await api(server, 'POST', '/api/assets/check', {
      token: admin.token,
      body: { checksums: ['nope'] },
    });
    expect(bad.status).toBe(400);
  });

  it('extracts metadata and makes thumbnails in background jobs', async () => {
    const { body } = await uploadFixture(server, admin, gpsPhoto);
    await waitForJobs(server);
    const asset = await api<AssetView>(server, 'GET', `/api/assets/${body.id}`, {
      token: admin.token,
    });
    expect(asset.body).toMatchObject({
      status: 'ready',
      make: 'NIKON',
      model: 'COOLPIX P6000',
      hasThumbnail: true,
    });
    expect(asset.body.localDateTime).toBe('2008-10-22T16:28:39');
    expect(asset.body.latitude).toBeCloseTo(43.4674, 3);
    expect(asset.body.longitude).toBeCloseTo(11.8851, 3);
    const thumb = await fetch(`${server.url}/api/assets/${body.id}/thumbnail`, {
      headers: admin.headers,
    });
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const preview = await fetch(`${server.url}/api/assets/${body.id}/preview`, {
      headers: admin.headers,
    });
    expect(preview.headers.get('content-type')).toBe('image/jpeg');
    const jobs = await api<{ queue: string; completed: number }[]>(server, 'GET', '/api/jobs', {
      token: admin.token,
    });
    expect(jobs.body.find((q) => q.queue === 'thumbnails')?.completed).toBeGreaterThan(0);
  });

  it('refuses a file that is no photo or video, and an empty one', async () => {
    const dir = await fsp.mkdtemp(`${server.dataDir}/fixtures-`);
    await fsp.writeFile(`${dir}/notes.jpg`, 'just some text, not a JPEG at all');
    const text = await uploadFixture(server, admin, `${dir}/notes.jpg`);
    expect(text.status).toBe(415);
    expect(text.body.error?.code).toBe('UNSUPPORTED_MEDIA');
    expect(text.body.error?.message).toContain('notes.jpg');
    await fsp.writeFile(`${dir}/empty.jpg`, '');
    expect((await uploadFixture(server, admin, `${dir}/empty.jpg`)).status).toBe(415);
    expect(await fsp.readdir(`${server.dataDir}/tmp/uploads`)).toEqual([]);
  });

  it('enforces the storage quota without keeping anything', async () => {
    const size = (await fsp.stat(canon)).size;
    const user = await createUser(server, { admin, quotaBytes: size + 10 });
    expect((await uploadFixture(server, user, canon)).status).toBe(201);
    const over = await uploadFixture(server, user, gpsPhoto);
    expect(over.status).toBe(413);
    expect(over.body.error?.code).toBe('QUOTA_EXCEEDED');
    const usage = await api<{ usedBytes: number }>(server, 'GET', '/api/users/me/usage', {
      token: user.token,
    });
    expect(usage.body.usedBytes).toBe(size);
  });

  it('answers an upload refused mid-body and leaves the connection usable for the next request', async () => {
    const user = await createUser(server, { admin, quotaBytes: 1000 });
    const dir = await fsp.mkdtemp(`${server.dataDir}/big-`);
    const big = Buffer.concat([await fsp.readFile(canon), Buffer.alloc(20 * 1024 * 1024, 1)]);
    await fsp.writeFile(`${dir}/big.jpg`, big);
    for (let i = 0; i < 3; i++) {
      const refused = await uploadFixture(server, user, `${dir}/big.jpg`);
      expect(refused.status).toBe(413);
      const me = await fetch(`${server.url}/api/users/me`, {
        headers: user.headers,
        signal: AbortSignal.timeout(5000),
      });
      expect(me.status).toBe(200);
    }
  });

  it('sets favourite, archive, description and a corrected date', async () => {
    const { body } = await uploadFixture(server, admin, photo('exif-samples/jpg/Nikon_D70.jpg'));
    await waitForJobs(server);
    const patched = await api<AssetView>(server, 'PATCH', `/api/assets/${body.id}`, {
      token: admin.token,
      body: {
        isFavorite: true,
        isArchived: true,
        description: 'Lake',
        localDateTime: '2001-02-03T04:05:06',
        utcOffsetMinutes: 60,
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      isFavorite: true,
      isArchived: true,
      description: 'Lake',
      localDateTime: '2001-02-03T04:05:06',
      utcOffsetMinutes: 60,
      takenAt: '2001-02-03T03:05:06.000Z',
      dateSource: 'user',
    });
    const bad = await api<{ error: { message: string } }>(
      server,
      'PATCH',
      `/api/assets/${body.id}`,
      {
        token: admin.token,
        body: { localDateTime: 'yesterday' },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('localDateTime');
  });

  it('sets favourite and archive on a selection at once, refusing ids of others', async () => {
    const a = await uploadFixture(server, admin, photo('exif-samples/jpg/Kodak_CX7530.jpg'));
    const b = await uploadFixture(server, admin, photo('exif-samples/jpg/Olympus_C8080WZ.jpg'));
    const ids = [a.body.id, b.body.id];
    const done = await api(server, 'POST', '/api/assets/update', {
      token: admin.token,
      body: { ids, isFavorite: true, isArchived: true },
    });
    expect(done.status).toBe(204);
    for (const id of ids) {
      const view = await api<AssetView>(server, 'GET', `/api/assets/${id}`, { token: admin.token });
      expect(view.body).toMatchObject({ isFavorite: true, isArchived: true });
    }

    const other = await createUser(server, { admin });
    const own = await uploadFixture(server, other, photo('exif-samples/jpg/Nikon_D70.jpg'));
    const refused = await api<{ error: { code: string } }>(server, 'POST', '/api/assets/update', {
      token: other.token,
      body: { ids: [own.body.id, a.body.id], isFavorite: false },
    });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('NOT_FOUND');
    const untouched = await api<AssetView>(server, 'GET', `/api/assets/${own.body.id}`, {
      token: other.token,
    });
    expect(untouched.body.isFavorite).toBe(false);
    const still = await api<AssetView>(server, 'GET', `/api/assets/${a.body.id}`, {
      token: admin.token,
    });
    expect(still.body.isFavorite).toBe(true);
  });

  it('trashes, restores and deletes for good with every derived file', async () => {
    const { body } = await uploadFixture(server, admin, photo('exif-samples/jpg/Pentax_K10D.jpg'));
    await waitForJobs(server);
    expect(
      (await api(server, 'DELETE', `/api/assets/${body.id}`, { token: admin.token })).status,
    ).toBe(204);
    const trashed = await api<AssetView>(server, 'GET', `/api/assets/${body.id}`, {
      token: admin.token,
    });
    expect(trashed.body.isTrashed).toBe(true);
    await api(server, 'POST', '/api/assets/restore', {
      token: admin.token,
      body: { ids: [body.id] },
    });
    expect(
      (await api<AssetView>(server, 'GET', `/api/assets/${body.id}`, { token: admin.token })).body
        .isTrashed,
    ).toBe(false);

    await api(server, 'POST', '/api/assets/delete', {
      token: admin.token,
      body: { ids: [body.id] },
    });
    await waitForJobs(server);
    expect(
      (await api(server, 'GET', `/api/assets/${body.id}`, { token: admin.token })).status,
    ).toBe(404);
    const left: string[] = [];
    for await (const key of server.ctx.blobs.list('')) if (key.includes(body.id)) left.push(key);
    expect(left).toEqual([]);
  });
});
