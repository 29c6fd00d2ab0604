import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type TestUser } from '../../test/factories.js';
import { dialects, type TestServer } from '../../test/test-server.js';
import {
  createLink,
  fetchBytes,
  passCookieOf,
  startSharingFixture,
  visit,
  type ErrorBody,
  type Link,
} from './shares.testing.js';

describe.each(dialects)('share links: password, expiry, views, revocation on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let album = '';
  let photoId = '';

  const contentUrls = (key: string) => [
    ['GET', `/api/s/${key}`],
    ...['thumbnail', 'preview', 'fullsize', 'original'].map((k) => [
      'GET',
      `/api/s/${key}/assets/${photoId}/${k}`,
    ]),
    ['POST', `/api/s/${key}/download`],
  ];

  beforeAll(async () => {
    ({ server, owner, album, photoId } = await startSharingFixture(dialect));
  });
  afterAll(() => server.close());

  it('needs the password on every content request; the cookie is bound to its link', async () => {
    const link = await createLink(server, owner, {
      albumId: album,
      password: 'open sesame',
      allowDownload: true,
    });
    const other = await createLink(server, owner, {
      albumId: album,
      password: 'open sesame',
      allowDownload: true,
    });
    const stored = await server.ctx.database.db
      .selectFrom('share_links')
      .select('password_hash')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);

    for (const [method, url] of contentUrls(link.key)) {
      const bare = await visit<ErrorBody>(server, method ?? '', url ?? '');
      expect(bare.status, `${method} ${url}`).toBe(401);
      expect(bare.body.error.code).toBe('PASSWORD_REQUIRED');
    }
    const wrong = await visit<ErrorBody>(server, 'POST', `/api/s/${link.key}/password`, {
      body: { password: 'open sesam' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('WRONG_PASSWORD');
    expect(passCookieOf(wrong.headers)).toBeUndefined();

    const right = await visit(server, 'POST', `/api/s/${link.key}/password`, {
      body: { password: 'open sesame' },
    });
    expect(right.status).toBe(204);
    const setCookie = right.headers.getSetCookie().join('\n');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain(`Path=/api/s/${link.key}`);
    const cookie = passCookieOf(right.headers);
    for (const [method, url] of contentUrls(link.key)) {
      const response = await visit(server, method ?? '', url ?? '', { cookie });
      expect(response.status, `${method} ${url}`).toBe(200);
    }
    for (const [method, url] of contentUrls(other.key)) {
      const response = await visit(server, method ?? '', url ?? '', { cookie });
      expect(response.status, `other link: ${method} ${url}`).toBe(401);
    }

    // A new password locks out everyone who gave the old one.
    await api(server, 'PATCH', `/api/shares/${link.id}`, {
      token: owner.token,
      body: { password: 'new one' },
    });
    expect((await visit(server, 'GET', `/api/s/${link.key}`, { cookie })).status).toBe(401);
  });

  it('rate-limits wrong passwords per link and client, then refuses even the right one', async () => {
    const link = await createLink(server, owner, { albumId: album, password: 'right' });
    for (let i = 0; i < 3; i++) {
      const wrong = await visit(server, 'POST', `/api/s/${link.key}/password`, {
        body: { password: `wrong ${i}` },
      });
      expect(wrong.status).toBe(401);
    }
    const limited = await visit<ErrorBody>(server, 'POST', `/api/s/${link.key}/password`, {
      body: { password: 'right' },
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    const counters = await server.ctx.database.db.selectFrom('rate_limits').select('key').execute();
    expect(counters.length).toBeGreaterThan(0);
    expect(JSON.stringify(counters)).not.toContain('127.0.0.1');
  });

  it('answers 410 on JSON and files at once after revocation, with no-store caching', async () => {
    const link = await createLink(server, owner, { albumId: album, allowDownload: true });
    const content = await visit(server, 'GET', `/api/s/${link.key}`);
    expect(content.status).toBe(200);
    const thumb = await fetchBytes(server, 'GET', `/api/s/${link.key}/assets/${photoId}/thumbnail`);
    expect(thumb.status).toBe(200);
    for (const headers of [content.headers, thumb.headers]) {
      expect(headers.get('cache-control')).toBe('private, no-store');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect(
      (await api(server, 'DELETE', `/api/shares/${link.id}`, { token: owner.token })).status,
    ).toBe(204);
    for (const [method, url] of contentUrls(link.key)) {
      const response = await visit<ErrorBody>(server, method ?? '', url ?? '');
      expect(response.status, `${method} ${url}`).toBe(410);
      expect(response.body.error.code).toBe('LINK_REVOKED');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    }
    const owned = await api<Link>(server, 'GET', `/api/shares/${link.id}`, { token: owner.token });
    expect(owned.body.status).toBe('revoked');
    const patch = await api(server, 'PATCH', `/api/shares/${link.id}`, {
      token: owner.token,
      body: { expiresAt: 'never' },
    });
    expect(patch.status).toBe(410);
    const page = await fetch(`${server.url}/s/${link.key}`);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('expires: 410 LINK_EXPIRED on JSON and thumbnails', async () => {
    const link = await createLink(server, owner, { albumId: album });
    expect((await visit(server, 'GET', `/api/s/${link.key}`)).status).toBe(200);
    await server.ctx.database.db
      .updateTable('share_links')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', link.id)
      .execute();
    for (const url of [`/api/s/${link.key}`, `/api/s/${link.key}/assets/${photoId}/thumbnail`]) {
      const response = await visit<ErrorBody>(server, 'GET', url);
      expect(response.status).toBe(410);
      expect(response.body.error.code).toBe('LINK_EXPIRED');
    }
  });

  it('counts views and stops at the limit; the last viewer still loads its photos', async () => {
    const link = await createLink(server, owner, { albumId: album, maxViews: 2 });
    const first = await visit(server, 'GET', `/api/s/${link.key}`);
    const second = await visit(server, 'GET', `/api/s/${link.key}`);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await visit<ErrorBody>(server, 'GET', `/api/s/${link.key}`);
    expect(third.status).toBe(410);
    expect(third.body.error.code).toBe('LINK_EXHAUSTED');
    const thumb = `/api/s/${link.key}/assets/${photoId}/thumbnail`;
    expect((await visit(server, 'GET', thumb)).status).toBe(410);
    expect(
      (await visit(server, 'GET', thumb, { cookie: passCookieOf(second.headers) })).status,
    ).toBe(200);
    const owned = await api<Link>(server, 'GET', `/api/shares/${link.id}`, { token: owner.token });
    expect(owned.body).toMatchObject({ viewCount: 2, status: 'exhausted' });
  });

  it('counts a visitor once: a reload with the pass cookie is not another view', async () => {
    const link = await createLink(server, owner, { albumId: album, maxViews: 2 });
    const first = await visit(server, 'GET', `/api/s/${link.key}`);
    const cookie = passCookieOf(first.headers);
    for (let i = 0; i < 3; i++) {
      expect((await visit(server, 'GET', `/api/s/${link.key}`, { cookie })).status).toBe(200);
    }
    const owned = await api<Link>(server, 'GET', `/api/shares/${link.id}`, { token: owner.token });
    expect(owned.body.viewCount).toBe(1);
    // Someone else is a second view, then the limit is reached for newcomers only.
    expect((await visit(server, 'GET', `/api/s/${link.key}`)).status).toBe(200);
    expect((await visit(server, 'GET', `/api/s/${link.key}`)).status).toBe(410);
    expect((await visit(server, 'GET', `/api/s/${link.key}`, { cookie })).status).toBe(200);
  });
});
