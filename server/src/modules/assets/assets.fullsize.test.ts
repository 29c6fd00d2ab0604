import fsp from 'node:fs/promises';
import sharp from 'sharp';
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
import type { AssetView } from './assets.view.js';

describe.each(dialects)('full-size images on %s', (dialect) => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    user = await createUser(server);
  });
  afterAll(() => server.close());

  const fullsize = (id: string, token = user.token) =>
    fetch(`${server.url}/api/assets/${id}/fullsize`, {
      headers: { authorization: `Bearer ${token}` },
    });

  it('renders every pixel of a HEIC as JPEG, once, upright like the preview', async () => {
    const { body } = await uploadFixture(server, user, photo('exif-samples/heic/IMG_5195.HEIC'));
    await waitForJobs(server);
    const asset = (
      await api<AssetView>(server, 'GET', `/api/assets/${body.id}`, { token: user.token })
    ).body;
    const response = await fullsize(body.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const image = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(image.format).toBe('jpeg');
    // width/height of the asset are after orientation, as the rendition is.
    expect([image.width, image.height]).toEqual([asset.width, asset.height]);
    expect(Math.max(image.width, image.height)).toBeGreaterThan(1440);

    const keys: string[] = [];
    for await (const key of server.ctx.blobs.list('fullsize/')) keys.push(key);
    expect(keys).toEqual([`fullsize/${user.id}/${body.id}.jpg`]);
    expect((await fullsize(body.id)).status).toBe(200);

    // Deleted for good: the rendition goes with the original.
    await api(server, 'POST', '/api/assets/trash', { token: user.token, body: { ids: [body.id] } });
    await api(server, 'POST', '/api/assets/delete', {
      token: user.token,
      body: { ids: [body.id] },
    });
    await waitForJobs(server);
    const left: string[] = [];
    for await (const key of server.ctx.blobs.list('fullsize/')) left.push(key);
    expect(left).toEqual([]);
  });

  it('serves a JPEG original as it is, and nothing of someone else', async () => {
    const file = photo('exif-samples/jpg/Canon_40D.jpg');
    const { body } = await uploadFixture(server, user, file);
    const response = await fullsize(body.id);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer()).equals(await fsp.readFile(file))).toBe(true);
    const other = await createUser(server, { admin: user });
    expect((await fullsize(body.id, other.token)).status).toBe(404);
  });
});
