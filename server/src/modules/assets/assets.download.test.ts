import fsp from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, photo, uploadFixture, type TestUser } from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import { unzip } from '../../test/zip.js';

describe.each(dialects)('downloading a selection on %s', (dialect) => {
  let server: TestServer;
  let user: TestUser;
  const files = {
    a: photo('exif-samples/jpg/gps/DSCN0010.jpg'),
    b: photo('exif-samples/jpg/gps/DSCN0021.jpg'),
  };
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, { workers: false });
    user = await createUser(server);
    // Same name twice, one with a path in it: the zip must keep both and no path.
    ids.push((await uploadFixture(server, user, files.a, { filename: 'holiday.jpg' })).body.id);
    ids.push(
      (await uploadFixture(server, user, files.b, { filename: '../../etc/holiday.jpg' })).body.id,
    );
  });
  afterAll(() => server.close());

  it('zips the originals byte for byte, with safe unique names and an exact length', async () => {
    const response = await fetch(`${server.url}/api/assets/download`, {
      method: 'POST',
      headers: { ...user.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ids }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    const entries = await unzip(bytes);
    expect([...entries.keys()]).toEqual(['holiday.jpg', 'holiday (1).jpg']);
    expect(entries.get('holiday.jpg')?.equals(await fsp.readFile(files.a))).toBe(true);
    expect(entries.get('holiday (1).jpg')?.equals(await fsp.readFile(files.b))).toBe(true);
  });

  it('takes a plain form post with the session cookie, as the web app sends it', async () => {
    const response = await fetch(`${server.url}/api/assets/download`, {
      method: 'POST',
      headers: {
        cookie: `pixelunion_session=${user.token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ ids: ids.join(',') }).toString(),
    });
    expect(response.status).toBe(200);
    const entries = await unzip(Buffer.from(await response.arrayBuffer()));
    expect(entries.size).toBe(2);
  });

  it('refuses someone else’s photo, an empty selection and no credentials', async () => {
    const other = await createUser(server, { admin: user });
    const foreign = await api<{ error: { code: string } }>(server, 'POST', '/api/assets/download', {
      token: other.token,
      body: { ids: [ids[0]] },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    const empty = await api(server, 'POST', '/api/assets/download', {
      token: user.token,
      body: { ids: [] },
    });
    expect(empty.status).toBe(400);
    const anonymous = await api(server, 'POST', '/api/assets/download', { body: { ids } });
    expect(anonymous.status).toBe(401);
  });
});
