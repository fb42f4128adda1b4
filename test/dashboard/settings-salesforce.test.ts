/**
 * The Integrations screen on a Salesforce integration, in Chromium against the
 * real backend and simulators: every kind of Salesforce setting (SPEC section
 * 5) saved and read back through the admin API and through a played call's
 * Task in Salesforce, the org's users offered for SF-OWN-2, an invalid value
 * refused beside its field, and a save the backend refuses losing nothing typed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, startWorld, type World } from '../support/world.ts';
// After world.ts, which loads sandbox/demo.ts first (sandbox/salesforce/demo.ts explains the cycle).
import { salesforceDemoIds } from '../../sandbox/salesforce/demo.ts';
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

describe.each(STORES)('Integrations screen, Salesforce (%s store)', (store) => {
  let w: World;
  let browser: Browser;

  beforeAll(async () => {
    w = await startWorld({ store, n: 66, crm: 'salesforce' });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('SF-STAT-1 / SF-SMS-1 / SF-NEW-1 / SF-CASE-1 / SF-CASE-2 / SF-OWN-2 / SF-HOURS-1: settings saved, shown again after a reload, and a played call gets the chosen Task status', async () => {
    const page = await openIntegration(browser, w, 'salesforce');
    const bob = salesforceDemoIds(w.company.ids).bob;
    await page.getByLabel('Task for inbound answered calls').selectOption('open');
    await page.getByLabel('Task for outbound SMS').selectOption('nothing');
    await page.getByLabel('Log SMS as Tasks').uncheck();
    await page.getByLabel('Only during each Aircall number’s business hours').check();
    await page.getByLabel('A Lead').check();
    await page.getByLabel('The Contact only').check();
    await page.getByLabel('Create a Case for a Contact that has no open one').check();
    await page
      .getByLabel('When a call does not match a Salesforce user, assign it to')
      .selectOption({ label: 'Bob Durand (bob@example.com)' });
    await page.getByLabel('Integration name').fill('Salesforce – Sales');
    await save(page);

    const { settings } = await integrationOf(w, 'salesforce');
    expect(settings).toMatchObject({
      taskStatus: { inbound_answered: 'open', sms_outbound: 'nothing', outbound_answered: 'completed' },
      logSms: false,
      onlyBusinessHours: true,
      newRecord: 'lead',
      relateTo: 'none',
      createCase: true,
      unmatchedOwnerId: bob,
      name: 'Salesforce – Sales',
      active: true,
      connectedNumbers: [1],
    });

    await page.reload();
    await waitReady(page, 'salesforce');
    expect(await page.getByLabel('Task for inbound answered calls').inputValue()).toBe('open');
    expect(await page.getByLabel('A Lead').isChecked()).toBe(true);
    expect(
      await page.getByLabel('When a call does not match a Salesforce user, assign it to').inputValue(),
    ).toBe(bob);
    expect(await page.getByLabel('Log SMS as Tasks').isChecked()).toBe(false);
    await screenshot(page, 'settings-salesforce');

    // Business hours back to "always", so the call played below is logged whatever the time (SF-HOURS-1).
    await page.getByLabel('Always, even when the number is closed').check();
    await save(page);
    await page.context().close();

    // The effect in Salesforce: Claire's answered inbound call is an open Task (SF-STAT-1).
    const written = await playClaireCall(w, 6601);
    const taskId = written.activity?.id;
    expect(taskId, JSON.stringify(written)).toBeDefined();
    const task = await w.salesforce('GET', `/sobjects/Task/${taskId}`);
    expect(task.json).toMatchObject({ Status: 'In Progress', CallType: 'Inbound' });
  }, 120_000);

  it('GEN-PHONE-1: a value the schema refuses is shown beside its field and Save is disabled', async () => {
    const page = await openIntegration(browser, w, 'salesforce');
    await page.getByLabel('Default country of CRM phone numbers').fill('XX');
    await expect
      .poll(() => fieldError(page, 'defaultCountry').innerText())
      .toContain('must be an ISO 3166 alpha-2 country code');
    expect(await saveButton(page).isDisabled()).toBe(true);
    await page.getByLabel('Default country of CRM phone numbers').fill('BE');
    await expect.poll(() => fieldError(page, 'defaultCountry').count()).toBe(0);
    await save(page);
    expect((await integrationOf(w, 'salesforce')).settings.defaultCountry).toBe('BE');
    await page.context().close();
  }, 60_000);

  it('a save the backend refuses (the integration deleted meanwhile) keeps everything typed', async () => {
    const page = await openIntegration(browser, w, 'salesforce');
    await page.getByLabel('Integration name').fill('Typed, not saved');
    await page.getByLabel('Task for voicemails').selectOption('nothing');
    await page.getByRole('checkbox', { name: /^Sales US/ }).check();

    // Another admin deletes the integration (GEN-DEL-1) while this screen is open.
    const companyId = w.company.ids.companyId;
    expect((await w.admin('DELETE', `/admin/companies/${companyId}/integrations/salesforce`)).status).toBe(
      200,
    );

    await page.getByRole('button', { name: 'Save connected numbers' }).click();
    const refused = page.locator('[data-setting="connectedNumbers"] [role="alert"]');
    await expect
      .poll(() => refused.innerText())
      .toContain(`Company "${companyId}" has no salesforce integration.`);
    expect(await page.getByRole('checkbox', { name: /^Sales US/ }).isChecked()).toBe(true);

    await saveButton(page).click();
    await page.getByText('was deleted since the screen was opened; nothing was saved').waitFor();
    expect(await page.getByLabel('Integration name').inputValue()).toBe('Typed, not saved');
    expect(await page.getByLabel('Task for voicemails').inputValue()).toBe('nothing');
    await screenshot(page, 'settings-salesforce-refused');
    await page.context().close();

    // With its credentials gone too (GEN-DEL-1), Salesforce's choices cannot be read, and the API says what to do.
    const choices = await w.admin('GET', `/admin/companies/${companyId}/integrations/salesforce/choices`);
    expect(choices.status).toBe(409);
    expect(choices.json.error).toMatchObject({
      code: 'needs_reconnection',
      fix: 'Connect Salesforce again on the Connections screen.',
    });
  }, 60_000);
});
