/**
 * The panel on Salesforce Lightning and JobAdder pages (EXT-DET-1, EXT-UI-1),
 * in Chromium with the saved pages served at the real addresses. The
 * backend's Salesforce and JobAdder adapters are not in this world yet (the
 * demo company has a HubSpot integration only), so these tests prove
 * detection, mounting, SPA navigation and that the panel shows the
 * backend's answer for those records; calls logged there come with those
 * adapters.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, presetOptions } from '../../sandbox/browser.ts';
import { startWorld, type World } from '../support/world.ts';
import { expand, navToList, PANEL, screenshot } from './support/panel.ts';

function poll<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 15_000, interval: 100 });
}

describe('the panel on Salesforce and JobAdder (Chromium)', { timeout: 60_000 }, () => {
  let w: World;
  let ext: ExtensionBrowser;
  let page: Page;
  const timings: string[] = [];

  beforeAll(async () => {
    w = await startWorld({ store: 'embedded', n: 42 });
    ext = await launchWithExtension();
    await presetOptions(ext, { backendUrl: w.backend.url, token: w.company.agentTokens.alice });
    page = await ext.context.newPage();
    page.on('pageerror', (e) => console.log('page error:', e.stack));
  }, 120_000);

  afterAll(async () => {
    if (timings.length) console.log(`[measure] panel answer on screen: ${timings.join('; ')}`);
    await ext?.close();
    await w?.close();
  });

  /** The panel's answer for the open record: the list, the empty state or the backend's error. */
  async function answer(): Promise<string> {
    const body = page.locator(`${PANEL} .body`);
    await poll(async () => (await body.innerText()).includes('Loading')).toBe(false);
    return body.innerText();
  }

  const failureShown = (key: string) => async () => {
    await page.waitForFunction((k) => {
      const host = document.querySelector('aircall-crm-panel');
      return (
        host?.getAttribute('data-record') === k &&
        host.shadowRoot?.querySelector('[data-testid="failure"], ol.calls, [data-testid="empty"]')
      );
    }, key);
  };

  it('EXT-DET-1 / EXT-UI-1: Salesforce Lightning record pages (sandbox and developer hosts, id-only form) get the panel; list views do not', async () => {
    await page.goto('https://acme.lightning.force.com/lightning/o/Contact/list?filterName=Recent');
    await page.waitForTimeout(1500);
    expect(await page.locator(PANEL).count()).toBe(0);

    await page.goto(
      'https://acme--uat.sandbox.lightning.force.com/lightning/r/Contact/003000000000001AAA/view',
    );
    await expand(page);
    expect(await page.locator(PANEL).getAttribute('data-record')).toBe(
      'salesforce/Contact/003000000000001AAA',
    );
    // The backend's answer for a company without a Salesforce integration, said plainly.
    expect(await answer()).toContain('Your company has no salesforce integration.');
    expect(await answer()).toContain('Ask an admin to set it up.');
    console.log(`[artefact] ${await screenshot(page, 'panel-salesforce')}`);

    // In-app navigation to a Lead (id-only URL form on a Developer Edition host).
    await page.goto(
      'https://acme-dev-ed.develop.lightning.force.com/lightning/r/Contact/003000000000001AAA/view',
    );
    await expand(page);
    const t0 = await page.evaluate(() => performance.now());
    await page.evaluate(() => history.pushState({}, '', '/lightning/r/00Q000000000002AAA/view'));
    await poll(() => page.locator(PANEL).getAttribute('data-record')).toBe(
      'salesforce/Lead/00Q000000000002AAA',
    );
    await failureShown('salesforce/Lead/00Q000000000002AAA')();
    timings.push(
      `Salesforce pushState -> answer ${((await page.evaluate(() => performance.now())) - t0) | 0} ms (upper bound)`,
    );
    expect(await page.locator(`${PANEL} .record-line`).innerText()).toContain('Lead 00Q000000000002AAA');
    // Leaving for a list view removes the panel.
    await page.evaluate(() => history.pushState({}, '', '/lightning/o/Contact/list'));
    await poll(() => page.locator(PANEL).count()).toBe(0);
  });

  it('EXT-DET-1 / EXT-UI-1: JobAdder contact and candidate pages get the panel and follow in-app navigation', async () => {
    await page.goto('https://app.jobadder.com/contacts');
    await page.waitForTimeout(1500);
    expect(await page.locator(PANEL).count()).toBe(0);

    await page.goto('https://app.jobadder.com/contacts/1234');
    await expand(page);
    expect(await page.locator(PANEL).getAttribute('data-record')).toBe('jobadder/contact/1234');
    expect(await answer()).toContain('Your company has no jobadder integration.');
    console.log(`[artefact] ${await screenshot(page, 'panel-jobadder')}`);

    await page.locator('a[href="/candidates/98765"]').click();
    await poll(() => page.locator(PANEL).getAttribute('data-record')).toBe('jobadder/candidate/98765');
    await failureShown('jobadder/candidate/98765')();
    expect(await page.locator(`${PANEL} .record-line`).innerText()).toContain('candidate 98765');
  });

  it('EXT-LIST-1: with a HubSpot integration only, the HubSpot page of the same browser still lists its record (one extension, three CRMs)', async () => {
    const url = `https://app.hubspot.com/contacts/${w.company.ids.portalId}/record/0-1/501`;
    await page.goto(url);
    await expand(page);
    const ms = await navToList(page, () => page.goto(url), 'hubspot/contacts/501', 'load');
    timings.push(`HubSpot load -> list ${ms.toFixed(0)} ms`);
    expect(await page.locator(`${PANEL} [data-testid="empty"]`).innerText()).toContain(
      'No calls or SMS logged on this record yet.',
    );
  });
});
