import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../db/database.js';
import {
  api,
  createUser,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { dialects, runDialect, startTestServer, type TestServer } from '../../test/test-server.js';
import type { ErrorBody } from '../shares/shares.testing.js';
import { takeoutTree, zipTree } from '../takeout/takeout.testing.js';
import { describeFindings, tracesOf } from './erasure.scan.js';
import { userBlobPrefixes } from './erasure.targets.js';
import type { ErasureReceipt, ErasureRequested, ErasureStatus } from './erasure.view.js';
import {
  bobsFile,
  expectBobIntact,
  makeDue,
  password,
  populate,
  repoOf,
  scan,
  statusOf,
  tracesOfAlice,
  aliceFiles,
  visitorsFile,
} from './erasure.testing.js';

let scratch: string;
let takeoutZip: string;

beforeAll(async () => {
  scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'pixelunion-erasure-'));
  takeoutZip = await zipTree(
    takeoutTree('Takeout1'),
    path.join(scratch, 'takeout-20231010T090000Z-001.zip'),
  );
});
afterAll(async () => {
  await fsp.rm(scratch, { recursive: true, force: true });
});

describe.each(dialects)('account erasure on %s', (dialect: Dialect) => {
  let server: TestServer;
  let admin: TestUser;
  let bob: TestUser;
  let bobsPhoto = '';

  beforeAll(async () => {
    server = await startTestServer(dialect);
    admin = await createUser(server);
    bob = await createUser(server, { admin });
    bobsPhoto = (await uploadFixture(server, bob, bobsFile)).body.id;
    await waitForJobs(server);
  }, 120_000);
  afterAll(() => server.close());

  it('derives the per-user blob folders from the store’s key layout', () => {
    expect(userBlobPrefixes('u1')).toEqual(
      expect.arrayContaining([
        'originals/u1/',
        'thumbnails/u1/',
        'previews/u1/',
        'fullsize/u1/',
        'stripped/u1/',
        'motion/u1/',
        'exports/u1/',
        'uploads/u1/',
        'takeout/u1/',
      ]),
    );
  });

  it('erases after the grace period: nothing of the user is left anywhere, others keep theirs', async () => {
    const alice = await populate(server, admin, bob, bobsPhoto, takeoutZip);
    const { user } = alice;

    const wrong = await api<ErrorBody>(server, 'POST', '/api/account/erasure', {
      token: user.token,
      body: { password: 'not it' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toMatch(/password/i);
    expect((await statusOf(server, user.token)).scheduled).toBe(false);

    const before = Date.now();
    const requested = await api<ErasureRequested>(server, 'POST', '/api/account/erasure', {
      token: user.token,
      body: { password },
    });
    expect(requested.status).toBe(202);
    const { receiptToken } = requested.body;
    expect(requested.body.status).toBe('scheduled');
    const days = (Date.parse(requested.body.dueAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    expect(requested.body).toMatchObject({ endedSessions: 1, revokedApiKeys: 1 });
    expect(requested.body.receiptPath).toBe(`/erasure-receipt/${receiptToken}`);

    // The requesting session stays; the other one and the API key are ended.
    const status = await statusOf(server, user.token);
    expect(status).toMatchObject({ scheduled: true, graceDays: 7, dueAt: requested.body.dueAt });
    const other = await api(server, 'GET', '/api/users/me', { token: alice.secondToken });
    expect(other.status).toBe(401);
    const byKey = await api(server, 'GET', '/api/users/me', {
      headers: { 'x-api-key': alice.apiKey },
    });
    expect(byKey.status).toBe(401);

    const scheduled = await api<ErasureReceipt>(
      server,
      'GET',
      `/api/erasure-receipts/${receiptToken}`,
    );
    expect(scheduled.body).toMatchObject({ status: 'scheduled', dueAt: requested.body.dueAt });
    expect(await server.ctx.erasure.eraseDue()).toBe(0);

    const traces = await tracesOfAlice(server, alice);
    const found = await scan(server, traces);
    const places = new Set(found.map((f) => f.place));
    // On object storage (scale-out) a half-sent upload is chunk objects, not a file of the
    // data folder, which then holds nothing of hers.
    const objectStorage = server.ctx.config.s3 !== null;
    expect([...places].sort()).toEqual(
      dialect === 'sqlite'
        ? ['blob', 'database file', 'file', 'table']
        : objectStorage
          ? ['blob', 'table']
          : ['blob', 'file', 'table'],
    );
    expect(found.some((f) => f.place === 'blob' && f.where.startsWith('takeout/'))).toBe(true);
    const partial = objectStorage ? 'uploads/' : path.join('tmp', 'resumable');
    expect(found.some((f) => f.where.startsWith(partial))).toBe(true);
    expect(found.some((f) => f.where.startsWith('jobs['))).toBe(true);
    expect(found.some((f) => f.where.startsWith('rate_limits['))).toBe(true);

    // The grace period ends; the periodic run erases.
    await makeDue(server, user.id);
    expect(await server.ctx.erasure.eraseDue()).toBe(1);
    const left = await scan(server, traces);
    expect(left, describeFindings(left)).toEqual([]);
    await expectBobIntact(server, bob, bobsPhoto, alice);

    const signIn = await api(server, 'POST', '/api/auth/login', {
      body: { email: user.email, password },
    });
    expect(signIn.status).toBe(401);
    const receipt = await api<ErasureReceipt>(
      server,
      'GET',
      `/api/erasure-receipts/${receiptToken}`,
    );
    expect(receipt.status).toBe(200);
    const sizes = [...aliceFiles, visitorsFile].reduce((n, f) => n + fs.statSync(f).size, 0);
    expect(receipt.body).toMatchObject({
      status: 'erased',
      erasedBy: 'user',
      requestedAt: requested.body.requestedAt,
      deleted: {
        assets: 4,
        photos: 3,
        videos: 1,
        albums: 1,
        sharedAlbumsLeft: 1,
        shareLinks: 1,
        sessions: 1,
        apiKeys: 0,
        unfinishedUploads: 1,
        takeoutImports: 1,
      },
    });
    expect(receipt.body.deleted?.bytes).toBeGreaterThanOrEqual(sizes);
    expect(receipt.body.deleted?.shareLinkEvents).toBeGreaterThanOrEqual(3);
    expect(receipt.body.deleted?.jobs).toBeGreaterThanOrEqual(1);
    expect(Date.parse(receipt.body.erasedAt ?? '')).toBeGreaterThanOrEqual(before);
    // The receipt holds no trace of the user (it was scanned above as a table row too).
    expect(JSON.stringify(receipt.body)).not.toContain(user.id);

    const unknown = await api(server, 'GET', '/api/erasure-receipts/per_not-a-token');
    expect(unknown.status).toBe(404);
    // A second run finds nothing to do.
    expect(await server.ctx.erasure.erase(user.id)).toBeNull();
  });

  it('lets an admin erase at once, with the email typed to confirm', async () => {
    const alice = await populate(server, admin, bob, bobsPhoto, takeoutZip);
    const { user } = alice;
    const traces = await tracesOfAlice(server, alice);

    const byUser = await api<ErrorBody>(server, 'POST', `/api/users/${user.id}/erase`, {
      token: bob.token,
      body: { confirmEmail: user.email },
    });
    expect(byUser.status).toBe(403);
    const mismatch = await api<ErrorBody>(server, 'POST', `/api/users/${user.id}/erase`, {
      token: admin.token,
      body: { confirmEmail: bob.email },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe('VALIDATION_FAILED');
    const missing = await api(server, 'POST', '/api/users/no-such-user/erase', {
      token: admin.token,
      body: { confirmEmail: user.email },
    });
    expect(missing.status).toBe(404);
    expect(await api(server, 'GET', '/api/users/me', { token: user.token })).toMatchObject({
      status: 200,
    });

    const erased = await api<{
      status: string;
      receiptToken: string;
      receipt: ErasureReceipt;
    }>(server, 'POST', `/api/users/${user.id}/erase`, {
      token: admin.token,
      body: { confirmEmail: user.email.toUpperCase() },
    });
    expect(erased.status).toBe(200);
    expect(erased.body.status).toBe('erased');
    expect(erased.body.receipt).toMatchObject({
      status: 'erased',
      erasedBy: 'admin',
      requestedAt: null,
      deleted: { assets: 4, albums: 1, shareLinks: 1, sessions: 2, apiKeys: 1 },
    });
    const left = await scan(server, traces);
    expect(left, describeFindings(left)).toEqual([]);
    await expectBobIntact(server, bob, bobsPhoto, alice);
    const receipt = await api<ErasureReceipt>(
      server,
      'GET',
      `/api/erasure-receipts/${erased.body.receiptToken}`,
    );
    expect(receipt.body).toEqual(erased.body.receipt);
    const users = await api<{ id: string }[]>(server, 'GET', '/api/users', { token: admin.token });
    expect(users.body.map((u) => u.id)).not.toContain(user.id);
  });

  it('finishes an erasure interrupted after its files were deleted', async () => {
    const alice = await populate(server, admin, bob, bobsPhoto, takeoutZip);
    const { user } = alice;
    const traces = await tracesOfAlice(server, alice);
    const requested = await api<ErasureRequested>(server, 'POST', '/api/account/erasure', {
      token: user.token,
      body: { password },
    });
    expect(requested.status).toBe(202);
    await makeDue(server, user.id);

    // The first run stops after the files phase, as a crash would leave it.
    await server.ctx.erasure.eraseFiles(user.id);
    const originals: string[] = [];
    for await (const key of server.ctx.blobs.list(`originals/${user.id}/`)) originals.push(key);
    expect(originals).toEqual([]);
    const rows = await server.ctx.database.db
      .selectFrom('assets')
      .select('id')
      .where('owner_id', '=', user.id)
      .execute();
    expect(rows).toHaveLength(4);
    const midway = await api<ErasureReceipt>(
      server,
      'GET',
      `/api/erasure-receipts/${requested.body.receiptToken}`,
    );
    expect(midway.body.status).toBe('scheduled');
    // Meanwhile the account cannot sign in (nor cancel: the erasure is due).
    const signIn = await api<ErrorBody>(server, 'POST', '/api/auth/login', {
      body: { email: user.email, password },
    });
    expect(signIn.status).toBe(403);
    // The files phase again (a second crash), then the periodic run finishes.
    await server.ctx.erasure.eraseFiles(user.id);
    expect(await server.ctx.erasure.eraseDue()).toBe(1);
    const left = await scan(server, traces);
    expect(left, describeFindings(left)).toEqual([]);
    await expectBobIntact(server, bob, bobsPhoto, alice);
    const receipt = await api<ErasureReceipt>(
      server,
      'GET',
      `/api/erasure-receipts/${requested.body.receiptToken}`,
    );
    expect(receipt.body).toMatchObject({
      status: 'erased',
      erasedBy: 'user',
      deleted: { assets: 4, sessions: 1 },
    });
  });

  it('is cancelled by signing in during the grace period, or by the user', async () => {
    const carol = await createUser(server, { admin });
    const first = await api<ErasureRequested>(server, 'POST', '/api/account/erasure', {
      token: carol.token,
      body: { password },
    });
    expect(first.status).toBe(202);
    const again = await api(server, 'POST', '/api/account/erasure', {
      token: carol.token,
      body: { password },
    });
    expect(again.status).toBe(400);

    const signIn = await api<{ token: string }>(server, 'POST', '/api/auth/login', {
      body: { email: carol.email, password },
    });
    expect(signIn.status).toBe(200);
    const status = await statusOf(server, signIn.body.token);
    expect(status).toMatchObject({ scheduled: false, dueAt: null, cancelledBySignIn: true });
    expect(status.requestedAt).toBe(first.body.requestedAt);
    const gone = await api(server, 'GET', `/api/erasure-receipts/${first.body.receiptToken}`);
    expect(gone.status).toBe(404);
    const row = await server.ctx.database.db
      .selectFrom('users')
      .select(['erasure_due_at', 'erasure_receipt_hash'])
      .where('id', '=', carol.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ erasure_due_at: null, erasure_receipt_hash: null });

    // The note goes with DELETE; a new request is cancelled by DELETE too.
    const cleared = await api<ErasureStatus>(server, 'DELETE', '/api/account/erasure', {
      token: signIn.body.token,
    });
    expect(cleared.body).toMatchObject({ scheduled: false, cancelledBySignIn: false });
    await api(server, 'POST', '/api/account/erasure', {
      token: signIn.body.token,
      body: { password },
    });
    expect((await statusOf(server, signIn.body.token)).scheduled).toBe(true);
    const cancelled = await api<ErasureStatus>(server, 'DELETE', '/api/account/erasure', {
      token: signIn.body.token,
    });
    expect(cancelled.body).toMatchObject({ scheduled: false, requestedAt: null });
    expect(await server.ctx.erasure.eraseDue()).toBe(0);
    expect((await api(server, 'GET', '/api/users/me', { token: signIn.body.token })).status).toBe(
      200,
    );
  });

  it('keeps the last admin, and rate-limits wrong passwords', async () => {
    const self = await api<ErrorBody>(server, 'POST', `/api/users/${admin.id}/erase`, {
      token: admin.token,
      body: { confirmEmail: admin.email },
    });
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/only administrator/);
    const own = await api<ErrorBody>(server, 'POST', '/api/account/erasure', {
      token: admin.token,
      body: { password },
    });
    expect(own.status).toBe(403);

    const dave = await createUser(server, { admin });
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await api(server, 'POST', '/api/account/erasure', {
        token: dave.token,
        body: { password: 'wrong' },
      });
      codes.push(response.status);
    }
    expect(codes.slice(0, 10).every((c) => c === 403)).toBe(true);
    expect(codes[10]).toBe(429);
    expect((await statusOf(server, dave.token)).scheduled).toBe(false);
  });
});

describe('account erasure without a grace period', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(runDialect, { PIXELUNION_ERASURE_GRACE_DAYS: '0' });
  });
  afterAll(() => server.close());

  it('erases at once on the user’s request and answers the receipt', async () => {
    const admin = await createUser(server);
    const erin = await createUser(server, { admin });
    const uploaded = await uploadFixture(server, erin, aliceFiles[0] ?? '');
    expect(uploaded.status).toBe(201);
    await waitForJobs(server);
    const traces = await tracesOf(repoOf(server), erin.id, [{ value: erin.email, what: 'email' }]);
    const erased = await api<ErasureRequested>(server, 'POST', '/api/account/erasure', {
      token: erin.token,
      body: { password },
    });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      status: 'erased',
      receipt: { status: 'erased', erasedBy: 'user', deleted: { assets: 1, photos: 1 } },
    });
    expect((await api(server, 'GET', '/api/users/me', { token: erin.token })).status).toBe(401);
    const left = await scan(server, traces);
    expect(left, describeFindings(left)).toEqual([]);
  });
});
