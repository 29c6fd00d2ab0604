import fsp from 'node:fs/promises';
import sharp from 'sharp';
import { Upload, type HttpResponse } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, photo, type TestUser } from '../../test/factories.js';
import { dialects, startTestServer, type TestServer } from '../../test/test-server.js';
import {
  offsetOf,
  openPatch,
  partialFile,
  tusCreate,
  tusPatch,
  tusRequest,
  until,
} from './uploads.testing.js';

/** A real PNG of a few MB: noise does not compress. */
const noisePng = (seedMean: number) =>
  sharp({
    create: {
      width: 1400,
      height: 1000,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: seedMean, sigma: 60 },
    },
  })
    .png({ compressionLevel: 1 })
    .toBuffer();

describe.each(dialects)('tus resume and concurrency on %s', (dialect) => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    // These tests look at the bytes in the data folder: the local file of the embedded mode.
    server = await startTestServer(dialect, {}, { services: 'embedded' });
    user = await createUser(server);
  });
  afterAll(async () => {
    // Node sometimes does not see a keep-alive connection that last carried a large original as
    // idle, and app.close() then waits for it (seen with POST /api/assets too): close them all.
    server.app.server.closeAllConnections();
    await server.close();
  });

  const original = async (assetId: string) => {
    const response = await fetch(`${server.url}/api/assets/${assetId}/original`, {
      headers: user.headers,
    });
    return Buffer.from(await response.arrayBuffer());
  };
  const sizeOnDisk = (url: string) => fsp.stat(partialFile(server, url)).then((s) => s.size);

  it('keeps the bytes of a chunk whose connection was cut, and resumes from them', async () => {
    const bytes = await noisePng(110);
    expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);
    const { url } = await tusCreate(server, user, bytes.length, {
      meta: { filename: 'noise.png' },
    });
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    const patch = openPatch(server, user, url, 0, half, bytes.length);
    await until(async () => (await sizeOnDisk(url)) >= half.length / 2);
    patch.cut();

    let offset = 0;
    await until(async () => {
      const head = await tusRequest(server, user, 'HEAD', url);
      offset = offsetOf(head);
      return head.status === 200 && offset > 0;
    });
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(half.length);

    const rest = await tusPatch(server, user, url, offset, bytes.subarray(offset));
    expect(rest.status).toBe(204);
    expect(rest.headers.get('pixelunion-asset-status')).toBe('created');
    const assetId = rest.headers.get('pixelunion-asset-id') ?? '';
    expect((await original(assetId)).equals(bytes)).toBe(true);
  });

  it('lets one PATCH at a time write an upload', async () => {
    const bytes = (await noisePng(140)).subarray(0, 400_000);
    const { url } = await tusCreate(server, user, 1_000_000);
    const first = openPatch(server, user, url, 0, bytes.subarray(0, 100_000), 200_000);
    await until(async () => (await sizeOnDisk(url)) > 0);

    const same = await tusPatch(server, user, url, 0, bytes.subarray(0, 200_000));
    expect(same.status).toBe(423);
    expect(same.body?.error?.code).toBe('UPLOAD_LOCKED');
    const ahead = await tusPatch(server, user, url, 200_000, bytes.subarray(200_000, 300_000));
    expect(ahead.status).toBe(409);

    expect(await first.finish(bytes.subarray(100_000, 200_000))).toBe(204);
    expect(offsetOf(await tusRequest(server, user, 'HEAD', url))).toBe(200_000);
    const next = await tusPatch(server, user, url, 200_000, bytes.subarray(200_000, 400_000));
    expect(offsetOf(next)).toBe(400_000);
    expect((await fsp.readFile(partialFile(server, url))).equals(bytes)).toBe(true);
  });

  it('works with tus-js-client, the web app’s client, including a resume', async () => {
    const bytes = await fsp.readFile(photo('exif-samples/jpg/hdr/iphone_hdr_YES.jpg'));
    const options = {
      endpoint: `${server.url}/api/uploads`,
      headers: user.headers,
      chunkSize: 256 * 1024,
      metadata: { filename: 'iphone_hdr_YES.jpg', filetype: 'image/jpeg' },
      retryDelays: [],
    };
    // Stops after two chunks, like a closed tab, without terminating the upload.
    const stopped = await new Promise<string>((resolve, reject) => {
      let chunks = 0;
      const upload: Upload = new Upload(bytes, {
        ...options,
        onError: reject,
        onChunkComplete: () => {
          if (++chunks < 2) return;
          upload.abort().then(() => {
            resolve(upload.url ?? '');
          }, reject);
        },
      });
      upload.start();
    });
    expect(offsetOf(await tusRequest(server, user, 'HEAD', new URL(stopped).pathname))).toBe(
      512 * 1024,
    );

    let firstOffset = -1;
    const last = await new Promise<HttpResponse>((resolve, reject) => {
      const upload = new Upload(bytes, {
        ...options,
        uploadUrl: stopped,
        onError: reject,
        onBeforeRequest: (request) => {
          const offset = request.getHeader('Upload-Offset');
          if (firstOffset < 0 && request.getMethod() === 'PATCH') firstOffset = Number(offset);
        },
        onSuccess: ({ lastResponse }) => {
          resolve(lastResponse);
        },
      });
      upload.start();
    });
    expect(firstOffset).toBe(512 * 1024);
    expect(last.getHeader('PixelUnion-Asset-Status')).toBe('created');
    expect((await original(last.getHeader('PixelUnion-Asset-Id') ?? '')).equals(bytes)).toBe(true);
  });
});
