/**
 * The Integrations screen on a HubSpot integration, in Chromium against the
 * real backend and simulators: status (GEN-ACT-1, GEN-ADM-1), connected
 * numbers with IVR warnings (GEN-NUM-1/2), every kind of HubSpot setting
 * (SPEC section 4) saved and read back through the admin API and through a
 * played call's ticket in HubSpot, invalid combinations refused beside their
 * field, and HS-TIX-2's banner after a stage is deleted in HubSpot.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../../lib/aircall/scenarios.ts';
import { STORES, startWorld, type World } from '../support/world.ts';
import {
  fieldError,
  integrationOf,
  openIntegration,
  playClaireCall,
  save,
  saveButton,
  waitReady,
} from './settings-support.ts';
import { launchBrowser, screenshot } from './support.ts';

const PIPELINES = [
  {
    id: '700',
    label: 'Calls',
    stages: [
      { id: '701', label: 'New', metadata: { ticketState: 'OPEN' } },
      { id: '702', label: 'In progress', metadata: { ticketState: 'OPEN' } },
      { id: '703', label: 'Closed', metadata: { ticketState: 'CLOSED' } },
    ],
  },
  {
    id: '710',
    label: 'Escalations',
    stages: [{ id: '711', label: 'Open', metadata: { ticketState: 'OPEN' } }],
  },
];

/** Number 3 is an IVR routing to number 4 (sandbox extension `ivrDestinations`). */
const NUMBERS = [
  {
    id: 3,
    name: 'Standard IVR',
    digits: '+33 1 76 36 06 00',
    country: 'FR',
    time_zone: 'Europe/Paris',
    is_ivr: true,
    ivrDestinations: [4],
  },
  { id: 4, name: 'Support DE', digits: '+49 30 1234 5678', country: 'DE', time_zone: 'Europe/Berlin' },
];

