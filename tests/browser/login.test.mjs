// Logging in and out through the login page.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  INSPECTOR,
  login,
  openBrowser,
  startServer,
  userName,
  waitForStoredSession,
} from './helpers.mjs';

describe('the login page', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('a wrong password shows a Dutch error and stays on the login page', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page } = browser;
      await page.goto('/');
      await page.waitForURL('**/inloggen');
      await page.getByRole('heading', { name: 'Inloggen' }).waitFor({ state: 'visible' });
      await page.locator('#username').fill(INSPECTOR.username);
      await page.locator('#password').fill('niet-het-wachtwoord');
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.locator('form button[type="submit"]').click();
      assert.equal((await answer).status(), 401);

      const error = page.getByRole('alert').filter({ hasText: 'onjuist' });
      await error.waitFor({ state: 'visible' });
      assert.match(await error.innerText(), /onjuist/);
      assert.equal(new URL(page.url()).pathname, '/inloggen');
      assert.equal(await page.getByTestId('user-name').count(), 0, 'nobody is shown as logged in');
      await page.locator('#username').waitFor({ state: 'visible' });
      // The button is usable again for a second try.
      assert.equal(await page.locator('form button[type="submit"]').isEnabled(), true);
    } finally {
      await browser.close();
    }
  });

  it('logging out returns to the login page and forgets the session across a reload', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page } = browser;
      await login(page);
      await waitForStoredSession(page, true);

      const revoked = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
      await page.getByRole('button', { name: 'Uitloggen' }).click();
      await page.waitForURL('**/inloggen');
      await page.locator('#username').waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('user-name').count(), 0);
      assert.ok((await revoked).ok(), 'the token is revoked on the server');
      await waitForStoredSession(page, false);

      // After a reload the app reads IndexedDB again: a protected page must send us to the login page.
      await page.reload();
      await page.goto('/vandaag');
      await page.waitForURL('**/inloggen');
      await page.locator('#username').waitFor({ state: 'visible' });
      assert.equal(await userName(page).count(), 0, 'the name is gone after the reload');
    } finally {
      await browser.close();
    }
  });
});
