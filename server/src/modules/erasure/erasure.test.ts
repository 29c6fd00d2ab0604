import fs, { openAsBlob } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../db/database.js';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import { dialects, runDialect, startTestServer, type TestServer } from '../../test/test-server.js';
import { AuthService } from '../auth/auth.service.js';
import { passCookieOf, visit, type ErrorBody } from '../shares/shares.testing.js';
import { createImport, takeoutTree, uploadPart, zipTree } from '../takeout/takeout.testing.js';
import { tusCreate, tusPatch } from '../uploads/uploads.testing.js';
import { ErasureRepo } from './erasure.repo.js';
import { describeFindings, scanForTraces, tracesOf, type UserTraces } from './erasure.scan.js';
import { erasurePasswordKey } from './erasure.service.js';
import { userBlobPrefixes } from './erasure.targets.js';
import type { ErasureReceipt, ErasureRequested, ErasureStatus } from './erasure.view.js';

const password = 'correct horse battery'; // the factories' password
const aliceFiles = [
  'exif-samples/jpg/gps/DSCN0010.jpg',
  'metadata-extractor/mov/with-gps.mov',
  'exif-samples/heic/IMG_5195.HEIC',
].map(photo);
const deletedBefore = photo('exif-samples/jpg/Pentax_K10D.jpg');
const visitorsFile = photo('exif-samples/jpg/Nikon_D70.jpg');
const bobsFile = photo('exif-samples/jpg/Canon_40D.jpg');

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

interface Alice {
  user: TestUser;
  secondToken: string;
  apiKey: string;
  assetIds: string[];
  albumId: string;
  /** Bob's album, where Alice is an editor and added a photo (its cover). */
  bobsAlbumId: string;
  linkId: string;
}

/**
 * A user with a bit of everything: photos (a JPEG, a video, a HEIC) with thumbnails, one deleted
 * for good, one a visitor uploaded through her link; her album shared with Bob, who added his
 * photo; Bob's album where she is an editor and added hers (its cover); a password-protected link
 * with its use log; an API key, a second session, failed sign-ins; a half-sent upload; a Takeout
 * import with a part.
 */
async function populate(
  server: TestServer,
  admin: TestUser,
  bob: TestUser,
  bobsPhoto: string,
): Promise<Alice> {
  const user = await createUser(server, { admin });
  const assetIds: string[] = [];
  for (const file of aliceFiles) {
    const uploaded = await uploadFixture(server, user, file);
    expect(uploaded.status, file).toBe(201);
    assetIds.push(uploaded.body.id);
  }
  const gone = await uploadFixture(server, user, deletedBefore);
  await waitForJobs(server);
  await api(server, 'POST', '/api/assets/trash', {
    token: user.token,
    body: { ids: [gone.body.id] },
  });
  await api(server, 'POST', '/api/assets/delete', {
    token: user.token,
    body: { ids: [gone.body.id] },
  });

  const album = await api<{ id: string }>(server, 'POST', '/api/albums', {
    token: user.token,
    body: { title: 'Alice in Siena', assetIds },
  });
  await api(server, 'PUT', `/api/albums/${album.body.id}/members/${bob.id}`, {
    token: user.token,
    body: { role: 'editor' },
  });
  const bobAdds = await api(server, 'POST', `/api/albums/${album.body.id}/assets`, {
    token: bob.token,
    body: { ids: [bobsPhoto] },
  });
  expect(bobAdds.status).toBe(200);

  const bobsAlbum = await api<{ id: string }>(server, 'POST', '/api/albums', {
    token: bob.token,
    body: { title: 'Bob’s walks', assetIds: [bobsPhoto] },
  });
  await api(server, 'PUT', `/api/albums/${bobsAlbum.body.id}/members/${user.id}`, {
    token: bob.token,
    body: { role: 'editor' },
  });
  const aliceAdds = await api(server, 'POST', `/api/albums/${bobsAlbum.body.id}/assets`, {
    token: user.token,
    body: { ids: [assetIds[0]] },
  });
  expect(aliceAdds.status).toBe(200);
  const cover = await api(server, 'PATCH', `/api/albums/${bobsAlbum.body.id}`, {
    token: bob.token,
    body: { coverAssetId: assetIds[0] },
  });
  expect(cover.status).toBe(200);

  const link = await api<{ id: string; key: string }>(server, 'POST', '/api/shares', {
    token: user.token,
    body: { albumId: album.body.id, password: 'open sesame', allowUpload: true },
  });
  expect(link.status).toBe(201);
  const key = link.body.key;
  await visit(server, 'POST', `/api/s/${key}/password`, { body: { password: 'wrong' } });
  const unlocked = await visit(server, 'POST', `/api/s/${key}/password`, {
    body: { password: 'open sesame' },
  });
  const cookie = passCookieOf(unlocked.headers);
  expect((await visit(server, 'GET', `/api/s/${key}`, { cookie })).status).toBe(200);
  const form = new FormData();
  form.append('file', await openAsBlob(visitorsFile), 'from-a-visitor.jpg');
  const visitorUpload = await visit<{ id: string }>(server, 'POST', `/api/s/${key}/upload`, {
    cookie,
    body: form,
  });
  expect(visitorUpload.status).toBe(201);

  const apiKey = await api<{ key: string }>(server, 'POST', '/api/api-keys', {
    token: user.token,
    body: { name: 'phone sync' },
  });
  const second = await api<{ token: string }>(server, 'POST', '/api/auth/login', {
    body: { email: user.email, password },
  });
  const failed = await api(server, 'POST', '/api/auth/login', {
    body: { email: user.email, password: 'not the password' },
  });
  expect(failed.status).toBe(401);

  const halfSent = fs.readFileSync(photo('exif-samples/jpg/Olympus_C8080WZ.jpg'));
  const created = await tusCreate(server, user, halfSent.length, {
    meta: { filename: 'half-sent-olympus.jpg' },
  });
  expect(created.status).toBe(201);
  const patched = await tusPatch(
    server,
    user,
    created.url,
    0,
    halfSent.subarray(0, halfSent.length >> 1),
  );
  expect(patched.status).toBe(204);

  const importId = await createImport(server, user);
  await uploadPart(server, user, importId, takeoutZip);
  await waitForJobs(server);

  return {
    user,
    secondToken: second.body.token,
    apiKey: apiKey.body.key,
    assetIds: [...assetIds, visitorUpload.body.id],
    albumId: album.body.id,
    bobsAlbumId: bobsAlbum.body.id,
    linkId: link.body.id,
  };
}

