/** The dashboard's shell in Chromium: sign-in, a refused token, tabs in the URL, the company picker. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../support/world.ts';
import { launchBrowser, openDashboard } from './support.ts';

describe('dashboard shell (embedded store)', () => {
  let w: World;
  let browser: Browser;
  beforeAll(async () => {
    w = await startWorld({ store: 'embedded', n: 50 });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('refuses a wrong admin token with the reason and what to do, and stores nothing', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${w.backend.url}/dashboard/`);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('The admin token is wrong.');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.context().close();
  });

  it('signs in, lists the company, and keeps the tab in the URL across a reload', async () => {
    const page = await openDashboard(browser, w, 'calls');
    await page.getByRole('link', { name: 'Agent tokens' }).click();
    await page.locator('main[data-screen="tokens"]').waitFor();
    expect(new URL(page.url()).hash).toBe('#/tokens');
    await page.reload();
    await page.locator('main[data-screen="tokens"]').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    await page.context().close();
  });

  it('never serves a file outside the build', async () => {
    const res = await fetch(`${w.backend.url}/dashboard/..%2f..%2fpackage.json`);
    expect(res.status).toBe(404);
  });
});