describe.each(STORES)('Integrations screen, HubSpot (%s store)', (store) => {
  let w: World;
  let browser: Browser;

  beforeAll(async () => {
    w = await startWorld({ store, n: 65 });
    expect((await w.seedHubspot({ pipelines: PIPELINES })).status).toBe(200);
    expect((await w.seedAircall({ numbers: NUMBERS })).status).toBe(200);
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('GEN-ACT-1 / GEN-NUM-1 / GEN-NUM-2: the status switch, and connected numbers with IVR warnings as they are ticked', async () => {
    const page = await openIntegration(browser, w, 'hubspot');
    const active = page.getByRole('switch', { name: /Active/ });
    expect(await active.isChecked()).toBe(true);
    await active.click();
    await expect.poll(async () => (await integrationOf(w, 'hubspot')).settings.active).toBe(false);
    await page.getByText('Inactive: nothing is logged').waitFor();
    await active.click();
    await expect.poll(async () => (await integrationOf(w, 'hubspot')).settings.active).toBe(true);

    const box = (name: RegExp) => page.getByRole('checkbox', { name });
    const warnings = page.locator('[data-ivr-warning]');
    expect(await box(/^Support FR/).isChecked()).toBe(true);
    await box(/^Standard IVR/).check();
    await expect
      .poll(() => warnings.allInnerTexts())
      .toEqual([expect.stringContaining('IVR Standard IVR: destinations not connected')]);
    expect(await warnings.innerText()).toContain('Connect Support DE.');
    await box(/^Support DE/).check();
    await expect.poll(() => warnings.count()).toBe(0);
    await page.getByRole('button', { name: 'Save connected numbers' }).click();
    await page.getByText('Connected numbers saved.').waitFor();
    expect((await integrationOf(w, 'hubspot')).settings.connectedNumbers.sort()).toEqual([1, 3, 4]);

    // The reverse (GEN-NUM-2): a destination connected, its IVR not.
    await box(/^Standard IVR/).uncheck();
    await expect
      .poll(() => warnings.allInnerTexts())
      .toEqual([expect.stringContaining('IVR Standard IVR not connected')]);
    await screenshot(page, 'settings-hubspot-numbers');
    await page.getByRole('button', { name: 'Save connected numbers' }).click();
    await page.getByText('Connected numbers saved.').waitFor();
    expect((await integrationOf(w, 'hubspot')).settings.connectedNumbers.sort()).toEqual([1, 4]);
    await page.context().close();
  }, 90_000);

  it('HS-OUT-1 / HS-OUT-3 / HS-TIX-1 / HS-GEN-2..5: settings saved, shown again after a reload, and a played call gets its ticket', async () => {
    const page = await openIntegration(browser, w, 'hubspot');
    await page
      .getByLabel('Outcome for outbound calls to a contact already on a call (busy)')
      .selectOption('No answer');
    await page.getByLabel('Outcome for missed calls with voicemail').selectOption('None');
    await page.getByRole('button', { name: 'Map a tag to an outcome' }).click();
    await page.getByLabel('Tag of mapping 1').selectOption({ label: 'VIP' });
    await page.getByLabel('Outcome of mapping 1').selectOption({ label: 'Left live message' });
    await page.getByLabel('Ticket pipeline').selectOption({ label: 'Calls' });
    await page.getByLabel('Tickets for inbound answered calls').selectOption('create');
    await page.getByLabel('Stage for inbound answered calls').selectOption({ label: 'In progress' });
    await page.getByLabel('Tickets for inbound SMS').selectOption('update');
    await page.getByLabel('Stage for inbound SMS').selectOption({ label: 'New' });
    await page.getByLabel('Create a HubSpot contact for numbers that match none').uncheck();
    await page.getByLabel('Sync HubSpot contacts to Aircall').check();
    await page.getByLabel('Default owner').selectOption({ label: 'Bob Durand (bob@example.com)' });
    await page.getByLabel('Integration name').fill('HubSpot – Support');
    await save(page);

    const { settings } = await integrationOf(w, 'hubspot');
    expect(settings).toMatchObject({
      outcomes: { outbound_busy: 'No answer', missed_voicemail: 'None', inbound_answered: 'Connected' },
      tagOutcomes: [{ tagId: 33, tagName: 'VIP', outcomeId: expect.any(String) }],
      tickets: {
        pipelineId: '700',
        types: {
          inbound_answered: { action: 'create', stageId: '702' },
          sms_inbound: { action: 'update', stageId: '701' },
          outbound_answered: { action: 'none', stageId: null },
        },
      },
      onlyBusinessHours: false,
      createContacts: false,
      syncContactsToAircall: true,
      defaultOwnerId: '9002',
      name: 'HubSpot – Support',
      connectedNumbers: [1, 4],
      active: true,
    });

    await page.reload();
    await waitReady(page, 'hubspot');
    expect(await page.getByLabel('Outcome for missed calls with voicemail').inputValue()).toBe('None');
    expect(await page.getByLabel('Tickets for inbound answered calls').inputValue()).toBe('create');
    expect(await page.getByLabel('Stage for inbound answered calls').inputValue()).toBe('702');
    expect(await page.getByLabel('Default owner').inputValue()).toBe('9002');
    expect(await page.getByLabel('Create a HubSpot contact for numbers that match none').isChecked()).toBe(
      false,
    );
    expect(await page.getByLabel('Integration name').inputValue()).toBe('HubSpot – Support');
    expect(await page.getByRole('link', { name: /HubSpot – Support/ }).count()).toBe(1);
    await screenshot(page, 'settings-hubspot');
    await page.context().close();

    // The effect in HubSpot: the call from Claire opens a ticket in the chosen pipeline and stage.
    const written = await playClaireCall(w, 6501);
    const ticketId = written.ticket?.id;
    expect(ticketId, JSON.stringify(written)).toBeDefined();
    const ticket = await w.hubspot(
      'GET',
      `/crm/v3/objects/tickets/${ticketId}?properties=hs_pipeline,hs_pipeline_stage`,
    );
    expect(ticket.json.properties).toMatchObject({ hs_pipeline: '700', hs_pipeline_stage: '702' });
  }, 120_000);

  it('HS-TIX-1 / HS-OUT-3: invalid combinations are refused beside their field, and Save is disabled', async () => {
    const page = await openIntegration(browser, w, 'hubspot');
    // A ticket to create needs a stage of the pipeline.
    await page.getByLabel('Tickets for outbound SMS').selectOption('create');
    const stageError = fieldError(page, 'tickets.types.sms_outbound.stageId');
    await expect
      .poll(() => stageError.innerText())
      .toContain('tickets for outbound SMS are set to "create", which needs a stage of the ticket pipeline');
    expect(await page.getByLabel('Stage for outbound SMS').getAttribute('aria-invalid')).toBe('true');
    expect(await saveButton(page).isDisabled()).toBe(true);
    // Another pipeline clears every stage: each type that creates or updates asks for one again.
    await page.getByLabel('Ticket pipeline').selectOption({ label: 'Escalations' });
    await expect
      .poll(() => fieldError(page, 'tickets.types.inbound_answered.stageId').innerText())
      .toContain('which needs a stage');
    await page.getByLabel('Ticket pipeline').selectOption({ label: 'Calls' });

    // A tag maps to one outcome.
    await page.getByRole('button', { name: 'Map a tag to an outcome' }).click();
    await page.getByLabel('Tag of mapping 2').selectOption({ label: 'VIP' });
    await expect
      .poll(() => fieldError(page, 'tagOutcomes.1.tagId').innerText())
      .toContain('tag VIP is mapped twice; a tag maps to one outcome (HS-OUT-3)');
    await screenshot(page, 'settings-hubspot-refused');
    expect(await saveButton(page).isDisabled()).toBe(true);

    // Corrected, the same form saves.
    await page.getByRole('button', { name: 'Remove mapping 2' }).click();
    await page.getByLabel('Stage for inbound answered calls').selectOption({ label: 'In progress' });
    await page.getByLabel('Stage for inbound SMS').selectOption({ label: 'New' });
    await page.getByLabel('Stage for outbound SMS').selectOption({ label: 'New' });
    expect(await page.locator('[data-field-error]').count()).toBe(0);
    await save(page);
    expect((await integrationOf(w, 'hubspot')).settings.tickets).toMatchObject({
      types: { sms_outbound: { action: 'create', stageId: '701' } },
    });
    await page.context().close();
  }, 90_000);

  it('HS-TIX-2: a stage deleted in HubSpot shows the warning banner and the setting it changed', async () => {
    const del = await w.hubspot('DELETE', '/crm/v3/pipelines/tickets/700/stages/702');
    expect(del.status).toBe(204);
    const page = await openIntegration(browser, w, 'hubspot');
    const banner = page.locator('[data-warnings]');
    await banner.waitFor();
    expect(await banner.innerText()).toContain(
      'Tickets for inbound answered calls were set to "create" in stage 702 of pipeline "Calls", which no longer exists in HubSpot; they are now set to "do nothing".',
    );
    expect(await page.getByLabel('Tickets for inbound answered calls').inputValue()).toBe('none');
    // The other types keep their stage.
    expect(await page.getByLabel('Stage for inbound SMS').inputValue()).toBe('701');
    await screenshot(page, 'settings-hubspot-tix2');
    expect((await integrationOf(w, 'hubspot')).settings.tickets).toMatchObject({
      pipelineId: '700',
      types: { inbound_answered: { action: 'none', stageId: null }, sms_inbound: { stageId: '701' } },
    });
    await page.context().close();
  }, 60_000);

  it('GEN-ADM-1: when the installer is deleted in Aircall, the screen shows the integration inactive and why', async () => {
    const auth = `Basic ${Buffer.from(`${w.company.ids.apiId}:${w.company.ids.apiToken}`).toString('base64')}`;
    const deleted = await fetch(`${w.sandbox.aircall.url}/v1/users/${ALICE.id}`, {
      method: 'DELETE',
      headers: { authorization: auth },
    });
    expect(deleted.status).toBe(204);
    await w.sandbox.aircall.sim.flush();
    await expect.poll(async () => (await integrationOf(w, 'hubspot')).settings.active).toBe(false);

    const page = await openIntegration(browser, w, 'hubspot');
    expect(await page.getByRole('switch', { name: /Active/ }).isChecked()).toBe(false);
    const reason = page.locator('[data-inactive-reason]');
    expect(await reason.innerText()).toMatch(/Inactive: .*no longer an admin in Aircall/);
    expect(await page.getByRole('link', { name: /inactive/ }).count()).toBe(1);
    await screenshot(page, 'settings-hubspot-inactive');
    await page.context().close();
  }, 60_000);
});
