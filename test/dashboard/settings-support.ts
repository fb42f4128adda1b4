/**
 * What the Integrations screen's browser tests (test/dashboard/settings-*.test.ts)
 * share on top of the dashboard harness (support.ts): opening the screen with
 * the CRM's choices loaded, reading the integration back through the admin
 * API, and playing a call whose effect is then read back from the CRM.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ALICE } from '../../lib/aircall/scenarios.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import type { World } from '../support/world.ts';
import { openDashboard } from './support.ts';

export interface IntegrationJson {
  crm: Crm;
  settings: Record<string, unknown> & { active: boolean; connectedNumbers: number[] };
  warnings: { rule: string; message: string; at: number }[];
}

/** The integration as the admin API lists it (which also runs HS-TIX-2's check). */
export async function integrationOf(w: World, crm: Crm): Promise<IntegrationJson> {
  const r = await w.admin('GET', `/admin/companies/${w.company.ids.companyId}/integrations`);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  const found = (r.json.integrations as IntegrationJson[]).find((i) => i.crm === crm);
  if (!found) throw new Error(`no ${crm} integration: ${JSON.stringify(r.json)}`);
  return found;
}

/** The Integrations screen on this CRM, once its choices (and Aircall's numbers) are loaded. */
export async function openIntegration(browser: Browser, w: World, crm: Crm): Promise<Page> {
  const page = await openDashboard(browser, w, 'integrations');
  await page.goto(`${w.backend.url}/dashboard/#/integrations/${crm}`);
  await waitReady(page, crm);
  return page;
}

export async function waitReady(page: Page, crm: Crm): Promise<void> {
  await page.locator(`section[data-crm="${crm}"][aria-busy="false"]`).waitFor({ timeout: 30_000 });
  await page.locator('[data-setting="connectedNumbers"] input[type="checkbox"]').first().waitFor();
}

/** The reasons shown beside one field (its dotted path). */
export function fieldError(page: Page, field: string) {
  return page.locator(`[data-field-error="${field}"]`);
}

export const saveButton = (page: Page) => page.getByRole('button', { name: 'Save settings' });

/** Save, and wait for the screen to say it is saved. */
export async function save(page: Page): Promise<void> {
  await expect.poll(() => saveButton(page).isEnabled()).toBe(true);
  await saveButton(page).click();
  await page.getByText('Settings saved').waitFor({ timeout: 20_000 });
}

/**
 * An inbound call answered by Alice from Claire (known in every demo CRM),
 * on the support line; it starts a minute after now, so a (re)activation
 * just before does not leave it unlogged (GEN-ACT-2).
 */
export async function playClaireCall(
  w: World,
  callId: number,
): Promise<Record<string, { target: string; id: string }>> {
  await w.advance(2 * 60_000);
  await w.play({
    call: {
      callId,
      direction: 'inbound',
      external: '+33612345678',
      answerAfter: 3,
      talk: 40,
      user: ALICE,
      startedAt: Math.floor(w.clock.now() / 1000) - 60,
    },
  });
  await w.settle();
  const r = await w.admin('GET', `/admin/companies/${w.company.ids.companyId}/calls/${callId}`);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  const [logging] = r.json.logging as {
    outcome: string;
    written: Record<string, { target: string; id: string }>;
  }[];
  expect(logging?.outcome, JSON.stringify(r.json)).toBe('write');
  return logging?.written ?? {};
}
