/**
 * The Agent tokens screen in Chromium: a token issued in the browser is shown
 * once (with a copy button and the warning), works against /v1/me over HTTP,
 * and once revoked (after a confirmation) /v1/me answers 401.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOB } from '../../lib/aircall/scenarios.ts';
import { STORES, startWorld, type World } from '../support/world.ts';
import { launchBrowser, openDashboard, screenshot } from './support.ts';

describe.each(STORES)('dashboard: agent tokens (%s store)', (store) => {
  let w: World;
  let browser: Browser;
  beforeAll(async () => {
    w = await startWorld({ store, n: 63 });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  const me = (token: string) =>
    fetch(`${w.backend.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });

  it('issues a token shown once with a copy button, which works on /v1/me until it is revoked', async () => {
    const page = await openDashboard(browser, w, 'tokens');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: w.backend.url });
    const list = page.getByRole('table', { name: 'Agent tokens' });
    // The demo company's tokens (Alice's and Bob's), with their Aircall users and creation times.
    await list.getByRole('row', { name: /Alice Martin \(11\)/ }).waitFor({ timeout: 20_000 });

    await page.getByRole('combobox', { name: /^Aircall user/ }).selectOption(String(BOB.id));
    await page.getByLabel('Label').fill("Bob's laptop");
    await page.getByRole('button', { name: 'Issue token' }).click();
    const shown = page.getByLabel('New agent token');
    const token = (await shown.innerText({ timeout: 20_000 })).trim();
    expect(token).toMatch(/^agt_[\w-]{20,}$/);
    expect(await page.getByRole('alert').innerText()).toContain('it will not be shown again');
    await page.getByRole('button', { name: 'Copy token' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await page.getByText('Copied to the clipboard.').waitFor();
    await screenshot(page, 'tokens-issued');

    const before = await me(token);
    expect(before.status).toBe(200);
    expect(((await before.json()) as { aircallUserId: number }).aircallUserId).toBe(BOB.id);

    // Once dismissed, the value is nowhere on the page (only its hash is stored).
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await shown.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(token);

    const row = list.getByRole('row', { name: /Bob's laptop/ });
    expect(await row.innerText()).toMatch(/Bob Durand \(12\)/);
    await row.getByRole('button', { name: "Revoke Bob's laptop" }).click();
    const confirm = row.getByRole('group', { name: "Confirm revoking Bob's laptop" });
    expect(await confirm.innerText()).toContain('stops working at once');
    // Cancelling keeps it; confirming revokes it.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect((await me(token)).status).toBe(200);
    await row.getByRole('button', { name: "Revoke Bob's laptop" }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    // The revocation time, in the admin's zone with the zone named.
    await expect.poll(() => row.locator('td').nth(3).innerText()).toMatch(/\d{4}.*(CET|CEST)/);

    const after = await me(token);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    // The other agents' tokens still work.
    expect((await me(w.company.agentTokens.alice)).status).toBe(200);
    await screenshot(page, 'tokens');
    await page.context().close();
  }, 60_000);
});
