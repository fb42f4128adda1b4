/**
 * The panel on Salesforce Lightning and JobAdder pages, in Chromium with the
 * saved pages served at the real addresses. First with a company that has a
 * HubSpot integration only: detection, mounting, SPA navigation and the
 * backend's plain answer for CRMs it is not connected to (EXT-DET-1,
 * EXT-UI-1). Then with a company connected to Salesforce, and one connected
 * to JobAdder: the calls logged on Claire's record listed there (EXT-LIST-1),
 * a note typed in the panel reaching the Task's Description or the JobAdder
 * call note (EXT-NOTE-1), read back through each CRM's own API, and linking
 * an unmatched call with its number (EXT-LINK-1).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../../lib/aircall/scenarios.ts';
import { type ExtensionBrowser, launchWithExtension, presetOptions } from '../../sandbox/browser.ts';
import { CLAIRE } from '../../sandbox/demo.ts';
import { jobadderHelpers } from '../support/jobadder.ts';
import { type SalesforceWorld, salesforceWorld } from '../support/salesforce.ts';
import { startWorld, type World } from '../support/world.ts';
import { expand, listedCalls, navToList, PANEL, screenshot } from './support/panel.ts';

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
    // The content script loads the panel on the first in-app navigation to a record (issue 8).
    await page.evaluate(() => history.pushState({}, '', '/lightning/r/Contact/003000000000001AAA/view'));
    await poll(() => page.locator(PANEL).getAttribute('data-record')).toBe(
      'salesforce/Contact/003000000000001AAA',
    );

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
    console.log(`[artefact] ${await screenshot(page, 'panel-salesforce-no-integration')}`);

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
    console.log(`[artefact] ${await screenshot(page, 'panel-jobadder-no-integration')}`);

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

/** A call from Claire answered by Alice, with a comment, as the demo plays it. */
const claireCall = (callId: number) => ({
  callId,
  direction: 'inbound',
  external: CLAIRE.e164,
  answerAfter: 5,
  talk: 95,
  user: ALICE,
  comments: [{ id: callId * 10, content: 'Wants a callback on Monday', by: ALICE }],
});

