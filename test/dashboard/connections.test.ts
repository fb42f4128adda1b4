/**
 * The Connections screen in Chromium, through the real OAuth flows: the
 * browser goes to each simulator's consent page (auto-approved, like an
 * admin clicking "Allow"), which redirects to the backend's
 * /oauth/:crm/callback, which sends the browser back to the screen with the
 * result. Aircall's API key form; a revoked HubSpot refresh token shown as
 * needs_reconnection with its reason, and a Reconnect that brings it back and
 * resumes the waiting call; Salesforce and JobAdder connected from scratch; a
 * refused consent shown with its fix.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../../lib/aircall/scenarios.ts';
import { KEY_PROPERTY } from '../../lib/crm/hubspot/adapter.ts';
import { DEMO_CRMS } from '../../sandbox/demo.ts';
import type { HubspotCredentials } from '../../server/connectors/hubspot.ts';
import { getConnection } from '../../server/store/companies.ts';
import { Secrets } from '../../server/store/secrets.ts';
import { waitFor } from '../support/wait.ts';
import { SECRET_KEY, STORES, startWorld, type World } from '../support/world.ts';
import { launchBrowser, openDashboard, screenshot } from './support.ts';

const MINUTE = 60_000;

describe.each(STORES)('dashboard: connections (%s store)', (store) => {
  let w: World;
  let browser: Browser;
  let page: Page;
  const company = () => w.company.ids.companyId;
  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    w = await startWorld({ store, n: 60 });
    browser = await launchBrowser();
    page = await openDashboard(browser, w, 'connections');
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  const crmRow = (label: string) => page.getByRole('row', { name: new RegExp(`^${label}\\b`) });

  async function workState(callId: number): Promise<string | undefined> {
    const r = await w.admin('GET', `/admin/companies/${company()}/work`);
    return (r.json.work as { id: string; state: string }[]).find((x) => x.id === String(callId))?.state;
  }

  async function hubspotCallsFor(callId: number): Promise<number> {
    const r = await w.hubspot('POST', '/crm/v3/objects/calls/search', {
      filterGroups: [
        {
          filters: [
            {
              propertyName: KEY_PROPERTY,
              operator: 'EQ',
              value: `${company()}:hubspot/call/${callId}/activity`,
            },
          ],
        },
      ],
      properties: [KEY_PROPERTY],
    });
    return Number(r.json.total);
  }

  it('shows Aircall and each CRM with its status; the Aircall form says why a key is refused and saves a good one', async () => {
    await crmRow('HubSpot').getByText('Connected').waitFor({ timeout: 20_000 });
    expect(await crmRow('HubSpot').innerText()).toContain(String(w.company.ids.portalId));
    expect(await crmRow('Salesforce').innerText()).toContain('Not connected');
    await crmRow('Salesforce').getByRole('button', { name: 'Connect Salesforce' }).waitFor();
    const aircall = page.getByRole('region', { name: 'Aircall' });
    expect(await aircall.innerText()).toMatch(
      /Connected · 2 numbers · webhook registered · since .*(CET|CEST)/,
    );

    const form = page.getByRole('form', { name: 'Aircall API key' });
    await form.getByLabel('API ID').fill(w.company.ids.apiId);
    await form.getByLabel('API token').fill('not-the-token');
    await form.getByRole('button', { name: 'Update Aircall API key' }).click();
    const alert = aircall.getByRole('alert');
    await expect.poll(() => alert.innerText()).toContain('Aircall refused the API key');
    expect(await alert.innerText()).toContain('Check the API ID and token in Aircall');

    await form.getByLabel('API token').fill(w.company.ids.apiToken);
    await form.getByRole('button', { name: 'Update Aircall API key' }).click();
    await aircall.getByText('Aircall is connected and its webhook is registered.').waitFor();
    expect(await aircall.getByRole('alert').count()).toBe(0);
  }, 60_000);

  it('a revoked HubSpot refresh token shows "needs reconnection" with the reason; Reconnect through the consent page brings it back and logs the waiting call', async () => {
    const conn = await getConnection<HubspotCredentials>(
      w.db,
      Secrets.fromEnv(SECRET_KEY),
      company(),
      'hubspot',
    );
    await post(`${w.sandbox.hubspot.url}/_sandbox/oauth/revoke`, {
      refreshToken: conn?.credentials.refreshToken,
    });
    // The access token expires (30 minutes); the next call needs the refused refresh token.
    await w.advance(31 * MINUTE);
    await w.play({
      call: {
        callId: 6001,
        direction: 'inbound',
        external: '+33612345678',
        answerAfter: 3,
        talk: 40,
        user: ALICE,
      },
    });
    await waitFor('call 6001 paused', async () => (await workState(6001)) === 'paused');

    await page.reload();
    const hubspot = crmRow('HubSpot');
    await hubspot.getByText('Needs reconnection').waitFor({ timeout: 20_000 });
    expect(await hubspot.innerText()).toMatch(/refresh token/);
    await screenshot(page, 'connections-needs-reconnection');

    await hubspot.getByRole('button', { name: 'Reconnect HubSpot' }).click();
    // HubSpot's consent page, then the callback, then back here with the result.
    await page.getByRole('status').filter({ hasText: 'HubSpot is connected' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('status').filter({ hasText: 'HubSpot is connected' }).innerText()).toContain(
      `account ${w.company.ids.portalId}`,
    );
    expect(new URL(page.url()).search).toBe('');
    expect(new URL(page.url()).hash).toBe('#/connections');
    await crmRow('HubSpot').getByText('Connected', { exact: true }).waitFor();
    expect(await crmRow('HubSpot').innerText()).not.toMatch(/refresh token/);
    await waitFor('call 6001 logged', async () => (await workState(6001)) === 'done');
    expect(await hubspotCallsFor(6001)).toBe(1);
  }, 60_000);

  it('connects Salesforce and JobAdder through their consent pages', async () => {
    for (const crm of ['salesforce', 'jobadder'] as const) {
      const demo = DEMO_CRMS[crm];
      const sim = w.sandbox[crm].url;
      const seeded = await post(
        `${sim}/_sandbox/seed`,
        demo.seed(w.company.ids, `${w.backend.url}/oauth/${crm}/callback`),
      );
      expect(seeded.status).toBe(200);
      await crmRow(demo.label)
        .getByRole('button', { name: `Connect ${demo.label}` })
        .click();
      const notice = page.getByRole('status').filter({ hasText: `${demo.label} is connected` });
      await notice.waitFor({ timeout: 20_000 });
      await crmRow(demo.label).getByText('Connected', { exact: true }).waitFor();
      await crmRow(demo.label)
        .getByRole('button', { name: `Reconnect ${demo.label}` })
        .waitFor();
    }
    const r = await w.admin('GET', `/admin/companies/${company()}/connections`);
    const conns = r.json.connections as { provider: string; status: string }[];
    expect(conns.map((c) => `${c.provider}:${c.status}`).sort()).toEqual([
      'aircall:ok',
      'hubspot:ok',
      'jobadder:ok',
      'salesforce:ok',
    ]);
    await screenshot(page, 'connections');
  }, 60_000);

  it('a refused consent comes back as the reason and what to do; API clients still get JSON', async () => {
    const { json } = await w.admin('GET', `/admin/companies/${company()}/connections/salesforce/authorize`);
    const consent = new URL(String(json.url));
    // The Salesforce simulator's "Deny" (sandbox/salesforce/oauth.ts): the redirect carries error=access_denied.
    consent.searchParams.set('deny', 'true');
    await page.goto(consent.toString());
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toContain(
      'Salesforce was not connected: Salesforce did not grant access: access_denied',
    );
    expect(await alert.innerText()).toContain('Start the connection again from the dashboard');
    await screenshot(page, 'connections-refused');

    const api = await fetch(`${w.backend.url}/oauth/salesforce/callback?error=access_denied`);
    expect(api.status).toBe(400);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('oauth_denied');
  }, 60_000);
});
