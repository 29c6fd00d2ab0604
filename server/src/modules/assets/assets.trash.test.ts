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

const day = 86_400_000;

describe.each(dialects)('trash expiry on %s', (dialect) => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    // Workers start inside the test: the expiry runs when they start, then every hour.
    server = await startTestServer(dialect, { PIXELUNION_TRASH_DAYS: '10' }, { workers: false });
    user = await createUser(server);
  });
  afterAll(() => server.close());

  it('deletes for good what was trashed longer ago than PIXELUNION_TRASH_DAYS, files included', async () => {
    const upload = (file: string) =>
      uploadFixture(server, user, photo(file)).then((r) => r.body.id);
    const old = await upload('exif-samples/jpg/Canon_40D.jpg');
    const recent = await upload('exif-samples/jpg/Nikon_D70.jpg');
    const kept = await upload('exif-samples/jpg/Pentax_K10D.jpg');
    await api(server, 'POST', '/api/assets/trash', { token: user.token, body: { ids: [old] } });
    await api(server, 'POST', '/api/assets/trash', { token: user.token, body: { ids: [recent] } });
    await server.ctx.database.db
      .updateTable('assets')
      .set({ trashed_at: Date.now() - 11 * day })
      .where('id', '=', old)
      .execute();
    await server.ctx.database.db
      .updateTable('assets')
      .set({ trashed_at: Date.now() - 9 * day })
      .where('id', '=', recent)
      .execute();

    await server.ctx.startWorkers();
    await waitForJobs(server);

    const status = async (id: string) =>
      (await api(server, 'GET', `/api/assets/${id}`, { token: user.token })).status;
    expect(await status(old)).toBe(404);
    expect(await status(recent)).toBe(200);
    expect(await status(kept)).toBe(200);
    const left: string[] = [];
    for await (const key of server.ctx.blobs.list('')) if (key.includes(old)) left.push(key);
    expect(left).toEqual([]);
    const trash = await api<{ bucket: string; count: number }[]>(
      server,
      'GET',
      '/api/timeline/buckets?view=trash',
      { token: user.token },
    );
    expect(trash.body.reduce((n, b) => n + b.count, 0)).toBe(1);
  });
});
