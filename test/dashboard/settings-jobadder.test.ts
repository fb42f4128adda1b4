/**
 * The Integrations screen on a JobAdder integration, in Chromium against the
 * real backend and simulators: right after JobAdder's OAuth the screen offers
 * the settings with their defaults and the account's note types (JA-INST-1),
 * every JobAdder setting (SPEC section 6) saved and read back through the
 * admin API and through a played call's note in JobAdder, and an invalid
 * value refused beside its field.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, startWorld, type World } from '../support/world.ts';
import { DEMO_CRMS } from '../../sandbox/demo.ts';
import {
  fieldError,
  integrationOf,
  openIntegration,
  playClaireCall,
  save,
  saveButton,
  waitReady,
} from './settings-support.ts';
import { launchBrowser, openDashboard, screenshot } from './support.ts';

describe.each(STORES)('Integrations screen, JobAdder (%s store)', (store) => {
  let w: World;
  let browser: Browser;

  beforeAll(async () => {
    w = await startWorld({ store, n: 67, crm: 'jobadder' });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  /** An admin connects JobAdder through its OAuth consent, and has not saved any setting yet. */
  async function connectJobadderOnly() {
    const companyId = w.company.ids.companyId;
    const auth = await w.admin('GET', `/admin/companies/${companyId}/connections/jobadder/authorize`);
    expect(auth.status, JSON.stringify(auth.json)).toBe(200);
    const consent = new URL(String(auth.json.url));
    for (const [k, v] of Object.entries(DEMO_CRMS.jobadder.consent(w.company.ids)))
      consent.searchParams.set(k, v);
    const redirect = await fetch(consent, { redirect: 'manual' });
    const back = await fetch(redirect.headers.get('location') ?? '');
    expect(back.status, await back.text()).toBe(200);
  }

  it('JA-INST-1: once JobAdder is authorised, the screen shows its settings with the defaults, and saving them creates the integration', async () => {
    const companyId = w.company.ids.companyId;
    // Start again from nothing: the demo company was set up through the API.
    expect((await w.admin('DELETE', `/admin/companies/${companyId}/integrations/jobadder`)).status).toBe(200);
    await connectJobadderOnly();

    const page = await openDashboard(browser, w, 'integrations');
    await page.getByRole('link', { name: /JobAdder not set up/ }).waitFor();
    await page.locator('section[data-crm="jobadder"][aria-busy="false"]').waitFor({ timeout: 30_000 });
    await page.getByText('JobAdder is connected but not set up yet').waitFor();
    // The defaults of seed 003, and JobAdder's own note types.
    expect(await page.getByLabel('Log AI insights').isChecked()).toBe(true);
    expect(await page.getByLabel('Log SMS as a conversation').isChecked()).toBe(true);
    expect(await page.getByLabel('Note type of calls').inputValue()).toBe('Call');
    // The company's default country, for CRM numbers stored without one (GEN-PHONE-1).
    expect(await page.getByLabel('Default country of CRM phone numbers').inputValue()).toBe('FR');
    const offered = await page.getByLabel('Note type of calls').locator('option').allInnerTexts();
    expect(offered).toEqual(['General', 'Call', 'Email', 'SMS', 'Meeting']);
    await screenshot(page, 'settings-jobadder-new');
    await page.getByLabel('Integration name').fill('JobAdder – Recruiting');
    await save(page);
    expect((await integrationOf(w, 'jobadder')).settings).toMatchObject({
      name: 'JobAdder – Recruiting',
      active: true,
      connectedNumbers: [],
      smsMode: 'conversation',
      defaultCountry: 'FR',
    });

    // The status and the numbers follow once it exists.
    await page.getByRole('checkbox', { name: /^Support FR/ }).check();
    await page.getByRole('button', { name: 'Save connected numbers' }).click();
    await page.getByText('Connected numbers saved.').waitFor();
    expect((await integrationOf(w, 'jobadder')).settings.connectedNumbers).toEqual([1]);
    await page.context().close();
  }, 90_000);

  it('JA-CALL-1 / JA-SMS-1 / JA-DUP-1 / JA-SYNC-1: settings saved, shown again after a reload, and a played call’s note follows them', async () => {
    const page = await openIntegration(browser, w, 'jobadder');
    await page.getByLabel('Log AI insights').uncheck();
    await page.getByLabel('Log the call recording link').uncheck();
    await page.getByLabel('Note type of calls').selectOption('Meeting');
    await page.getByLabel('Create a note for each SMS').check();
    await page.getByLabel('Note type of SMS').selectOption('General');
    await page.getByLabel('Longest note').fill('5000');
    await page.getByLabel('Do nothing').check();
    await page.getByLabel('Sync JobAdder contacts and candidates to Aircall').check();
    await save(page);

    expect((await integrationOf(w, 'jobadder')).settings).toMatchObject({
      logAiInsights: false,
      logRecordingLink: false,
      noteType: 'Meeting',
      smsMode: 'note_per_sms',
      smsNoteType: 'General',
      maxNoteLength: 5000,
      duplicates: 'nothing',
      contactSync: true,
      name: 'JobAdder – Recruiting',
      connectedNumbers: [1],
    });

    await page.reload();
    await waitReady(page, 'jobadder');
    expect(await page.getByLabel('Note type of calls').inputValue()).toBe('Meeting');
    expect(await page.getByLabel('Create a note for each SMS').isChecked()).toBe(true);
    expect(await page.getByLabel('Longest note').inputValue()).toBe('5000');
    expect(await page.getByLabel('Log the call recording link').isChecked()).toBe(false);
    await screenshot(page, 'settings-jobadder');
    await page.context().close();

    // The effect in JobAdder: Claire's call is a "Meeting" note without the recording link.
    const written = await playClaireCall(w, 6701);
    const noteId = written.activity?.id;
    expect(noteId, JSON.stringify(written)).toBeDefined();
    const note = await w.jobadder('GET', `/notes/${noteId}`);
    expect(note.json).toMatchObject({ type: 'Meeting' });
    expect(String(note.json.text)).toContain('Inbound call from Claire Dupont');
    expect(String(note.json.text)).not.toContain('Recording:');
  }, 120_000);

  it('JA-SMS-1: a note length the schema refuses is shown beside its field and Save is disabled', async () => {
    const page = await openIntegration(browser, w, 'jobadder');
    await page.getByLabel('Longest note').fill('0');
    await expect
      .poll(() => fieldError(page, 'maxNoteLength').innerText())
      .toContain('maxNoteLength must be positive');
    expect(await page.getByLabel('Longest note').getAttribute('aria-invalid')).toBe('true');
    expect(await saveButton(page).isDisabled()).toBe(true);
    await page.getByLabel('Longest note').fill('');
    await expect.poll(() => fieldError(page, 'maxNoteLength').count()).toBe(1);
    expect(await saveButton(page).isDisabled()).toBe(true);
    await page.getByLabel('Longest note').fill('8000');
    await expect.poll(() => fieldError(page, 'maxNoteLength').count()).toBe(0);
    await save(page);
    expect((await integrationOf(w, 'jobadder')).settings.maxNoteLength).toBe(8000);
    await page.context().close();
  }, 60_000);
});