const repoOf = (server: TestServer) =>
  new ErasureRepo(server.ctx.database.db, server.ctx.database.dialect);

async function tracesOfAlice(server: TestServer, alice: Alice): Promise<UserTraces> {
  return tracesOf(repoOf(server), alice.user.id, [
    { value: alice.user.email, what: 'email' },
    { value: AuthService.emailLimitKey(alice.user.email), what: 'sign-in failure counter' },
    { value: erasurePasswordKey(alice.user.id), what: 'erasure password counter' },
  ]);
}

function scan(server: TestServer, traces: UserTraces) {
  const sqlite = path.join(server.dataDir, 'pixelunion.sqlite');
  return scanForTraces(
    {
      repo: repoOf(server),
      blobs: server.ctx.blobs,
      dataDir: server.dataDir,
      databaseFiles:
        server.ctx.database.dialect === 'sqlite' ? [sqlite, `${sqlite}-wal`] : undefined,
    },
    traces,
  );
}

const statusOf = async (server: TestServer, token: string) =>
  (await api<ErasureStatus>(server, 'GET', '/api/account/erasure', { token })).body;

async function makeDue(server: TestServer, userId: string): Promise<void> {
  await server.ctx.database.db
    .updateTable('users')
    .set({ erasure_due_at: Date.now() - 1000 })
    .where('id', '=', userId)
    .execute();
}

/** Bob's library and album after Alice is gone: his photo readable, her photo and membership gone. */
async function expectBobIntact(
  server: TestServer,
  bob: TestUser,
  bobsPhoto: string,
  alice: Alice,
): Promise<void> {
  const original = await fetch(`${server.url}/api/assets/${bobsPhoto}/original`, {
    headers: bob.headers,
  });
  expect(original.status).toBe(200);
  expect(Buffer.from(await original.arrayBuffer()).equals(fs.readFileSync(bobsFile))).toBe(true);
  const thumbnail = await fetch(`${server.url}/api/assets/${bobsPhoto}/thumbnail`, {
    headers: bob.headers,
  });
  expect(thumbnail.status).toBe(200);
  const album = await api<{ assetIds: string[]; members: unknown[]; coverAssetId: string }>(
    server,
    'GET',
    `/api/albums/${alice.bobsAlbumId}`,
    { token: bob.token },
  );
  expect(album.status).toBe(200);
  expect(album.body.assetIds).toEqual([bobsPhoto]);
  expect(album.body.members).toEqual([]);
  expect(album.body.coverAssetId).toBe(bobsPhoto);
  const hers = await api(server, 'GET', `/api/albums/${alice.albumId}`, { token: bob.token });
  expect(hers.status).toBe(404);
}

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
    const alice = await populate(server, admin, bob, bobsPhoto);
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
    const alice = await populate(server, admin, bob, bobsPhoto);
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
    const alice = await populate(server, admin, bob, bobsPhoto);
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
