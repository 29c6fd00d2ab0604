import fsp from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../server/src/test/factories.js';
import type { ExportView } from '../../server/src/modules/export/export.view.js';
import {
  artifactPath,
  foreignRequests,
  recordRequests,
  signedInContext,
  useBrowserAndServer,
} from './browser.js';

const web = useBrowserAndServer({ timeout: 180_000 });
let user: TestUser;

beforeAll(async () => {
  user = await createUser(web.server);
  for (const file of ['exif-samples/jpg/gps/DSCN0010.jpg', 'exif-samples/heic/IMG_5195.HEIC']) {
    expect((await uploadFixture(web.server, user, photo(file))).status).toBe(201);
  }
  await waitForJobs(web.server);
}, 180_000);

describe('“Export my data” in Chromium', () => {
  it('starts an export, follows it, downloads its zip and deletes it', async () => {
    const context = await signedInContext(web.browser, web.server.url, user.token, {
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const requests = recordRequests(context);
    const page = await context.newPage();
    await page.goto(`${web.server.url}/account`);
    const section = page.getByRole('region', { name: 'Export my data' });
    await section.getByRole('button', { name: 'Export my data' }).click();
    await section.getByText(/^Ready:/).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: artifactPath('export-ready.png'), fullPage: true });

    const [made] = (
      await api<ExportView[]>(web.server, 'GET', '/api/exports', { token: user.token })
    ).body;
    const part = made?.parts[0];
    if (!part) throw new Error('no part was made');
    const link = section.getByRole('link', { name: part.fileName });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(part.fileName);
    const saved = await fsp.readFile(await download.path());
    const expected = Buffer.from(
      await (await fetch(web.server.url + part.url, { headers: user.headers })).arrayBuffer(),
    );
    expect(saved.equals(expected)).toBe(true);

    await section.getByRole('button', { name: /^Delete the export of/ }).click();
    await section.getByRole('list', { name: 'Your exports' }).waitFor({ state: 'detached' });
    expect(
      (await api<ExportView[]>(web.server, 'GET', '/api/exports', { token: user.token })).body,
    ).toEqual([]);
    expect(foreignRequests(requests, web.server.url)).toEqual([]);
    await context.close();
  });
});
