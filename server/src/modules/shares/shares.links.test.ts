import { openAsBlob } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, photo, type TestUser } from '../../test/factories.js';
import { dialects, type TestServer } from '../../test/test-server.js';
import {
  createLink,
  startSharingFixture,
  visit,
  type ErrorBody,
  type Link,
} from './shares.testing.js';

const android =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36';

describe.each(dialects)('share links: owner API, uploads and use log on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let stranger: TestUser;
  let album = '';
  let photoId = '';
  let strangersPhoto = '';

  beforeAll(async () => {
    ({ server, owner, stranger, album, photoId, strangersPhoto } =
      await startSharingFixture(dialect));
  });
  afterAll(() => server.close());

  it('denies by default: no download, upload or metadata, expiry from configuration', async () => {
    const link = await createLink(server, owner, { albumId: album });
    expect(link).toMatchObject({
      allowDownload: false,
      showMetadata: false,
      hasPassword: false,
      status: 'active',
      path: `/s/${link.key}`,
    });
    expect(link.key).toMatch(/^[A-Za-z0-9_-]{32}$/); // 192 bits
    const days = (Date.parse(link.expiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    const forever = await createLink(server, owner, { assetIds: [photoId], expiresAt: 'never' });
    expect(forever.expiresAt).toBeNull();
    const refused = [
      { albumId: album, expiresAt: '2001-01-01T00:00:00Z' },
      { albumId: album, assetIds: [photoId] },
      {},
      { assetIds: [photoId], allowUpload: true },
    ];
    for (const body of refused) {
      const response = await api(server, 'POST', '/api/shares', { token: owner.token, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const foreign = await api(server, 'POST', '/api/shares', {
      token: owner.token,
      body: { assetIds: [strangersPhoto] },
    });
    expect(foreign.status).toBe(404);
    const row = await server.ctx.database.db
      .selectFrom('share_links')
      .select(['key', 'key_hash'])
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shares a selection: only the chosen assets', async () => {
    const link = await createLink(server, owner, { assetIds: [photoId] });
    const content = await visit<{ type: string; assets: { id: string }[] }>(
      server,
      'GET',
      `/api/s/${link.key}`,
    );
    expect(content.body.type).toBe('assets');
    expect(content.body.assets.map((a) => a.id)).toEqual([photoId]);
    const other = await visit(server, 'GET', `/api/s/${link.key}/assets/${strangersPhoto}/preview`);
    expect(other.status).toBe(404);
  });

  it('logs views and downloads with a coarse client, never a full address, and purges old entries', async () => {
    const link = await createLink(server, owner, { albumId: album, allowDownload: true });
    const headers = { 'user-agent': android };
    await visit(server, 'GET', `/api/s/${link.key}`, { headers });
    await visit(server, 'GET', `/api/s/${link.key}/assets/${photoId}/original`, { headers });
    await visit(server, 'POST', `/api/s/${link.key}/download`, {
      headers,
      body: { ids: [photoId] },
    });
    await visit(server, 'POST', `/api/s/${link.key}/password`, { body: { password: 'x' } });
    const use = await api<{
      views: number;
      downloads: number;
      events: { kind: string; client: string; assetId: string | null }[];
    }>(server, 'GET', `/api/shares/${link.id}/events`, { token: owner.token });
    expect(use.body).toMatchObject({ views: 1, downloads: 2 });
    expect(use.body.events[0]?.client).toBe('Chrome on Android, 127.0.x.x');
    expect(use.body.events.map((e) => e.kind).sort()).toEqual(['download', 'download', 'view']);

    const db = server.ctx.database.db;
    const stored = [
      ...(await db.selectFrom('share_link_events').selectAll().execute()),
      ...(await db.selectFrom('share_link_passes').selectAll().execute()),
      ...(await db.selectFrom('share_links').selectAll().execute()),
    ];
    expect(JSON.stringify(stored)).not.toMatch(/127\.0\.0\.1|::1\b/);

    const old = Date.now() - 91 * 86_400_000;
    await db
      .insertInto('share_link_events')
      .values({ id: 'old-event', link_id: link.id, kind: 'view', at: old, client: 'x' })
      .execute();
    expect(await server.ctx.shares.purgeLog(90)).toBe(1);
    const left = await db
      .selectFrom('share_link_events')
      .select('id')
      .where('link_id', '=', link.id)
      .execute();
    expect(left.map((e) => e.id)).not.toContain('old-event');
    expect(left).toHaveLength(3);
  });

  it('takes uploads into the owner’s library and album only when allowed, attributed to the link', async () => {
    const closed = await createLink(server, owner, { albumId: album });
    const form = async () => {
      const body = new FormData();
      body.append('file', await openAsBlob(photo('exif-samples/jpg/Canon_40D.jpg')), 'canon.jpg');
      return body;
    };
    const refused = await visit<ErrorBody>(server, 'POST', `/api/s/${closed.key}/upload`, {
      body: await form(),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('UPLOAD_NOT_ALLOWED');
    const before = await api<{ assetIds: string[] }>(server, 'GET', `/api/albums/${album}`, {
      token: owner.token,
    });
    expect(before.body.assetIds).toEqual([photoId]);

    const open = await createLink(server, owner, { albumId: album, allowUpload: true });
    const uploaded = await visit<{ id: string; status: string }>(
      server,
      'POST',
      `/api/s/${open.key}/upload`,
      { body: await form() },
    );
    expect(uploaded.status).toBe(201);
    const after = await api<{ assetIds: string[] }>(server, 'GET', `/api/albums/${album}`, {
      token: owner.token,
    });
    expect(after.body.assetIds).toContain(uploaded.body.id);
    const row = await server.ctx.database.db
      .selectFrom('assets')
      .select(['owner_id', 'uploaded_via_link_id'])
      .where('id', '=', uploaded.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ owner_id: owner.id, uploaded_via_link_id: open.id });
    const use = await api<{ uploads: number }>(server, 'GET', `/api/shares/${open.id}/events`, {
      token: owner.token,
    });
    expect(use.body.uploads).toBe(1);
    await api(server, 'DELETE', `/api/albums/${album}/assets`, {
      token: owner.token,
      body: { ids: [uploaded.body.id] },
    });
  });

  it('lists, filters by album and edits the owner’s links', async () => {
    const link = await createLink(server, owner, { albumId: album, label: 'for grandma' });
    const list = await api<Link[]>(server, 'GET', `/api/shares?albumId=${album}`, {
      token: owner.token,
    });
    expect(list.body.map((l) => l.id)).toContain(link.id);
    const patched = await api<Link & { label: string }>(server, 'PATCH', `/api/shares/${link.id}`, {
      token: owner.token,
      body: { label: 'for grandpa', expiresAt: 'never', allowDownload: true, maxViews: 5 },
    });
    expect(patched.body).toMatchObject({
      label: 'for grandpa',
      expiresAt: null,
      allowDownload: true,
    });
    expect(
      (await api<Link[]>(server, 'GET', '/api/shares', { token: stranger.token })).body,
    ).toEqual([]);
  });
});
