/**
 * The dashboard in a real Chromium (TOOLCHAIN.md), served by the test
 * world's backend at /dashboard/, signed in with the admin token and on the
 * world's company. One browser per test file; one page per test.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROME_PATH } from '../../sandbox/browser.ts';
import { DASHBOARD_DIR } from '../../server/http/dashboard.ts';
import { ADMIN_TOKEN, type World } from '../support/world.ts';

export const OUTPUT_DIR = join(import.meta.dirname, '..', '..', 'test-output');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(DASHBOARD_DIR, 'index.html'))) {
    throw new Error(`No dashboard build in ${DASHBOARD_DIR}: run \`npm run build\` first.`);
  }
  return chromium.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}

/**
 * A page on the dashboard, signed in and on the world's company, at one
 * screen (`#/calls`...). `timezoneId` sets the admin's zone (times are shown in it).
 */
export async function openDashboard(
  browser: Browser,
  w: World,
  screen: string,
  opts: { timezoneId?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: opts.timezoneId ?? 'Europe/Paris',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  await page.goto(`${w.backend.url}/dashboard/#/${screen}`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('select[name=company]').selectOption(w.company.ids.companyId);
  await page.locator(`main[data-screen="${screen}"]`).waitFor();
  return page;
}

/** Save a screenshot in test-output/ so a reviewer can look at the screen. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `dashboard-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
