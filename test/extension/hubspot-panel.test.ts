/**
 * The extension in a real Chromium on HubSpot record pages (SPEC section 7):
 * the built extension is loaded, the saved HubSpot page is served at
 * app.hubspot.com by request interception, and the backend and sandbox run
 * for real (test/support/world.ts). What the panel does is read back through
 * HubSpot's own API (the simulator) and the backend.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../../lib/aircall/scenarios.ts';
import { HUBSPOT_DEFAULT_OUTCOME_IDS as OUTCOME } from '../../lib/crm/hubspot/mapper.ts';
import { CLAIRE } from '../../sandbox/demo.ts';
import { type ExtensionBrowser, launchWithExtension, presetOptions } from '../../sandbox/browser.ts';
import { startWorld, type World } from '../support/world.ts';
import {
  contentScriptSizes,
  expand,
  listedCalls,
  navToList,
  PANEL,
  panelModuleSize,
  screenshot,
  type Size,
} from './support/panel.ts';
import { type Relay, startRelay } from './support/proxy.ts';

const N = 41;

/** expect.poll with room for a round trip through Aircall's webhooks and the worker. */
function poll<T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: 15_000, interval: 100, ...opts });
}
const PORTAL = 5000 + N;
const HS = 'https://app.hubspot.com';
const claireUrl = `${HS}/contacts/${PORTAL}/record/0-1/${CLAIRE.id}`;
const AGENT_ZONE = 'America/New_York';

