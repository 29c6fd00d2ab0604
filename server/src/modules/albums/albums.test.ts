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

interface Album {
  id: string;
  title: string;
  description: string | null;
  coverAssetId: string | null;
  assetCount: number;
  startDate: string | null;
  endDate: string | null;
  assetIds?: string[];
  items?: { id: string; ratio: number; thumbhash: string | null; type: string }[];
}

// Capture dates from each file's EXIF DateTimeOriginal.
const files = {
  gps10: { path: 'exif-samples/jpg/gps/DSCN0010.jpg', local: '2008-10-22T16:28:39' },
  canon: { path: 'exif-samples/jpg/Canon_40D.jpg', local: '2008-05-30T15:56:01.000' },
  nikon: { path: 'exif-samples/jpg/Nikon_D70.jpg', local: null },
};

describe.each(dialects)('albums on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let stranger: TestUser;
  const ids: Record<string, string> = {};
  let strangersPhoto = '';

  beforeAll(async () => {
    server = await startTestServer(dialect);
    owner = await createUser(server);
    stranger = await createUser(server, { admin: owner });
    for (const [name, file] of Object.entries(files)) {
      ids[name] = (await uploadFixture(server, owner, photo(file.path))).body.id;
    }
    strangersPhoto = (await uploadFixture(server, stranger, photo(files.gps10.path))).body.id;
    await waitForJobs(server);
  });
  afterAll(() => server.close());

  // T is the caller's expectation of the JSON body, as in factories.ts `api`.
  /* eslint-disable @typescript-eslint/no-unnecessary-type-parameters */
  const as = (user: TestUser) => ({
    get: <T = unknown>(url: string) => api<T>(server, 'GET', url, { token: user.token }),
    send: <T = unknown>(method: string, url: string, body?: unknown) =>
      api<T>(server, method, url, { token: user.token, body }),
  });
  /* eslint-enable @typescript-eslint/no-unnecessary-type-parameters */

  it('creates an album with photos, lists it with its count, dates and cover', async () => {
    const created = await as(owner).send<Album>('POST', '/api/albums', {
      title: '  Summer  ',
      assetIds: [ids.gps10, ids.canon],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Summer',
      assetCount: 2,
      startDate: files.canon.local,
      endDate: files.gps10.local,
      coverAssetId: ids.gps10,
      assetIds: [ids.gps10, ids.canon],
    });
    // The grid's facts come in the same order: DSCN0010 and Canon_40D are landscape photos.
    expect(created.body.items?.map((i) => i.id)).toEqual(created.body.assetIds);
    for (const item of created.body.items ?? []) {
      expect(item).toMatchObject({ type: 'image' });
      expect(item.ratio).toBeGreaterThan(1);
      expect(item.thumbhash).toBeTruthy();
    }
    const list = await as(owner).get<Album[]>('/api/albums');
    expect(list.body.map((a) => a.id)).toContain(created.body.id);
    expect(list.body.find((a) => a.id === created.body.id)?.assetCount).toBe(2);
    const untitled = await as(owner).send<Album>('POST', '/api/albums', { title: '' });
    expect(untitled.body).toMatchObject({ title: '', assetCount: 0, coverAssetId: null });
  });

  it('adds, removes, reorders, renames and sets a cover', async () => {
    const { body: album } = await as(owner).send<Album>('POST', '/api/albums', { title: 'Trip' });
    const added = await as(owner).send<{ added: number }>(
      'POST',
      `/api/albums/${album.id}/assets`,
      {
        ids: [ids.gps10, ids.canon, ids.gps10],
      },
    );
    expect(added.body).toEqual({ added: 2 });
    const again = await as(owner).send<{ added: number }>(
      'POST',
      `/api/albums/${album.id}/assets`,
      {
        ids: [ids.canon, ids.nikon],
      },
    );
    expect(again.body).toEqual({ added: 1 });

    const patched = await as(owner).send<Album>('PATCH', `/api/albums/${album.id}`, {
      title: 'Trip 2008',
      description: 'Lakes',
      coverAssetId: ids.canon,
      sortOrder: 'asc',
    });
    expect(patched.body).toMatchObject({ title: 'Trip 2008', description: 'Lakes' });
    expect(patched.body.coverAssetId).toBe(ids.canon);
    const ascending = patched.body.assetIds ?? [];
    expect(ascending.indexOf(ids.canon ?? '')).toBeLessThan(ascending.indexOf(ids.gps10 ?? ''));
    const descending = await as(owner).send<Album>('PATCH', `/api/albums/${album.id}`, {
      sortOrder: 'desc',
    });
    expect(descending.body.assetIds).toEqual([...ascending].reverse());

    const badCover = await as(owner).send<{ error: { message: string } }>(
      'PATCH',
      `/api/albums/${album.id}`,
      { coverAssetId: strangersPhoto },
    );
    expect(badCover.status).toBe(400);
    expect(badCover.body.error.message).toContain('cover');

    const removed = await as(owner).send<{ removed: number }>(
      'DELETE',
      `/api/albums/${album.id}/assets`,
      { ids: [ids.canon] },
    );
    expect(removed.body).toEqual({ removed: 1 });
    const after = await as(owner).get<Album>(`/api/albums/${album.id}`);
    expect(after.body.assetIds).not.toContain(ids.canon);
    // The chosen cover left the album: the newest photo stands in.
    expect(after.body.coverAssetId).not.toBe(ids.canon);
  });

  it('hides trashed photos until restored, and deleting the album keeps the photos', async () => {
    const { body: album } = await as(owner).send<Album>('POST', '/api/albums', {
      title: 'Keep',
      assetIds: [ids.gps10, ids.canon],
    });
    await as(owner).send('POST', '/api/assets/trash', { ids: [ids.canon] });
    const hidden = await as(owner).get<Album>(`/api/albums/${album.id}`);
    expect(hidden.body).toMatchObject({ assetCount: 1, assetIds: [ids.gps10] });
    await as(owner).send('POST', '/api/assets/restore', { ids: [ids.canon] });
    expect((await as(owner).get<Album>(`/api/albums/${album.id}`)).body.assetCount).toBe(2);

    const deleted = await as(owner).send('DELETE', `/api/albums/${album.id}`);
    expect(deleted.status).toBe(204);
    expect((await as(owner).get(`/api/albums/${album.id}`)).status).toBe(404);
    expect((await as(owner).get(`/api/assets/${ids.canon}`)).status).toBe(200);
  });

  it('keeps albums and other people’s photos apart: 404, never a hint', async () => {
    const { body: album } = await as(owner).send<Album>('POST', '/api/albums', {
      title: 'Private',
      assetIds: [ids.gps10],
    });
    for (const [method, url, body] of [
      ['GET', `/api/albums/${album.id}`, undefined],
      ['PATCH', `/api/albums/${album.id}`, { title: 'Mine now' }],
      ['DELETE', `/api/albums/${album.id}`, undefined],
      ['POST', `/api/albums/${album.id}/assets`, { ids: [strangersPhoto] }],
      ['DELETE', `/api/albums/${album.id}/assets`, { ids: [ids.gps10] }],
    ] as const) {
      const response = await as(stranger).send<{ error: { code: string } }>(method, url, body);
      expect(response.status, `${method} ${url}`).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
    expect((await as(stranger).get<Album[]>('/api/albums')).body).toEqual([]);

    const smuggle = await as(owner).send<{ error: { code: string } }>(
      'POST',
      `/api/albums/${album.id}/assets`,
      { ids: [strangersPhoto] },
    );
    expect(smuggle.status).toBe(404);
    const intact = await as(owner).get<Album>(`/api/albums/${album.id}`);
    expect(intact.body).toMatchObject({ title: 'Private', assetIds: [ids.gps10] });
    expect((await api(server, 'GET', '/api/albums')).status).toBe(401);
  });

  it('drops a photo deleted for good from its albums', async () => {
    const extra = (await uploadFixture(server, owner, photo('exif-samples/jpg/Pentax_K10D.jpg')))
      .body.id;
    const { body: album } = await as(owner).send<Album>('POST', '/api/albums', {
      title: 'Gone',
      assetIds: [extra, ids.gps10],
    });
    await as(owner).send('POST', '/api/assets/trash', { ids: [extra] });
    await as(owner).send('POST', '/api/assets/delete', { ids: [extra] });
    const after = await as(owner).get<Album>(`/api/albums/${album.id}`);
    expect(after.body.assetIds).toEqual([ids.gps10]);
  });
});
