/**
 * The Doctor screen in Chromium (GEN-DOC-3, GEN-DOC-6): run the checks, read
 * the findings with their fix, rewrite the numbers to E.164 in one click
 * (confirmed, then read back through HubSpot's API), and look up a call's trace.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../support/world.ts';
import { CLAIRE } from '../../sandbox/demo.ts';
import { launchBrowser, openDashboard, screenshot } from './support.ts';

const WAIT = { timeout: 30_000 };

describe('dashboard: the Doctor (embedded store)', () => {
  let w: World;
  let browser: Browser;
  beforeAll(async () => {
    w = await startWorld({ store: 'embedded', n: 73 });
    await w.play({ scenario: 'inbound-answered', callId: 7301, external: CLAIRE.e164 });
    await w.settle();
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('GEN-DOC-3 / GEN-DOC-6: runs the checks, shows findings with their fix, rewrites the numbers to E.164 in one click, and shows a call trace', async () => {
    const page = await openDashboard(browser, w, 'doctor');
    await page.getByRole('button', { name: 'Run the checks' }).click();
    const hubspot = page.getByRole('region', { name: 'HubSpot', exact: true });
    await hubspot.waitFor(WAIT);

    const phones = hubspot.getByRole('article', { name: 'Phone numbers not stored in E.164' });
    await phones.waitFor(WAIT);
    expect(await phones.innerText()).toContain(`Claire Dupont phone: "${CLAIRE.phone}" → ${CLAIRE.e164}`);
    expect(await phones.innerText()).toContain('What to do:');
    await expect
      .poll(() => hubspot.getByRole('region', { name: 'HubSpot: Connected numbers and IVRs' }).innerText())
      .toContain('Aircall numbers not connected');
    await screenshot(page, 'doctor-findings');

    await phones.getByRole('button', { name: 'Rewrite 1 number to E.164' }).click();
    const confirm = phones.getByRole('group', { name: 'Confirm the rewrite' });
    expect(await confirm.innerText()).toContain(`"${CLAIRE.phone}" → ${CLAIRE.e164}`);
    await confirm.getByRole('button', { name: 'Yes, rewrite 1 number' }).click();
    const result = phones.getByRole('status');
    await expect.poll(() => result.innerText(), WAIT).toContain('Rewrote 1 number on 1 record in HubSpot.');
    const claire = await w.hubspot('GET', `/crm/v3/objects/contacts/${CLAIRE.id}?properties=phone`);
    expect((claire.json.properties as { phone: string }).phone).toBe(CLAIRE.e164);
    await screenshot(page, 'doctor-rewritten');

    await page.getByRole('button', { name: 'Run the checks again' }).click();
    await expect
      .poll(
        () => hubspot.getByRole('region', { name: 'HubSpot: Phone number format (E.164)' }).innerText(),
        WAIT,
      )
      .toContain('Phone numbers are in E.164');

    await page.getByLabel('Aircall call id').fill('7301');
    await page.getByRole('button', { name: 'Show the trace' }).click();
    const call = page.getByRole('region', { name: 'Call 7301' });
    await call.getByRole('article', { name: 'Logged in HubSpot' }).waitFor(WAIT);
    expect(await call.getByRole('region', { name: 'Trace in HubSpot' }).innerText()).toMatch(/GEN-NUM-1/);
    await screenshot(page, 'doctor-call');
    await page.context().close();
  });
});
