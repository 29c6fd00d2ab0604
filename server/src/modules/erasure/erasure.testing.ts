import fs, { openAsBlob } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import {
  api,
  createApiKey,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../test/factories.js';
import type { TestServer } from '../../test/test-server.js';
import { AuthService } from '../auth/auth.service.js';
import { passCookieOf, visit } from '../shares/shares.testing.js';
import { createImport, uploadPart } from '../takeout/takeout.testing.js';
import { tusCreate, tusPatch } from '../uploads/uploads.testing.js';
import { ErasureRepo } from './erasure.repo.js';
import { scanForTraces, tracesOf, type UserTraces } from './erasure.scan.js';
import { erasurePasswordKey } from './erasure.service.js';
import type { ErasureStatus } from './erasure.view.js';

// The user with a bit of everything that the erasure tests erase, and how they look for her.

export const password = 'correct horse battery'; // the factories' password
export const aliceFiles = [
  'exif-samples/jpg/gps/DSCN0010.jpg',
  'metadata-extractor/mov/with-gps.mov',
  'exif-samples/heic/IMG_5195.HEIC',
].map(photo);
export const deletedBefore = photo('exif-samples/jpg/Pentax_K10D.jpg');
export const visitorsFile = photo('exif-samples/jpg/Nikon_D70.jpg');
export const bobsFile = photo('exif-samples/jpg/Canon_40D.jpg');

export interface Alice {
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
export async function populate(
  server: TestServer,
  admin: TestUser,
  bob: TestUser,
  bobsPhoto: string,
  /** A Google Takeout part for her import. */
  takeoutZip: string,
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

  const apiKey = await createApiKey(server, user, 'phone sync');
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
    apiKey,
    assetIds: [...assetIds, visitorUpload.body.id],
    albumId: album.body.id,
    bobsAlbumId: bobsAlbum.body.id,
    linkId: link.body.id,
  };
}

export const repoOf = (server: TestServer) =>
  new ErasureRepo(server.ctx.database.db, server.ctx.database.dialect);

export async function tracesOfAlice(server: TestServer, alice: Alice): Promise<UserTraces> {
  return tracesOf(repoOf(server), alice.user.id, [
    { value: alice.user.email, what: 'email' },
    { value: AuthService.emailLimitKey(alice.user.email), what: 'sign-in failure counter' },
    { value: erasurePasswordKey(alice.user.id), what: 'erasure password counter' },
  ]);
}

export function scan(server: TestServer, traces: UserTraces) {
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

export const statusOf = async (server: TestServer, token: string) =>
  (await api<ErasureStatus>(server, 'GET', '/api/account/erasure', { token })).body;

export async function makeDue(server: TestServer, userId: string): Promise<void> {
  await server.ctx.database.db
    .updateTable('users')
    .set({ erasure_due_at: Date.now() - 1000 })
    .where('id', '=', userId)
    .execute();
}

/** Bob's library and album after Alice is gone: his photo readable, her photo and membership gone. */
export async function expectBobIntact(
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
