import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../../server/src/test/factories.js';
import { runDialect } from '../../server/src/test/test-server.js';
import {
  artifactPath,
  foreignRequests,
  recordRequests,
  signedInContext,
  useBrowserAndServer,
} from './browser.js';

const location = 'Hetzner, Falkenstein, Germany';
const web = useBrowserAndServer({
  dialect: runDialect,
  env: { PIXELUNION_STORAGE_LOCATION: location, PIXELUNION_TRASH_DAYS: '12' },
  serverOptions: { workers: false },
  timeout: 180_000,
});
let user: TestUser;

beforeAll(async () => {
  user = await createUser(web.server);
}, 180_000);

describe('the privacy page in Chromium', () => {
  it('is readable signed out, says where photos are, lists the register, loads nothing from elsewhere', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const requests = recordRequests(context);
    try {
      const page = await context.newPage();
      await page.goto(`${web.server.url}/privacy`);
      await page.getByRole('heading', { name: 'Privacy on this server', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Where your photos are' }).waitFor();

      expect(await page.getByTestId('storage-location').textContent()).toContain(location);
      await page
        .getByText(
          runDialect === 'sqlite'
            ? 'The database file on this server (SQLite).'
            : 'The PostgreSQL database the administrator set up for this server.',
        )
        .waitFor();
      await page
        .getByText('Photos you move to the trash are deleted for good after 12 days.')
        .waitFor();

      const table = page.getByRole('table', { name: /processing register/ });
      const { body } = await fetch(`${web.server.url}/api/privacy`).then(async (r) => ({
        body: (await r.json()) as { register: { name: string; purpose: string }[] },
      }));
      expect(body.register.length).toBeGreaterThan(5);
      for (const activity of body.register) {
        await table.getByRole('rowheader', { name: activity.name, exact: true }).waitFor();
      }
      expect(await table.getByRole('row').count()).toBe(body.register.length + 1);
      await page.getByRole('link', { name: 'your account page' }).waitFor();
      // The page scrolls inside its own box: a tall window shows all of it in the screenshot.
      await page.setViewportSize({ width: 1280, height: 5000 });
      await page.screenshot({ path: artifactPath('privacy-page.png') });

      // The sign-in page leads here too, for people who have no account yet.
      await page.goto(web.server.url);
      await page.getByRole('heading', { name: 'Sign in to PixelUnion' }).waitFor();
      await page.getByRole('link', { name: /^Privacy/ }).click();
      await page.getByRole('heading', { name: 'Privacy on this server', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/privacy');

      expect(requests.length).toBeGreaterThan(0);
      expect(foreignRequests(requests, new URL(web.server.url).origin)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is linked from the navigation of the signed-in app', async () => {
    const context = await signedInContext(web.browser, web.server.url, user.token, {
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      await page.goto(web.server.url);
      const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', {
        name: 'Privacy',
      });
      expect(await link.getAttribute('href')).toBe('/privacy');
      // It opens in a new tab, so that the library (and any upload) stays open in this one.
      const [opened] = await Promise.all([context.waitForEvent('page'), link.click()]);
      await opened.getByRole('heading', { name: 'Privacy on this server', level: 1 }).waitFor();
      expect(new URL(opened.url()).pathname).toBe('/privacy');
    } finally {
      await context.close();
    }
  });
});
