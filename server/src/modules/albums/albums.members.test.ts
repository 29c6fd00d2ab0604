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
  role: string;
  shared: boolean;
  ownerName: string;
  memberCount: number;
  assetIds: string[];
  members: { userId: string; role: string; name: string; email: string }[];
}

describe.each(dialects)('sharing albums with users on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let member: TestUser;
  let photoId = '';
  let membersPhoto = '';

  beforeAll(async () => {
    server = await startTestServer(dialect);
    owner = await createUser(server);
    member = await createUser(server, { admin: owner });
    photoId = (await uploadFixture(server, owner, photo('exif-samples/jpg/gps/DSCN0010.jpg'))).body
      .id;
    membersPhoto = (await uploadFixture(server, member, photo('exif-samples/jpg/gps/DSCN0021.jpg')))
      .body.id;
    await waitForJobs(server);
  });
  afterAll(() => server.close());

  it('lists the other users to choose from', async () => {
    const directory = await api<{ id: string; name: string; email: string }[]>(
      server,
      'GET',
      '/api/users/directory',
      { token: member.token },
    );
    expect(directory.status).toBe(200);
    expect(directory.body.map((u) => [u.id, u.email])).toEqual([[owner.id, owner.email]]);
    expect(Object.keys(directory.body[0] ?? {}).sort()).toEqual(['email', 'id', 'name']);
    expect((await api(server, 'GET', '/api/users/directory')).status).toBe(401);
  });

  it('takes effect at once: share, change the role, remove', async () => {
    const { body: album } = await api<Album>(server, 'POST', '/api/albums', {
      token: owner.token,
      body: { title: 'Family', assetIds: [photoId] },
    });
    const asMember = (method: string, url: string, body?: unknown) =>
      api(server, method, url, { token: member.token, body });
    expect((await asMember('GET', `/api/albums/${album.id}`)).status).toBe(404);
    expect((await asMember('GET', `/api/assets/${photoId}/thumbnail`)).status).toBe(404);

    const shared = await api<Album['members']>(
      server,
      'PUT',
      `/api/albums/${album.id}/members/${member.id}`,
      { token: owner.token, body: { role: 'viewer' } },
    );
    expect(shared.body).toMatchObject([{ userId: member.id, role: 'viewer', email: member.email }]);
    const seen = await api<Album>(server, 'GET', `/api/albums/${album.id}`, {
      token: member.token,
    });
    expect(seen.body).toMatchObject({ role: 'viewer', shared: true, assetIds: [photoId] });
    expect(seen.body.members).toHaveLength(1);
    expect((await asMember('GET', `/api/assets/${photoId}/original`)).status).toBe(200);
    expect(
      (await asMember('POST', `/api/albums/${album.id}/assets`, { ids: [membersPhoto] })).status,
    ).toBe(403);

    await api(server, 'PUT', `/api/albums/${album.id}/members/${member.id}`, {
      token: owner.token,
      body: { role: 'editor' },
    });
    expect(
      (await asMember('POST', `/api/albums/${album.id}/assets`, { ids: [membersPhoto] })).status,
    ).toBe(200);
    // The owner sees the editor's photo in their album; nobody else's photo becomes theirs.
    expect(
      (await api(server, 'GET', `/api/assets/${membersPhoto}`, { token: owner.token })).status,
    ).toBe(200);
    expect(
      (
        await api(server, 'PATCH', `/api/assets/${membersPhoto}`, {
          token: owner.token,
          body: { isFavorite: true },
        })
      ).status,
    ).toBe(404);
    const ownerView = await api<Album[]>(server, 'GET', '/api/albums', { token: owner.token });
    expect(ownerView.body.find((a) => a.id === album.id)).toMatchObject({
      role: 'owner',
      shared: false,
      memberCount: 1,
    });

    const removed = await api(server, 'DELETE', `/api/albums/${album.id}/members/${member.id}`, {
      token: owner.token,
    });
    expect(removed.status).toBe(204);
    expect((await asMember('GET', `/api/albums/${album.id}`)).status).toBe(404);
    expect((await asMember('GET', `/api/assets/${photoId}/preview`)).status).toBe(404);
    expect(
      (await api<Album[]>(server, 'GET', '/api/albums', { token: member.token })).body.map(
        (a) => a.id,
      ),
    ).not.toContain(album.id);
  });

  it('refuses sharing with the owner or an unknown user, and lets a member leave', async () => {
    const { body: album } = await api<Album>(server, 'POST', '/api/albums', {
      token: owner.token,
      body: { title: 'Leave me' },
    });
    const self = await api(server, 'PUT', `/api/albums/${album.id}/members/${owner.id}`, {
      token: owner.token,
      body: { role: 'editor' },
    });
    expect(self.status).toBe(400);
    const unknown = await api(server, 'PUT', `/api/albums/${album.id}/members/nobody`, {
      token: owner.token,
      body: { role: 'editor' },
    });
    expect(unknown.status).toBe(404);
    const badRole = await api(server, 'PUT', `/api/albums/${album.id}/members/${member.id}`, {
      token: owner.token,
      body: { role: 'owner' },
    });
    expect(badRole.status).toBe(400);
    await api(server, 'PUT', `/api/albums/${album.id}/members/${member.id}`, {
      token: owner.token,
      body: { role: 'viewer' },
    });
    const leave = await api(server, 'DELETE', `/api/albums/${album.id}/members/${member.id}`, {
      token: member.token,
    });
    expect(leave.status).toBe(204);
    expect(
      (await api(server, 'GET', `/api/albums/${album.id}`, { token: member.token })).status,
    ).toBe(404);
  });
});
