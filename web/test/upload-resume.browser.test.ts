import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../../server/src/test/factories.js';
import {
  artifactPath,
  foreignRequests,
  recordRequests,
  signedInContext,
  useBrowserAndServer,
} from './browser.js';

const web = useBrowserAndServer();
let user: TestUser;

beforeAll(async () => {
  user = await createUser(web.server);
}, 120_000);

/** A valid PNG of about 42 MB (random pixels do not compress). */
async function largePng(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixelunion-web-'));
  const file = path.join(dir, 'large-noise.png');
  const [width, height] = [4000, 3500];
  await sharp(crypto.randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toFile(file);
  return file;
}

const sha1 = (bytes: Buffer) => crypto.createHash('sha1').update(bytes).digest('hex');

describe('a resumable upload', () => {
  it('continues after the connection is cut and the page closed, byte for byte', async () => {
    const file = await largePng();
    const context = await signedInContext(web.browser, web.server.url, user.token, {
      viewport: { width: 1280, height: 800 },
    });
    const requests = recordRequests(context);
    let patches = 0;
    let cut = false;
    // The first chunk goes through; then the connection "drops" for good.
    await context.route('**/api/uploads/*', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      patches++;
      if (patches === 1 && !cut) return route.continue();
      cut = true;
      return route.abort('connectionreset');
    });
    const page = await context.newPage();
    await page.goto(web.server.url);
    await page.getByRole('heading', { name: 'Photos' }).waitFor();
    const firstChunkStored = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.status() === 204,
    );
    await page.getByTestId('upload-input').setInputFiles(file);
    await firstChunkStored;
    await expect.poll(() => cut, { timeout: 20_000 }).toBe(true);
    await page.getByRole('region', { name: 'Uploads' }).getByText(/MB \//).waitFor();
    await page.screenshot({ path: artifactPath('upload-progress.png') });
    await page.close();
    await context.unroute('**/api/uploads/*');

    // Reopen, choose the same file again: it continues from the server's offset.
    const again = await context.newPage();
    const sent: Request[] = [];
    again.on('request', (r) => {
      if (r.url().includes('/api/uploads')) sent.push(r);
    });
    const finished: { assetId?: string } = {};
    again.on('response', (r) => {
      const id = r.headers()['pixelunion-asset-id'];
      if (id) finished.assetId = id;
    });
    await again.goto(web.server.url);
    await again.getByRole('heading', { name: 'Photos' }).waitFor();
    await again.getByTestId('upload-input').setInputFiles(file);
    const panel = again.getByRole('region', { name: 'Uploads' });
    await panel.getByText('1 uploaded').waitFor({ timeout: 60_000 });

    expect(sent.map((r) => r.method())).not.toContain('POST');
    const firstPatch = sent.find((r) => r.method() === 'PATCH');
    if (!firstPatch) throw new Error('no PATCH after resuming');
    expect(Number((await firstPatch.allHeaders())['upload-offset'])).toBe(8 * 1024 * 1024);
    const { assetId } = finished;
    if (!assetId) throw new Error('no PixelUnion-Asset-Id header seen');

    const original = await again.request.get(`${web.server.url}/api/assets/${assetId}/original`);
    expect(original.status()).toBe(200);
    expect(sha1(await original.body())).toBe(sha1(fs.readFileSync(file)));
    expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
    await context.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
