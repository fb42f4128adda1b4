/**
 * The Calls screen in Chromium (GEN-TRACE-1, GEN-PHONE-1): calls played
 * through the Aircall simulator, searched in the browser by number (national
 * format, compared in E.164), by agent (name or Aircall user id), by time
 * window (the admin's zone) and by call id; a call's decision trace with the
 * CRM id read back from HubSpot; two calls HubSpot refused (a fault injected
 * in its simulator) listed with their error, retried one by one and all at
 * once, then read back from HubSpot exactly once.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB } from '../../lib/aircall/scenarios.ts';
import { KEY_PROPERTY } from '../../lib/crm/hubspot/adapter.ts';
import { waitFor } from '../support/wait.ts';
import { STORES, startWorld, type World } from '../support/world.ts';
import { launchBrowser, openDashboard, screenshot } from './support.ts';

const DAY = 24 * 3600_000;
const ZONE = 'Europe/Paris';

/** A datetime-local value for `ms` as the admin's browser (in ZONE) shows it. */
function localInput(ms: number): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(ms)
    .replace(' ', 'T');
}

describe.each(STORES)('dashboard: calls (%s store)', (store) => {
  let w: World;
  let browser: Browser;
  let page: Page;
  const company = () => w.company.ids.companyId;
  const twoDaysAgo = Date.now() - 2 * DAY;
  // Explicit start times (UNIX s), an hour ago and a minute apart: the list is newest first.
  const at = (minute: number) => Math.floor(Date.now() / 1000) - 3600 + minute * 60;
  const SALES_US = {
    id: 2,
    name: 'Sales US',
    digits: '+1 415-555-0100',
    country: 'US',
    time_zone: 'America/Los_Angeles',
  };

  async function hubspotCall(callId: number): Promise<{ total: number; ids: string[] }> {
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
    return { total: Number(r.json.total), ids: (r.json.results as { id: string }[]).map((x) => x.id) };
  }

  async function workState(callId: number): Promise<string | undefined> {
    const r = await w.admin('GET', `/admin/companies/${company()}/work`);
    return (r.json.work as { id: string; state: string }[]).find((x) => x.id === String(callId))?.state;
  }

  beforeAll(async () => {
    w = await startWorld({ store, n: 61 });
    const claire = { direction: 'inbound', external: '+33 6 12 34 56 78', answerAfter: 3, talk: 40 };
    await w.play({ call: { callId: 6101, ...claire, user: ALICE, startedAt: at(1) } });
    await w.play({
      call: {
        callId: 6102,
        startedAt: at(2),
        direction: 'outbound',
        external: '+33 7 11 22 33 44',
        answerAfter: 5,
        talk: 20,
        user: BOB,
      },
    });
    await w.play({
      call: {
        callId: 6103,
        startedAt: at(3),
        direction: 'inbound',
        external: '+1 415-555-0199',
        talk: 15,
        number: SALES_US,
      },
    });
    await w.play({ call: { callId: 6104, ...claire, user: BOB, startedAt: Math.floor(twoDaysAgo / 1000) } });
    await w.settle();
    // HubSpot refuses call activities until both are refused (a 400 is not retried: the items fail
    // at once), then the fault is lifted. The creates may go alone or in one batch/create, which is
    // split until each fails alone (lib/http/micro-batch.ts): so no fixed count of refusals.
    const fault = await fetch(`${w.sandbox.hubspot.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: 'POST',
        pathPrefix: '/crm/v3/objects/calls',
        status: 400,
        count: 1_000,
      }),
    });
    expect(fault.status).toBe(200);
    const unknown = {
      direction: 'inbound',
      external: '+33 6 55 44 33 22',
      answerAfter: 2,
      talk: 30,
      user: ALICE,
    };
    await w.play({ call: { callId: 6105, ...unknown, startedAt: at(5) } });
    await w.play({ call: { callId: 6106, ...unknown, startedAt: at(6) } });
    await waitFor('6105 and 6106 failed', async () =>
      (await workState(6105)) === 'failed' && (await workState(6106)) === 'failed' ? true : null,
    );
    await fetch(`${w.sandbox.hubspot.url}/_sandbox/faults`, { method: 'DELETE' });
    browser = await launchBrowser();
    page = await openDashboard(browser, w, 'calls', { timezoneId: ZONE });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  const listed = () =>
    page.locator('tr[data-call]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-call')));
  const form = () => page.getByRole('form', { name: 'Search calls' });

  async function search(fields: {
    number?: string;
    agent?: string;
    from?: string;
    to?: string;
    callId?: string;
  }) {
    await form().getByRole('button', { name: 'Clear' }).click();
    if (fields.number !== undefined)
      await form().getByRole('searchbox', { name: 'Number' }).fill(fields.number);
    if (fields.agent !== undefined) await form().getByRole('combobox', { name: 'Agent' }).fill(fields.agent);
    if (fields.from !== undefined) await form().getByLabel('From', { exact: true }).fill(fields.from);
    if (fields.to !== undefined) await form().getByLabel('To', { exact: true }).fill(fields.to);
    if (fields.callId !== undefined)
      await form().getByRole('searchbox', { name: 'Call id' }).fill(fields.callId);
    await form().getByRole('button', { name: 'Search' }).click();
  }

  it('lists the latest calls, newest first, with their logging per integration', async () => {
    await expect.poll(listed, { timeout: 20_000 }).toEqual(['6106', '6105', '6103', '6102', '6101', '6104']);
    const row = page.locator('tr[data-call="6101"]');
    expect(await row.innerText()).toMatch(/(CET|CEST)/);
    expect(await row.innerText()).toContain('+33612345678');
    expect(await row.innerText()).toContain('Alice Martin (11)');
    expect(await row.innerText()).toContain('HubSpot: Logged');
    expect(await page.locator('tr[data-call="6105"]').innerText()).toContain('HubSpot: Failed');
  }, 60_000);

  it('pages through the search with the cursor it gives, every call once, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const query: string = `limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await w.admin('GET', `/admin/companies/${company()}/calls?${query}`);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      seen.push(...(r.json.calls as { id: string }[]).map((c) => c.id));
      cursor = r.json.next as string | null;
      if (!cursor) break;
    }
    expect(seen).toEqual(['6106', '6105', '6103', '6102', '6101', '6104']);
    const bad = await w.admin('GET', `/admin/companies/${company()}/calls?cursor=nonsense`);
    expect(bad.status).toBe(400);
    expect((bad.json.error as { fix: string }).fix).toMatch(/`next` of the previous page/);
  });

  it('GEN-PHONE-1: searches by a number in national format, compared in E.164', async () => {
    await search({ number: '06 12 34 56 78' });
    await expect.poll(listed).toEqual(['6101', '6104']);
    expect(await page.getByText('2 calls with +33612345678 matching the search').count()).toBe(1);
    await search({ number: '+33612345678' });
    await expect.poll(listed).toEqual(['6101', '6104']);
    await search({ number: 'not a number' });
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText()).toContain('The number cannot be searched');
    expect(await alert.innerText()).toContain('Type it with its country code');
  }, 60_000);

  it('searches by agent name or Aircall user id, by time window in the admin zone, and by call id', async () => {
    await search({ agent: 'bob' });
    await expect.poll(listed).toEqual(['6102', '6104']);
    await search({ agent: String(ALICE.id) });
    await expect.poll(listed).toEqual(['6106', '6105', '6101']);
    await search({ from: localInput(twoDaysAgo - DAY), to: localInput(twoDaysAgo + DAY) });
    await expect.poll(listed).toEqual(['6104']);
    await search({ callId: '6102' });
    await expect.poll(listed).toEqual(['6102']);
    await search({ callId: '999999' });
    await page.getByText('No call matches.').waitFor();
  }, 60_000);

  it('GEN-TRACE-1: a call opens its decision trace: the rules with their outcomes and the HubSpot id written', async () => {
    await search({ callId: '6101' });
    await expect.poll(listed).toEqual(['6101']);
    await page.getByRole('button', { name: 'Trace of call 6101' }).click();
    const trace = page.getByRole('region', { name: 'Trace in HubSpot' });
    await trace.waitFor();
    const [activityId] = (await hubspotCall(6101)).ids;
    expect(activityId).toBeTruthy();
    const text = await trace.innerText();
    expect(text).toContain('HubSpot: Logged');
    expect(text).toMatch(new RegExp(`activity: .*${activityId}`));
    expect(text).toMatch(/GEN-NUM-1 applied/);
    expect(text).toMatch(/HS-OUT-1 applied/);
    await screenshot(page, 'calls-trace');

    // A call on a number the integration does not log says why nothing was written.
    await search({ callId: '6103' });
    await page.getByRole('button', { name: 'Trace of call 6103' }).click();
    const stopped = page.getByRole('region', { name: 'Trace in HubSpot' });
    await expect.poll(() => stopped.innerText()).toMatch(/Nothing was written: .*\(GEN-NUM-1\)/);
    expect(await stopped.innerText()).toMatch(/GEN-NUM-1 stopped/);
  }, 60_000);

  it('lists failed work with its error and attempts; Retry one and Retry all log them, read back from HubSpot once', async () => {
    const failed = page.getByRole('table', { name: 'Failed work' });
    await failed.waitFor();
    const row = failed.locator('tr[data-work$="/call/6105"]');
    expect(await row.innerText()).toMatch(/hubspot refused the request \(400\)/);
    expect(await row.locator('td').nth(2).innerText()).toBe('1');
    await screenshot(page, 'calls');

    await row.getByRole('button', { name: 'Retry Call 6105 in HubSpot' }).click();
    const results = page.getByRole('status', { name: 'Retry results' });
    await expect.poll(() => results.innerText(), { timeout: 20_000 }).toBe('Call 6105 in HubSpot: logged');
    expect((await hubspotCall(6105)).total).toBe(1);
    await expect.poll(() => failed.locator('tr[data-work]').count()).toBe(1);

    await page.getByRole('button', { name: 'Retry all (1)' }).click();
    await expect.poll(() => results.innerText(), { timeout: 20_000 }).toBe('Call 6106 in HubSpot: logged');
    expect((await hubspotCall(6106)).total).toBe(1);
    await page.getByText('No failed work.').waitFor();

    // The retried call's trace now shows what was written.
    await search({ callId: '6105' });
    await page.getByRole('button', { name: 'Trace of call 6105' }).click();
    const trace = page.getByRole('region', { name: 'Trace in HubSpot' });
    await expect.poll(() => trace.innerText()).toContain((await hubspotCall(6105)).ids[0] ?? 'no id');
    await screenshot(page, 'calls-retried');
  }, 60_000);
});
