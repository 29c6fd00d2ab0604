import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, type TestUser } from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';

describe.each(dialects)('accounts on %s', (dialect) => {
  let server: TestServer;
  let admin: TestUser;

  beforeAll(async () => {
    server = await startTestServer(
      dialect,
      { PIXELUNION_LOGIN_MAX_ATTEMPTS: '3' },
      { workers: false },
    );
    admin = await createUser(server);
  });
  afterAll(() => server.close());

  it('tells the public whether setup is needed, until the first account exists', async () => {
    const fresh = await startTestServer(dialect, {}, { workers: false });
    try {
      const before = await api(fresh, 'GET', '/api/auth/status');
      expect(before).toMatchObject({ status: 200, body: { needsSetup: true } });
      await createUser(fresh);
      const after = await api(fresh, 'GET', '/api/auth/status');
      expect(after.body).toEqual({ needsSetup: false });
    } finally {
      await fresh.close();
    }
  });

  it('allows setup only while there are no users', async () => {
    const again = await api<{ error: { code: string } }>(server, 'POST', '/api/auth/setup', {
      body: { email: 'late@example.org', password: 'long enough', name: 'Late' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_SET_UP');
    const me = await api<{ isAdmin: boolean; email: string }>(server, 'GET', '/api/users/me', {
      token: admin.token,
    });
    expect(me.body).toMatchObject({ isAdmin: true, email: admin.email });
  });

  it('stores passwords as argon2id hashes', async () => {
    const row = await server.ctx.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', admin.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain('correct horse');
  });

  it('sets an HttpOnly SameSite session cookie that authenticates', async () => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: 'correct horse battery' }),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/pixelunion_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await fetch(`${server.url}/api/users/me`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(me.status).toBe(200);
  });

  it('rejects requests without or with a bad credential', async () => {
    const none = await api<{ error: { code: string; message: string } }>(
      server,
      'GET',
      '/api/users/me',
    );
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    const bad = await api(server, 'GET', '/api/users/me', { token: 'pus_not-a-session' });
    expect(bad.status).toBe(401);
    const badKey = await api(server, 'GET', '/api/users/me', {
      headers: { 'x-api-key': 'pua_nope' },
    });
    expect(badKey.status).toBe(401);
  });

  it('creates API keys shown once, which authenticate', async () => {
    const created = await api<{ id: string; name: string; key: string }>(
      server,
      'POST',
      '/api/api-keys',
      {
        token: admin.token,
        body: { name: 'cli' },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^pua_/);
    const me = await api<{ id: string }>(server, 'GET', '/api/users/me', {
      headers: { 'x-api-key': created.body.key },
    });
    expect(me.body.id).toBe(admin.id);
    const list = await api<{ id: string; key?: string }[]>(server, 'GET', '/api/api-keys', {
      token: admin.token,
    });
    expect(list.body.map((k) => k.id)).toContain(created.body.id);
    expect(list.body.every((k) => k.key === undefined)).toBe(true);
    await api(server, 'DELETE', `/api/api-keys/${created.body.id}`, { token: admin.token });
    const after = await api(server, 'GET', '/api/users/me', {
      headers: { 'x-api-key': created.body.key },
    });
    expect(after.status).toBe(401);
  });

  it('revokes the session on logout', async () => {
    const user = await createUser(server, { admin });
    expect((await api(server, 'POST', '/api/auth/logout', { token: user.token })).status).toBe(204);
    expect((await api(server, 'GET', '/api/users/me', { token: user.token })).status).toBe(401);
  });

  it('lets only admins create and list users, with a quota', async () => {
    const user = await createUser(server, { admin, quotaBytes: 1234 });
    const me = await api<{ quotaBytes: number; isAdmin: boolean }>(server, 'GET', '/api/users/me', {
      token: user.token,
    });
    expect(me.body).toMatchObject({ quotaBytes: 1234, isAdmin: false });
    const denied = await api<{ error: { code: string } }>(server, 'POST', '/api/users', {
      token: user.token,
      body: { email: 'x@example.org', password: 'long enough', name: 'X' },
    });
    expect(denied.status).toBe(403);
    expect((await api(server, 'GET', '/api/users', { token: user.token })).status).toBe(403);
    const duplicate = await api<{ error: { code: string } }>(server, 'POST', '/api/users', {
      token: admin.token,
      body: { email: user.email.toUpperCase(), password: 'long enough', name: 'Again' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('EMAIL_TAKEN');
  });

  it('names the invalid field', async () => {
    const response = await api<{ error: { code: string; message: string } }>(
      server,
      'POST',
      '/api/auth/login',
      {
        body: { email: 'not-an-email', password: 'x' },
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('email');
  });

  it('rate-limits repeated failed logins, even with the right password after', async () => {
    const user = await createUser(server, { admin });
    for (let i = 0; i < 3; i++) {
      const wrong = await api(server, 'POST', '/api/auth/login', {
        body: { email: user.email, password: 'wrong password' },
      });
      expect(wrong.status).toBe(401);
    }
    const blocked = await api<{ error: { code: string } }>(server, 'POST', '/api/auth/login', {
      body: { email: user.email, password: 'correct horse battery' },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    // The counters are kept under hashes: no email or client address in the table.
    const keys = (
      await server.ctx.database.db.selectFrom('rate_limits').select('key').execute()
    ).map((r) => r.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toContain(user.email);
    expect(keys.join(' ')).not.toContain('127.0.0.1');
  });
  it('deletes the records of ended sessions with the hourly session-expiry task', async () => {
    const fresh = await startTestServer(dialect, {}, { workers: false });
    try {
      const user = await createUser(fresh);
      const { db } = fresh.ctx.database;
      const now = Date.now();
      await db
        .insertInto('sessions')
        .values({
          id: 'ended-session',
          token_hash: 'ended-session-hash',
          user_id: user.id,
          created_at: now - 40 * 86_400_000,
          expires_at: now - 3600_000,
        })
        .execute();
      await fresh.ctx.startWorkers();
      const sessionIds = async () =>
        (await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).map(
          (row) => row.id,
        );
      await expect.poll(sessionIds).not.toContain('ended-session');
      expect(await sessionIds()).toHaveLength(1);
      expect((await api(fresh, 'GET', '/api/users/me', { token: user.token })).status).toBe(200);
      // The next round is due an hour later, in whichever worker process claims it first.
      const nextRun = async () =>
        (
          await db
            .selectFrom('periodic_runs')
            .select('next_run_at')
            .where('name', '=', 'session-expiry')
            .executeTakeFirst()
        )?.next_run_at ?? 0;
      expect(await nextRun()).toBeGreaterThan(now + 3500_000);
    } finally {
      await fresh.close();
    }
  });
});
