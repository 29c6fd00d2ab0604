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
import { createLink, passCookieOf, visit, type Link } from './shares.testing.js';
import { roles, rows, type Fixture } from './shares.matrix.cases.js';

/**
 * Who gets what: every album, asset and share-link endpoint, called by the owner, an editor, a
 * viewer, an unrelated user, an anonymous visitor and link holders in every state. A denied
 * write must change nothing.
 */
describe.each(dialects)('authorisation matrix on %s', (dialect) => {
  let server: TestServer;
  let f: Fixture;

  /** The owner's album with a, b and e, shared with the editor and the viewer. */
  async function freshAlbum(): Promise<string> {
    const { owner, editor, viewer } = f.users;
    const album = await api<{ id: string }>(server, 'POST', '/api/albums', {
      token: owner.token,
      body: { title: 'Family', assetIds: [f.a, f.b] },
    });
    const id = album.body.id;
    for (const [user, role] of [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      await api(server, 'PUT', `/api/albums/${id}/members/${user.id}`, {
        token: owner.token,
        body: { role },
      });
    }
    await api(server, 'POST', `/api/albums/${id}/assets`, {
      token: editor.token,
      body: { ids: [f.e] },
    });
    return id;
  }

  /** What the owner sees of the album and of photo a: any change of a refused write shows. */
  async function state(albumId: string): Promise<unknown> {
    const token = f.users.owner.token;
    const album = await api(server, 'GET', `/api/albums/${albumId}`, { token });
    const asset = await api(server, 'GET', `/api/assets/${f.a}`, { token });
    const links = await api(server, 'GET', '/api/shares', { token });
    return { album: album.body, asset: asset.body, links: links.body };
  }

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const owner = await createUser(server);
    const users = {
      owner,
      editor: await createUser(server, { admin: owner }),
      viewer: await createUser(server, { admin: owner }),
      stranger: await createUser(server, { admin: owner }),
    };
    const upload = async (user: TestUser, file: string) =>
      (await uploadFixture(server, user, photo(file))).body.id;
    f = {
      users,
      own: {
        owner: await upload(owner, 'exif-samples/jpg/Nikon_D70.jpg'),
        editor: await upload(users.editor, 'exif-samples/jpg/gps/DSCN0025.jpg'),
        viewer: await upload(users.viewer, 'exif-samples/jpg/gps/DSCN0027.jpg'),
        stranger: await upload(users.stranger, 'exif-samples/jpg/gps/DSCN0029.jpg'),
      },
      a: await upload(owner, 'exif-samples/jpg/gps/DSCN0010.jpg'),
      b: await upload(owner, 'exif-samples/jpg/Canon_40D.jpg'),
      e: await upload(users.editor, 'exif-samples/jpg/gps/DSCN0021.jpg'),
      album: '',
    };
    await waitForJobs(server);
    f.album = await freshAlbum();
  });
  afterAll(() => server.close());

  const cells = rows.flatMap((row) =>
    roles.flatMap((role) => {
      const status = row.expect[role];
      return status === null ? [] : [[row.name, role, status, row] as const];
    }),
  );

  it.each(cells)('%s as %s → %i', async (_name, role, status, row) => {
    const fixture = row.write ? { ...f, album: await freshAlbum() } : f;
    try {
      const before = row.write ? await state(fixture.album) : null;
      const { method, url, body } = row.request(fixture, role);
      const token = role === 'anonymous' ? undefined : fixture.users[role].token;
      const response = await api(server, method, url, { token, body });
      expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBe(status);
      if (row.write && status >= 400) expect(await state(fixture.album)).toEqual(before);
    } finally {
      // Leave no trace for the next cell: the fresh album (members and all) and photo a's flag.
      const token = f.users.owner.token;
      if (row.write) await api(server, 'DELETE', `/api/albums/${fixture.album}`, { token });
      await api(server, 'PATCH', `/api/assets/${f.a}`, { token, body: { isFavorite: false } });
    }
  });

  it('lists shared albums for their members only, marked with the role', async () => {
    for (const role of ['owner', 'editor', 'viewer', 'stranger'] as const) {
      const list = await api<{ id: string; shared: boolean; role: string }[]>(
        server,
        'GET',
        '/api/albums',
        {
          token: f.users[role].token,
        },
      );
      const found = list.body.find((a) => a.id === f.album);
      if (role === 'stranger') expect(found).toBeUndefined();
      else expect(found).toMatchObject({ shared: role !== 'owner', role });
    }
  });

  describe('link holders', () => {
    const links: Record<string, Link> = {};
    const cookies: Record<string, string | undefined> = {};

    beforeAll(async () => {
      const owner = f.users.owner;
      links.view = await createLink(server, owner, { albumId: f.album });
      links.download = await createLink(server, owner, { albumId: f.album, allowDownload: true });
      links.password = await createLink(server, owner, {
        albumId: f.album,
        allowDownload: true,
        password: 'open sesame',
      });
      links.expired = await createLink(server, owner, { albumId: f.album, allowDownload: true });
      await server.ctx.database.db
        .updateTable('share_links')
        .set({ expires_at: Date.now() - 1000 })
        .where('id', '=', links.expired.id)
        .execute();
      links.revoked = await createLink(server, owner, { albumId: f.album, allowDownload: true });
      await api(server, 'DELETE', `/api/shares/${links.revoked.id}`, { token: owner.token });
      links.exhausted = await createLink(server, owner, {
        albumId: f.album,
        allowDownload: true,
        maxViews: 1,
      });
      const lastView = await visit(server, 'GET', `/api/s/${links.exhausted.key}`);
      expect(lastView.status).toBe(200);
      cookies.exhausted = passCookieOf(lastView.headers);
      const unlocked = await visit(server, 'POST', `/api/s/${links.password.key}/password`, {
        body: { password: 'open sesame' },
      });
      expect(unlocked.status).toBe(204);
      cookies.password = passCookieOf(unlocked.headers);
    });

    type Holder = { link: string; cookie?: string; label: string };
    const holders: Holder[] = [
      { link: 'view', label: 'view-only link' },
      { link: 'download', label: 'download link' },
      { link: 'password', label: 'password link without its cookie' },
      { link: 'password', cookie: 'password', label: 'password link, unlocked' },
      { link: 'password', cookie: 'exhausted', label: "password link with another link's cookie" },
      { link: 'expired', label: 'expired link' },
      { link: 'revoked', label: 'revoked link' },
      { link: 'exhausted', label: 'link over its view limit' },
      {
        link: 'exhausted',
        cookie: 'exhausted',
        label: 'link over its limit, holding the last view',
      },
    ];
    const linkRows: {
      name: string;
      request: (key: string, f: Fixture) => [string, string, unknown?];
    }[] = [
      { name: 'GET content', request: (key) => ['GET', `/api/s/${key}`] },
      ...(['thumbnail', 'preview', 'fullsize', 'original'] as const).map((kind) => ({
        name: kind,
        request: (key: string, fx: Fixture): [string, string] => [
          'GET',
          `/api/s/${key}/assets/${fx.a}/${kind}`,
        ],
      })),
      {
        name: 'zip',
        request: (key) => ['POST', `/api/s/${key}/download`, { ids: [] as string[] }],
      },
      { name: 'upload', request: (key) => ['POST', `/api/s/${key}/upload`, new FormData()] },
      {
        name: 'a photo not in the album',
        request: (key, fx) => ['GET', `/api/s/${key}/assets/${fx.own.owner}/thumbnail`],
      },
    ];
    const expected: Record<string, number[]> = {
      // content, thumbnail, preview, fullsize, original, zip, upload, photo not shared
      'view-only link': [200, 200, 200, 200, 403, 403, 403, 404],
      'download link': [200, 200, 200, 200, 200, 200, 403, 404],
      'password link without its cookie': [401, 401, 401, 401, 401, 401, 401, 401],
      'password link, unlocked': [200, 200, 200, 200, 200, 200, 403, 404],
      "password link with another link's cookie": [401, 401, 401, 401, 401, 401, 401, 401],
      'expired link': [410, 410, 410, 410, 410, 410, 410, 410],
      'revoked link': [410, 410, 410, 410, 410, 410, 410, 410],
      'link over its view limit': [410, 410, 410, 410, 410, 410, 410, 410],
      // A reload by the visitor who took the last view is not another view.
      'link over its limit, holding the last view': [200, 200, 200, 200, 200, 200, 403, 404],
    };
    const linkCells = holders.flatMap((holder) =>
      linkRows.map((row, index) => [holder.label, row.name, holder, row, index] as const),
    );

    it.each(linkCells)('%s: %s', async (label, _name, holder, row, index) => {
      const link = links[holder.link];
      if (!link) throw new Error('no link');
      const [method, url, rawBody] = row.request(link.key, f);
      // the zip row asks for photo a; the upload row sends an empty multipart body
      const body = Array.isArray((rawBody as { ids?: unknown } | undefined)?.ids)
        ? { ids: [f.a] }
        : rawBody;
      const albumBefore = await state(f.album);
      const response = await visit<{ error?: { code: string } }>(server, method, url, {
        cookie: holder.cookie ? cookies[holder.cookie] : undefined,
        body,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(expected[label]?.[index]);
      if (response.status === 410) {
        expect(response.body.error?.code).toBe(
          { expired: 'LINK_EXPIRED', revoked: 'LINK_REVOKED', exhausted: 'LINK_EXHAUSTED' }[
            holder.link
          ],
        );
      }
      if (response.status === 401) expect(response.body.error?.code).toBe('PASSWORD_REQUIRED');
      if (method === 'POST') {
        const after = (await state(f.album)) as { album: unknown; asset: unknown };
        expect(after.album).toEqual((albumBefore as { album: unknown }).album);
      }
    });

    it('answers 404 to an unknown key, and the owner API only to the link’s owner', async () => {
      expect((await visit(server, 'GET', '/api/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(
        404,
      );
      const link = links.view;
      if (!link) throw new Error('no link');
      for (const role of roles) {
        const token = role === 'anonymous' ? undefined : f.users[role].token;
        const want = { owner: 200, anonymous: 401 }[role as string] ?? 404;
        for (const [method, url, body] of [
          ['GET', `/api/shares/${link.id}`],
          ['GET', `/api/shares/${link.id}/events`],
          ['PATCH', `/api/shares/${link.id}`, { allowDownload: true, label: 'mine' }],
        ] as const) {
          if (role === 'owner' && method === 'PATCH') continue;
          const response = await api(server, method, url, { token, body });
          expect(response.status, `${role} ${method} ${url}`).toBe(want);
        }
        if (role !== 'owner') {
          const revoke = await api(server, 'DELETE', `/api/shares/${link.id}`, { token });
          expect(revoke.status).toBe(role === 'anonymous' ? 401 : 404);
        }
      }
      const after = await api<Link & { label: string | null }>(
        server,
        'GET',
        `/api/shares/${link.id}`,
        {
          token: f.users.owner.token,
        },
      );
      expect(after.body).toMatchObject({ status: 'active', allowDownload: false, label: null });
      const list = await api<Link[]>(server, 'GET', '/api/shares', { token: f.users.editor.token });
      expect(list.body).toEqual([]);
    });
  });
});