describe('the panel on HubSpot (Chromium)', { timeout: 60_000 }, () => {
  let w: World;
  let relay: Relay;
  let ext: ExtensionBrowser;
  let page: Page;
  let other: string;
  const timings = { load: [] as number[], spa: [] as number[] };

  beforeAll(async () => {
    w = await startWorld({ store: 'embedded', n: N });
    // Alice works from New York while the browser runs in UTC: the panel's times are hers (EXT-LIST-1).
    const agent = await w.seedAircall({ users: [{ ...ALICE, available: true, time_zone: AGENT_ZONE }] });
    if (agent.status !== 200) throw new Error(`Aircall seed refused: ${JSON.stringify(agent.json)}`);
    relay = await startRelay(w.backend.url);
    ext = await launchWithExtension();
    await presetOptions(ext, { backendUrl: relay.url, token: w.company.agentTokens.alice });
    const seeded = await w.seedHubspot({
      objects: {
        contacts: [{ properties: { firstname: 'Olivier', lastname: 'Autre', phone: '+33640000041' } }],
      },
    });
    other = (seeded.json as { portals: { ids: { contacts: string[] } }[] }).portals[0]?.ids.contacts[0] ?? '';
    await w.play({
      call: {
        callId: 4101,
        direction: 'inbound',
        external: '+33 6 12 34 56 78',
        answerAfter: 6,
        talk: 125,
        user: ALICE,
        tags: [{ id: 31, name: 'General_Inquiries' }],
        comments: [{ id: 94101, content: 'Asked for the March invoice', by: ALICE }],
        summary: 'Claire asked for a copy of her March invoice.',
      },
    });
    await w.play({
      call: {
        callId: 4102,
        direction: 'outbound',
        external: '+33 6 40 00 00 41',
        answerAfter: 4,
        talk: 40,
        user: ALICE,
      },
    });
    await w.settle();
    page = await ext.context.newPage();
    page.on('pageerror', (e) => console.log('page error:', e.stack));
  }, 120_000);

  afterAll(async () => {
    const ms = (xs: number[]) => xs.map((t) => t.toFixed(0)).join(', ');
    console.log(
      `[measure] HubSpot, call list on screen: ${ms(timings.load)} ms after a page load; ${ms(timings.spa)} ms after an in-app navigation (pushState)`,
    );
    await ext?.close();
    await relay?.close();
    await w?.close();
  });

  async function hubspotCall(callId: number): Promise<Record<string, string | null>> {
    const l = await w.admin('GET', `/admin/companies/${w.company.ids.companyId}/calls/${callId}`);
    const id = (l.json.logging as { written: Record<string, { id: string }> }[])[0]?.written.activity?.id;
    if (!id) return {};
    const r = await w.hubspot(
      'GET',
      `/crm/v3/objects/calls/${id}?properties=hs_call_body,hs_call_disposition`,
    );
    return r.json.properties as Record<string, string | null>;
  }

  it('EXT-DET-1 / EXT-UI-1: the panel is on record pages only, in a shadow root, collapsed until asked, remembered per site', async () => {
    await page.goto(`${HS}/contacts/${PORTAL}/objects/0-1/views/all/list`);
    await page.waitForTimeout(1500);
    expect(await page.locator(PANEL).count()).toBe(0);

    await page.goto(claireUrl);
    const toggle = page.locator(`${PANEL} button.toggle`);
    await poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator(PANEL).evaluate((h) => h.shadowRoot !== null)).toBe(true);
    await toggle.click();
    await poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    // The page's `button { color: red !important }` does not reach the panel.
    expect(await toggle.evaluate((b) => getComputedStyle(b).color)).toBe('rgb(255, 255, 255)');
    await page.reload();
    await poll(() => page.locator(`${PANEL} button.toggle`).getAttribute('aria-expanded')).toBe('true');

    // Another HubSpot site (regional host), legacy URL: the panel is there, collapsed (per site).
    await page.goto(`https://app-eu1.hubspot.com/contacts/${PORTAL}/contact/${CLAIRE.id}`);
    await poll(() => page.locator(`${PANEL} button.toggle`).getAttribute('aria-expanded')).toBe('false');
    // Leaving for a non-record page (in-app) removes it.
    await page.evaluate(
      (p) => history.pushState({}, '', `/contacts/${p}/objects/0-1/views/all/list`),
      PORTAL,
    );
    await poll(() => page.locator(PANEL).count()).toBe(0);
  });

  it('EXT-LIST-1: the record calls with direction, time, duration, agent, recording, AI summary, tags, notes and where logged', async () => {
    await page.goto(claireUrl);
    await expand(page);
    // Expanded is remembered for the site: the next load shows the list at once.
    timings.load.push(
      await navToList(page, () => page.goto(claireUrl), `hubspot/contacts/${CLAIRE.id}`, 'load'),
    );
    const item = page.locator(`${PANEL} li[data-call="4101"]`);
    await item.waitFor();
    const text = await item.innerText();
    expect(text).toContain('Inbound call, answered');
    expect(text).toMatch(/ · 2 min \d\d s/);
    expect(text).toContain('Agent: Alice');
    expect(text).toContain('Claire asked for a copy of her March invoice.');
    expect(text).toContain('General_Inquiries');
    expect(text).toContain('Asked for the March invoice');
    expect(text).toMatch(/Outcome: Connected/);
    // The recording link is the backend's lasting media link for the call (lib/aircall/links.ts).
    const call = await w.agent('GET', '/v1/calls/4101');
    const recording = (call.json.summary as { recording: string }).recording;
    expect(recording).toMatch(/^https:\/\//);
    expect(await item.getByRole('link', { name: 'Recording' }).getAttribute('href')).toBe(recording);
    const logged = item.locator('.placed a');
    expect(await logged.getAttribute('href')).toMatch(
      new RegExp(`^${HS}/contacts/${PORTAL}/record/0-1/${CLAIRE.id}\\?engagement=\\d+$`),
    );
    // The time is in the agent's Aircall time zone (not the browser's UTC), and the zone is named.
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toMatch(
      /^(UTC|Etc\/UTC)$/,
    );
    expect(await page.locator(`${PANEL} [data-testid="zone"]`).innerText()).toBe(
      `Times in ${AGENT_ZONE} (your Aircall time zone)`,
    );
    const at = (call.json.summary as { at?: number }).at ?? (call.json.startedAt as number);
    const newYork = new Intl.DateTimeFormat('en-US', {
      timeZone: AGENT_ZONE,
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(at));
    const hm = (p: Intl.DateTimeFormatPart[]) =>
      `${Number(p.find((x) => x.type === 'hour')?.value) % 12 || 12}:${p.find((x) => x.type === 'minute')?.value}`;
    const shown = await item.locator('time').innerText();
    expect(shown).toMatch(/\bE[SD]T\b|GMT-[45]\b/);
    // The hour as New York reads it (12- or 24-hour clock, whichever the browser's locale uses).
    expect(
      shown.replace(/\b(\d{1,2}):(\d{2})\b/, (_, h: string, m: string) => `${Number(h) % 12 || 12}:${m}`),
    ).toContain(hm(newYork));
    expect(await listedCalls(page)).toEqual(['4101']);
    console.log(`[artefact] ${await screenshot(page, 'panel-hubspot')}`);
  });

  it('EXT-DET-1: follows in-app navigation between two records; a late answer for the first never shows on the second', async () => {
    await page.goto(claireUrl);
    await expand(page);
    await page.locator(`${PANEL} li[data-call="4101"]`).waitFor();
    const otherPath = `/contacts/${PORTAL}/record/0-1/${other}`;
    timings.spa.push(
      await navToList(
        page,
        () => page.evaluate((p) => history.pushState({}, '', p), otherPath),
        `hubspot/contacts/${other}`,
        'spa',
      ),
    );
    expect(await listedCalls(page)).toEqual(['4102']);

    // Claire's answer is slow; the agent moves on before it arrives.
    relay.delay(new RegExp(`/records/hubspot/contacts/${CLAIRE.id}/`), 2500);
    await page.evaluate((id) => history.pushState({}, '', location.pathname.replace(/\d+$/, id)), CLAIRE.id);
    await page.waitForTimeout(300);
    await page.evaluate((p) => history.pushState({}, '', p), otherPath);
    await page.waitForTimeout(3500);
    relay.delay(null);
    expect(await page.locator(PANEL).getAttribute('data-record')).toBe(`hubspot/contacts/${other}`);
    expect(await listedCalls(page)).toEqual(['4102']);

    // Back and forward are navigations too.
    await page.goBack();
    await poll(() => listedCalls(page)).toEqual(['4101']);
    await page.goForward();
    await poll(() => listedCalls(page)).toEqual(['4102']);
  });

  it('EXT-NOTE-1: a note typed in the panel reaches Aircall, then the HubSpot call', async () => {
    await page.goto(claireUrl);
    await expand(page);
    await page.getByLabel('Add a note to call 4101').fill('Invoice sent by email');
    await page.locator(`${PANEL} li[data-call="4101"] form.note button`).click();
    await poll(async () => (await hubspotCall(4101)).hs_call_body ?? '', { timeout: 20_000 }).toContain(
      'Invoice sent by email',
    );
    await poll(() => page.locator(`${PANEL} li[data-call="4101"] .notes`).innerText(), {
      timeout: 20_000,
    }).toContain('Invoice sent by email');
    expect(await page.getByLabel('Add a note to call 4101').inputValue()).toBe('');
  });

  it('EXT-TAG-1: a tag added from the company list shows up on the call, and can be removed', async () => {
    await page.goto(claireUrl);
    await expand(page);
    const item = page.locator(`${PANEL} li[data-call="4101"]`);
    await item.getByLabel('Add a tag').selectOption({ label: 'Refund' });
    await poll(() => item.locator('.tag').allInnerTexts(), { timeout: 20_000 }).toContainEqual(
      expect.stringContaining('Refund'),
    );
    await item.getByRole('button', { name: 'Remove tag Refund' }).click();
    await poll(async () => (await item.locator('.tag').allInnerTexts()).join(' '), {
      timeout: 20_000,
    }).not.toContain('Refund');
  });

  it('HS-OUT-4: the outcome picked in the panel is the HubSpot call disposition', async () => {
    await page.goto(claireUrl);
    await expand(page);
    const item = page.locator(`${PANEL} li[data-call="4101"]`);
    await item.getByLabel('Set the outcome').selectOption({ label: 'Busy' });
    await poll(async () => (await hubspotCall(4101)).hs_call_disposition, { timeout: 20_000 }).toBe(
      OUTCOME.Busy,
    );
    // EXT-LIST-1: the outcome the panel shows is the one HubSpot holds now (the backend names it).
    await poll(() => item.locator('.line2').innerText(), { timeout: 20_000 }).toContain('Outcome: Busy');
  });

  it('EXT-LINK-1 / EXT-WHY-1: an unmatched call shows why, and linked from the panel (adding its number) it is logged on the open record', async () => {
    const r = await w.admin('PUT', `/admin/companies/${w.company.ids.companyId}/integrations/hubspot`, {
      name: 'HubSpot (sandbox)',
      connectedNumbers: [1],
      defaultCountry: 'FR',
      createContacts: false,
    });
    expect(r.status).toBe(200);
    await w.play({
      call: {
        callId: 4103,
        direction: 'inbound',
        external: '+33 6 40 00 00 43',
        answerAfter: 3,
        talk: 20,
        user: ALICE,
      },
    });
    await w.settle();
    await page.goto(`${HS}/contacts/${PORTAL}/record/0-1/${other}`);
    await expand(page);
    const entry = page.locator(`${PANEL} .inbox li[data-call="4103"]`);
    await entry.getByText('Why was this not logged?').click();
    expect(await entry.locator('.why').innerText()).toMatch(/HS-GEN-2/);
    await entry.getByLabel('Also add +33640000043 to this record').check();
    await entry.getByRole('button', { name: 'Link call 4103 to this record' }).click();
    await poll(() => page.locator(`${PANEL} .notice`).innerText()).toContain(
      '+33640000043 was added to its mobilephone field',
    );
    // The number is on the record in HubSpot, in E.164, in its first empty phone field.
    const contact = await w.hubspot('GET', `/crm/v3/objects/contacts/${other}?properties=phone,mobilephone`);
    expect(contact.json.properties).toMatchObject({ phone: '+33640000041', mobilephone: '+33640000043' });
    await poll(() => listedCalls(page), { timeout: 20_000 }).toContain('4103');
    const l = await w.admin('GET', `/admin/companies/${w.company.ids.companyId}/calls/4103`);
    const logging = (
      l.json.logging as { recordId: string; unmatched: boolean; written: Record<string, { id: string }> }[]
    )[0];
    expect(logging?.recordId).toBe(other);
    const assoc = await w.hubspot(
      'GET',
      `/crm/v4/objects/calls/${logging?.written.activity?.id}/associations/contacts`,
    );
    expect((assoc.json.results as { toObjectId: number }[]).map((a) => String(a.toObjectId))).toEqual([
      other,
    ]);
  });

  it('EXT-FIX-1: the record phone not in E.164 is shown and rewritten only on confirmation', async () => {
    await page.goto(claireUrl);
    await expand(page);
    const fix = page.locator(`${PANEL} .fix`);
    await poll(() => fix.innerText()).toContain(`${CLAIRE.phone} → ${CLAIRE.e164}`);
    await fix.getByRole('button', { name: 'Rewrite to E.164…' }).click();
    const before = await w.hubspot('GET', `/crm/v3/objects/contacts/${CLAIRE.id}?properties=phone`);
    expect((before.json.properties as { phone: string }).phone).toBe(CLAIRE.phone);
    await fix.getByRole('button', { name: /Confirm/ }).click();
    await poll(async () => {
      const c = await w.hubspot('GET', `/crm/v3/objects/contacts/${CLAIRE.id}?properties=phone`);
      return (c.json.properties as { phone: string }).phone;
    }).toBe(CLAIRE.e164);
    await poll(() => fix.count()).toBe(0);
  });

  it('EXT-OFF-1: backend unreachable: the panel says so, keeps the typed note, retries, and sends it once back', async () => {
    await page.goto(claireUrl);
    await expand(page);
    await page.locator(`${PANEL} li[data-call="4101"]`).waitFor();
    await relay.down();
    const box = page.getByLabel('Add a note to call 4101');
    await box.fill('Called back, no answer');
    await page.locator(`${PANEL} li[data-call="4101"] form.note button`).click();
    const alert = page.locator(`${PANEL} [data-testid="failure"]`);
    await poll(() => alert.innerText()).toContain('The backend cannot be reached.');
    expect(await alert.innerText()).toMatch(/Retrying in \d+ s/);
    expect(await box.inputValue()).toBe('Called back, no answer');
    await relay.up();
    await poll(() => alert.count(), { timeout: 20_000 }).toBe(0);
    expect(await box.inputValue()).toBe('Called back, no answer');
    await page.locator(`${PANEL} li[data-call="4101"] form.note button`).click();
    await poll(async () => (await hubspotCall(4101)).hs_call_body ?? '', { timeout: 20_000 }).toContain(
      'Called back, no answer',
    );
  });

  it('EXT-OFF-1: a refused token is said plainly; a new token in the options takes effect at once', async () => {
    await page.goto(claireUrl);
    await expand(page);
    await page.locator(`${PANEL} li[data-call="4101"]`).waitFor();
    await presetOptions(ext, { backendUrl: relay.url, token: 'not-a-valid-token' });
    const alert = page.locator(`${PANEL} [data-testid="failure"]`);
    await poll(() => alert.innerText()).toContain('Your agent token was refused.');
    await presetOptions(ext, { backendUrl: relay.url, token: w.company.agentTokens.alice });
    await poll(() => alert.count()).toBe(0);
    expect(await listedCalls(page)).toContain('4101');
  });

  it('EXT-AUTH-1: the options page checks the URL and token against the backend before saving them', async () => {
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    // Host permissions are the CRMs and this build's backend only (issue 8): another origin is refused.
    await options.getByLabel('Backend URL').fill('https://calls.example.com');
    await options.getByLabel('Agent token').fill(w.company.agentTokens.alice);
    await options.getByRole('button', { name: 'Check and save' }).click();
    await poll(() => options.getByRole('status').innerText()).toContain(
      'may only talk to its own backend, and https://calls.example.com is not it; nothing was saved',
    );
    await options.getByLabel('Backend URL').fill(w.backend.url);
    await options.getByLabel('Agent token').fill('wrong-token');
    await options.getByRole('button', { name: 'Check and save' }).click();
    await poll(() => options.getByRole('status').innerText()).toMatch(
      /^Not saved: The backend refused your agent token/,
    );
    await options.getByLabel('Agent token').fill(w.company.agentTokens.alice);
    await options.getByRole('button', { name: 'Check and save' }).click();
    await poll(() => options.getByRole('status').innerText()).toContain(
      `Connected as Aircall user ${ALICE.id} of company ${w.company.ids.companyId}`,
    );
    const saved = await ext.worker.evaluate(() =>
      (
        globalThis as unknown as {
          chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
        }
      ).chrome.storage.local.get('backend'),
    );
    // The token is kept where content scripts cannot read it (lib/extension/settings.ts, issue 8).
    expect(saved.backend).toEqual({ backendUrl: w.backend.url, savedAt: expect.any(Number) });
    expect(JSON.stringify(saved)).not.toContain(w.company.agentTokens.alice);
    await options.close();
  });

  it('issue 8: each content script is under 50 KB gzip; the panel module they load is measured', () => {
    const kb = (s: Size) => `${(s.raw / 1024).toFixed(1)} KB, gzip ${(s.gzip / 1024).toFixed(1)} KB`;
    const sizes = contentScriptSizes();
    for (const [file, s] of Object.entries(sizes)) {
      console.log(`[measure] ${file}: ${kb(s)}`);
      expect(s.gzip).toBeLessThan(50 * 1024);
    }
    expect(Object.keys(sizes).sort()).toEqual(['hubspot.js', 'jobadder.js', 'salesforce.js']);
    // React, the components, the store and zod are in the panel's module, once for the three CRMs.
    const panel = panelModuleSize();
    console.log(`[measure] ${panel.file} (loaded on record pages): ${kb(panel)}`);
    expect(panel.gzip).toBeLessThan(150 * 1024);
  });
});