describe('the panel on Salesforce, connected (Chromium)', { timeout: 60_000 }, () => {
  let s: SalesforceWorld;
  let ext: ExtensionBrowser;
  let page: Page;
  const timings = { load: [] as number[], spa: [] as number[] };
  const SF = 'https://acme.lightning.force.com';
  const contactUrl = (id: string) => `${SF}/lightning/r/Contact/${id}/view`;

  beforeAll(async () => {
    s = await salesforceWorld({ store: 'embedded', n: 45 });
    await s.playCall(claireCall(4501));
    ext = await launchWithExtension();
    await presetOptions(ext, { backendUrl: s.w.backend.url, token: s.w.company.agentTokens.alice });
    page = await ext.context.newPage();
    page.on('pageerror', (e) => console.log('page error:', e.stack));
  }, 120_000);

  afterAll(async () => {
    const ms = (xs: number[]) => xs.map((t) => t.toFixed(0)).join(', ');
    console.log(
      `[measure] Salesforce, call list on screen: ${ms(timings.load)} ms after a page load; ${ms(timings.spa)} ms after an in-app navigation (pushState)`,
    );
    await ext?.close();
    await s?.w.close();
  });

  it("EXT-LIST-1: Claire's Contact page lists the call logged as a Task on her, with a link to the Task", async () => {
    const url = contactUrl(s.sf.claire);
    await page.goto(url);
    await expand(page);
    timings.load.push(
      await navToList(page, () => page.goto(url), `salesforce/Contact/${s.sf.claire}`, 'load'),
    );
    expect(await listedCalls(page)).toEqual(['4501']);
    const taskId = (await s.logging(4501)).written.activity?.id;
    expect(taskId).toBeDefined();
    const [task] = await s.soql(`SELECT Id, WhoId FROM Task WHERE Id = '${taskId}'`);
    expect(task?.WhoId).toBe(s.sf.claire);
    const item = page.locator(`${PANEL} li[data-call="4501"]`);
    const text = await item.innerText();
    expect(text).toContain('Inbound call, answered');
    expect(text).toContain('Agent: Alice');
    expect(text).toContain('Wants a callback on Monday');
    // Salesforce has no call outcome the agent picks (HS-OUT-4 is HubSpot's): no picker, no outcome.
    expect(await item.getByLabel('Set the outcome').count()).toBe(0);
    expect(text).not.toContain('Outcome:');
    expect(await item.locator('.placed a').getAttribute('href')).toBe(
      `${SF}/lightning/r/Task/${taskId}/view`,
    );
    console.log(`[artefact] ${await screenshot(page, 'panel-salesforce')}`);
  });

  it("EXT-NOTE-1: a note typed on the Contact page reaches Aircall, then the Task's Description (SF-DESC-1)", async () => {
    await page.goto(contactUrl(s.sf.claire));
    await expand(page);
    await page.getByLabel('Add a note to call 4501').fill('Quote sent for 12 seats');
    await page.locator(`${PANEL} li[data-call="4501"] form.note button`).click();
    const taskId = (await s.logging(4501)).written.activity?.id;
    await expect
      .poll(
        async () => {
          const [task] = await s.soql(`SELECT Description FROM Task WHERE Id = '${taskId}'`);
          return String(task?.Description ?? '');
        },
        { timeout: 20_000, interval: 200 },
      )
      .toContain('Quote sent for 12 seats');
    await poll(() => page.locator(`${PANEL} li[data-call="4501"] .notes`).innerText()).toContain(
      'Quote sent for 12 seats',
    );
  });

  it("EXT-DET-1: an in-app navigation to another Contact lists that Contact's calls only", async () => {
    const other = await s.record('Contact', {
      FirstName: 'Oscar',
      LastName: 'Autre',
      Phone: '+33 6 45 00 00 02',
    });
    await s.playCall({ ...claireCall(4502), external: '+33 6 45 00 00 02', comments: [] });
    await page.goto(contactUrl(s.sf.claire));
    await expand(page);
    await page.locator(`${PANEL} li[data-call="4501"]`).waitFor();
    timings.spa.push(
      await navToList(
        page,
        () => page.evaluate((id) => history.pushState({}, '', `/lightning/r/Contact/${id}/view`), other),
        `salesforce/Contact/${other}`,
        'spa',
      ),
    );
    expect(await listedCalls(page)).toEqual(['4502']);
  });

  it('EXT-LINK-1: an unmatched call linked from the Contact page, adding its number: MobilePhone holds it in E.164', async () => {
    await s.settings({ newRecord: 'none' });
    await s.playCall({ ...claireCall(4503), external: '+33 6 45 00 00 03', comments: [] });
    expect((await s.logging(4503)).unmatched).toBe(true);
    await page.goto(contactUrl(s.sf.claire));
    await expand(page);
    const entry = page.locator(`${PANEL} .inbox li[data-call="4503"]`);
    await entry.getByLabel('Also add +33645000003 to this record').check();
    await entry.getByRole('button', { name: 'Link call 4503 to this record' }).click();
    await poll(() => page.locator(`${PANEL} .notice`).innerText()).toContain(
      '+33645000003 was added to its MobilePhone field',
    );
    const [claire] = await s.soql(`SELECT Phone, MobilePhone FROM Contact WHERE Id = '${s.sf.claire}'`);
    expect(claire).toMatchObject({ Phone: CLAIRE.phone, MobilePhone: '+33645000003' });
    await poll(() => listedCalls(page)).toContain('4503');
    const [task] = await s.soql(
      `SELECT WhoId FROM Task WHERE Id = '${(await s.logging(4503)).written.activity?.id}'`,
    );
    expect(task?.WhoId).toBe(s.sf.claire);
  });
});

