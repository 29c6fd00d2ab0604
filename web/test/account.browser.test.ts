import type { BrowserContext, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createUser,
  photo,
  uploadFixture,
  waitForJobs,
  type TestUser,
} from '../../server/src/test/factories.js';
import {
  artifactPath,
  foreignRequests,
  recordRequests,
  signedInContext,
  useBrowserAndServer,
} from './browser.js';

const password = 'correct horse battery'; // the factories' password

const web = useBrowserAndServer();
let admin: TestUser;
let user: TestUser;

beforeAll(async () => {
  admin = await createUser(web.server);
  user = await createUser(web.server, { admin });
}, 120_000);

describe('the account page in Chromium', () => {
  let context: BrowserContext;
  let requests: Request[];

  beforeAll(async () => {
    context = await signedInContext(web.browser, web.server.url, user.token, {
      viewport: { width: 1280, height: 800 },
    });
    requests = recordRequests(context);
  });
  afterAll(async () => {
    await context.close();
  });

  it('requests the deletion with the password, shows the date and receipt, cancels it', async () => {
    const page = await context.newPage();
    await page.goto(web.server.url);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    await page.getByText(user.email).waitFor();
    const section = page.getByRole('region', { name: 'Delete my account' });
    await section.getByText(/7 days after you ask/).waitFor();

    // A wrong password schedules nothing and says why.
    await section.getByLabel('Your password, to confirm').fill('not my password');
    await section.getByRole('button', { name: 'Delete my account' }).click();
    await expect(section.getByRole('alert').textContent()).resolves.toMatch(/password/i);
    const unchanged = await api<{ scheduled: boolean }>(web.server, 'GET', '/api/account/erasure', {
      token: user.token,
    });
    expect(unchanged.body.scheduled).toBe(false);

    await section.getByLabel('Your password, to confirm').fill(password);
    await section.getByRole('button', { name: 'Delete my account' }).click();
    const due = section.getByTestId('erasure-due');
    await due.waitFor();
    const status = await api<{ scheduled: boolean; dueAt: string }>(
      web.server,
      'GET',
      '/api/account/erasure',
      { token: user.token },
    );
    expect(status.body.scheduled).toBe(true);
    expect(await due.getAttribute('datetime')).toBe(status.body.dueAt);
    const days = (Date.parse(status.body.dueAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.01);
    const link = await section.getByLabel('Receipt link').inputValue();
    expect(link).toMatch(new RegExp(`^${web.server.url}/erasure-receipt/per_[A-Za-z0-9_-]+$`));
    await page.screenshot({ path: artifactPath('account-erasure-scheduled.png') });

    // The receipt page is public; before the erasure it gives the date.
    const visitor = await web.browser.newContext();
    const receiptPage = await visitor.newPage();
    await receiptPage.goto(link);
    await receiptPage.getByText(/scheduled to be deleted/).waitFor();
    await visitor.close();

    // After a reload the page still shows the date, the receipt link and the cancel button.
    await page.reload();
    await section.getByTestId('erasure-due').waitFor();
    expect(await section.getByLabel('Receipt link').inputValue()).toBe(link);
    await section.getByRole('button', { name: 'Cancel the deletion' }).click();
    await section.getByRole('button', { name: 'Delete my account' }).waitFor();
    const cancelled = await api<{ scheduled: boolean }>(web.server, 'GET', '/api/account/erasure', {
      token: user.token,
    });
    expect(cancelled.body.scheduled).toBe(false);
    expect(foreignRequests(requests, web.server.url)).toEqual([]);
  });

  it('turns on “Don’t keep where my photos were taken”, and it stays on after a reload', async () => {
    const page = await context.newPage();
    await page.goto(`${web.server.url}/account`);
    const section = page.getByRole('region', { name: 'Where your photos were taken' });
    const toggle = section.getByLabel('Don’t keep where my photos were taken');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await section.getByText(/stored without their GPS position/).waitFor();
    await expect
      .poll(async () => {
        const me = await api<{ stripLocation: boolean }>(web.server, 'GET', '/api/users/me', {
          token: user.token,
        });
        return me.body.stripLocation;
      })
      .toBe(true);

    await page.reload();
    await section.getByText(/stored without their GPS position/).waitFor();
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await section.getByText(/keep the place stored in them/).waitFor();
    await expect
      .poll(async () => {
        const after = await api<{ stripLocation: boolean }>(web.server, 'GET', '/api/users/me', {
          token: user.token,
        });
        return after.body.stripLocation;
      })
      .toBe(false);
    expect(foreignRequests(requests, web.server.url)).toEqual([]);
  });
});

describe('the admin’s “Erase now” in Chromium', () => {
  it('erases a user once their email is typed, and hands over the receipt', async () => {
    const doomed = await createUser(web.server, { admin });
    expect(
      (await uploadFixture(web.server, doomed, photo('exif-samples/jpg/Canon_40D.jpg'))).status,
    ).toBe(201);
    await waitForJobs(web.server);
    const context = await signedInContext(web.browser, web.server.url, admin.token);
    const page = await context.newPage();
    await page.goto(`${web.server.url}/admin`);
    const row = page.getByRole('row').filter({ hasText: doomed.email });
    await row.getByRole('button', { name: 'Erase now' }).click();
    const dialog = page.getByRole('dialog');
    const submit = dialog.getByRole('button', { name: 'Erase this account' });
    expect(await submit.isDisabled()).toBe(true);
    await dialog.getByLabel(/to confirm/).fill(doomed.email);
    await submit.click();
    await dialog.getByText(`${doomed.email} was erased.`).waitFor();
    const link = await dialog.getByLabel('Receipt link').inputValue();
    await page.screenshot({ path: artifactPath('admin-erased.png') });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('row').filter({ hasText: doomed.email }).waitFor({ state: 'detached' });

    const receiptPage = await context.newPage();
    await receiptPage.goto(link);
    await receiptPage.getByText(/erased on .*by an administrator/).waitFor();
    const photos = receiptPage.getByRole('row', { name: /Photos/ }).first();
    expect(await photos.textContent()).toContain('1');
    await receiptPage.screenshot({ path: artifactPath('erasure-receipt.png') });
    await context.close();
  });
});
