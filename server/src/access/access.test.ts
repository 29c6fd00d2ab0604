import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../test/test-server.js';

/** Every asset endpoint, called by user B with user A's asset id. */
const endpoints = (id: string): { method: string; url: string; body?: unknown }[] => [
  { method: 'GET', url: `/api/assets/${id}` },
  { method: 'GET', url: `/api/assets/${id}/original` },
  { method: 'GET', url: `/api/assets/${id}/thumbnail` },
  { method: 'GET', url: `/api/assets/${id}/preview` },
  { method: 'PATCH', url: `/api/assets/${id}`, body: { isFavorite: true } },
  { method: 'DELETE', url: `/api/assets/${id}` },
  { method: 'POST', url: '/api/assets/trash', body: { ids: [id] } },
  { method: 'POST', url: '/api/assets/restore', body: { ids: [id] } },
  { method: 'POST', url: '/api/assets/delete', body: { ids: [id] } },
];

describe.each(dialects)("another user's assets on %s", (dialect) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let aliceAsset: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    alice = await createUser(server);
    bob = await createUser(server, { admin: alice });
    aliceAsset = (await uploadFixture(server, alice, photo('exif-samples/jpg/gps/DSCN0012.jpg')))
      .body.id;
    await waitForJobs(server);
  });
  afterAll(() => server.close());

  const cases = endpoints(':id').map((e, index) => [`${e.method} ${e.url}`, index] as const);
  it.each(cases)('%s answers 404 to user B', async (_name, index) => {
    const endpoint = endpoints(aliceAsset)[index];
    if (!endpoint) throw new Error('no such endpoint');
    const response = await api<{ error: { code: string } }>(server, endpoint.method, endpoint.url, {
      token: bob.token,
      body: endpoint.body,
    });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });

  it("empties only the caller's own trash", async () => {
    await api(server, 'DELETE', `/api/assets/${aliceAsset}`, { token: alice.token });
    const emptied = await api<{ deleted: number }>(server, 'POST', '/api/trash/empty', {
      token: bob.token,
    });
    expect(emptied.body.deleted).toBe(0);
    const still = await api<{ isTrashed: boolean }>(server, 'GET', `/api/assets/${aliceAsset}`, {
      token: alice.token,
    });
    expect(still.body.isTrashed).toBe(true);
    await api(server, 'POST', '/api/assets/restore', {
      token: alice.token,
      body: { ids: [aliceAsset] },
    });
  });

  it("refuses a non-admin changing anyone's quota, its own included", async () => {
    for (const id of [alice.id, bob.id]) {
      const response = await api<{ error: { code: string } }>(server, 'PATCH', `/api/users/${id}`, {
        token: bob.token,
        body: { quotaBytes: 1 },
      });
      expect(response.status).toBe(403);
    }
    const me = await api<{ quotaBytes: number | null }>(server, 'GET', '/api/users/me', {
      token: bob.token,
    });
    expect(me.body.quotaBytes).toBeNull();
  });

  it("leaves A's asset untouched and invisible in B's timeline and checksum check", async () => {
    const asset = await api<{ isFavorite: boolean; isTrashed: boolean }>(
      server,
      'GET',
      `/api/assets/${aliceAsset}`,
      {
        token: alice.token,
      },
    );
    expect(asset.body).toMatchObject({ isFavorite: false, isTrashed: false });
    const buckets = await api<unknown[]>(server, 'GET', '/api/timeline/buckets', {
      token: bob.token,
    });
    expect(buckets.body).toEqual([]);
    const checksum = (
      await api<{ checksum: string }>(server, 'GET', `/api/assets/${aliceAsset}`, {
        token: alice.token,
      })
    ).body.checksum;
    const check = await api<{ existing: unknown[] }>(server, 'POST', '/api/assets/check', {
      token: bob.token,
      body: { checksums: [checksum] },
    });
    expect(check.body.existing).toEqual([]);
  });

  it('answers 401 to every asset, timeline, job and user endpoint without credentials', async () => {
    const others = [
      { method: 'GET', url: '/api/timeline/buckets' },
      { method: 'GET', url: '/api/timeline/buckets/2008-10' },
      { method: 'GET', url: '/api/jobs' },
      { method: 'POST', url: '/api/trash/empty' },
      { method: 'POST', url: '/api/assets/check', body: { checksums: [] } },
      { method: 'GET', url: '/api/users/me/usage' },
      { method: 'PATCH', url: `/api/users/${alice.id}`, body: { quotaBytes: 1 } },
    ];
    for (const e of [...endpoints(aliceAsset), ...others]) {
      const response = await api(server, e.method, e.url, { body: e.body });
      expect(response.status, `${e.method} ${e.url}`).toBe(401);
    }
  });
});