describe('the panel on JobAdder, connected (Chromium)', { timeout: 60_000 }, () => {
  let w: World;
  let h: ReturnType<typeof jobadderHelpers>;
  let ext: ExtensionBrowser;
  let page: Page;
  const timings = { load: [] as number[], spa: [] as number[] };
  const contactUrl = (id: string | number) => `https://app.jobadder.com/contacts/${id}`;

  beforeAll(async () => {
    w = await startWorld({ store: 'embedded', n: 46, crm: 'jobadder' });
    h = jobadderHelpers(w);
    await w.play({ call: claireCall(4601) });
    await h.settled();
    ext = await launchWithExtension();
    await presetOptions(ext, { backendUrl: w.backend.url, token: w.company.agentTokens.alice });
    page = await ext.context.newPage();
    page.on('pageerror', (e) => console.log('page error:', e.stack));
  }, 120_000);

  afterAll(async () => {
    const ms = (xs: number[]) => xs.map((t) => t.toFixed(0)).join(', ');
    console.log(
      `[measure] JobAdder, call list on screen: ${ms(timings.load)} ms after a page load; ${ms(timings.spa)} ms after an in-app navigation (pushState)`,
    );
    await ext?.close();
    await w?.close();
  });

  it("EXT-LIST-1: Claire's contact page lists the call logged as a JobAdder note on her", async () => {
    const url = contactUrl(CLAIRE.id);
    await page.goto(url);
    await expand(page);
    timings.load.push(await navToList(page, () => page.goto(url), `jobadder/contact/${CLAIRE.id}`, 'load'));
    expect(await listedCalls(page)).toEqual(['4601']);
    const noteId = (await h.callLogging(4601)).written.activity?.id;
    expect(noteId).toBeDefined();
    expect((await h.notesOf('contacts', CLAIRE.id)).map((n) => n.noteId)).toContain(noteId);
    const text = await page.locator(`${PANEL} li[data-call="4601"]`).innerText();
    expect(text).toContain('Inbound call, answered');
    expect(text).toContain('Wants a callback on Monday');
    expect(text).toMatch(/Logged in JobAdder \S+ \S+/);
    console.log(`[artefact] ${await screenshot(page, 'panel-jobadder')}`);
  });

  it('EXT-NOTE-1: a note typed on the contact page reaches Aircall, then the JobAdder call note', async () => {
    await page.goto(contactUrl(CLAIRE.id));
    await expand(page);
    await page.getByLabel('Add a note to call 4601').fill('Sent the job spec');
    await page.locator(`${PANEL} li[data-call="4601"] form.note button`).click();
    const noteId = (await h.callLogging(4601)).written.activity?.id;
    await expect
      .poll(async () => (await w.jobadder('GET', `/notes/${noteId}`)).json.text as string, {
        timeout: 20_000,
        interval: 200,
      })
      .toContain('Sent the job spec');
    await poll(() => page.locator(`${PANEL} li[data-call="4601"] .notes`).innerText()).toContain(
      'Sent the job spec',
    );
  });

  it("EXT-DET-1: an in-app navigation to a candidate lists that candidate's calls only", async () => {
    const { candidateIds } = await h.seed({
      candidates: [{ firstName: 'Nina', lastName: 'Candidate', phone: '+33 6 46 00 00 02' }],
    });
    const nina = candidateIds[0];
    await w.play({ call: { ...claireCall(4602), external: '+33 6 46 00 00 02', comments: [] } });
    await h.settled();
    await page.goto(contactUrl(CLAIRE.id));
    await expand(page);
    await page.locator(`${PANEL} li[data-call="4601"]`).waitFor();
    timings.spa.push(
      await navToList(
        page,
        () => page.evaluate((id) => history.pushState({}, '', `/candidates/${id}`), nina),
        `jobadder/candidate/${nina}`,
        'spa',
      ),
    );
    expect(await listedCalls(page)).toEqual(['4602']);
  });

  it('EXT-LINK-1: JobAdder cannot take the number: the panel says why, nothing is linked, and the call links without it', async () => {
    await w.play({ call: { ...claireCall(4603), external: '+33 6 46 00 00 03', comments: [] } });
    await h.settled();
    expect((await h.callLogging(4603)).unmatched).toBe(true);
    await page.goto(contactUrl(CLAIRE.id));
    await expand(page);
    const entry = page.locator(`${PANEL} .inbox li[data-call="4603"]`);
    const add = entry.getByLabel('Also add +33646000003 to this record');
    await add.check();
    await entry.getByRole('button', { name: 'Link call 4603 to this record' }).click();
    const said = entry.getByRole('status');
    await poll(() => said.innerText()).toContain('Not linked: The number cannot be added');
    expect(await said.innerText()).toContain(`does not change JobAdder contact ${CLAIRE.id}`);
    expect(await said.innerText()).toContain('Link the call without adding the number.');
    await w.settle();
    expect((await h.callLogging(4603)).unmatched).toBe(true);

    await add.uncheck();
    await entry.getByRole('button', { name: 'Link call 4603 to this record' }).click();
    await poll(() => listedCalls(page)).toContain('4603');
    expect((await h.callLogging(4603)).recordId).toBe(CLAIRE.id);
  });
});
