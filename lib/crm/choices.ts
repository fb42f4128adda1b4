/**
 * What the dashboard's settings screen reads from a CRM (issue 7): the values
 * its settings pick from (pipelines, outcomes, owners, users, note types),
 * read live through the CRM's REST client. A small interface beside the
 * adapter (lib/crm/adapter.ts): each connector (server/connectors/) joins the
 * reader of lib/crm/<crm>/choices.ts to the adapter it builds, over the same
 * client, so the reads share its tokens and pace.
 */
import type { SettingsChoices } from '../api/contract-settings.ts';
import type { CrmAdapter } from './adapter.ts';

export interface SettingsChoicesSource {
  /** Read the CRM now (no cache: the admin is looking at the screen). */
  settingsChoices(): Promise<SettingsChoices>;
}

/** The adapter, able to read its CRM's settings choices too. */
export function withSettingsChoices<A extends CrmAdapter>(
  adapter: A,
  read: () => Promise<SettingsChoices>,
): A & SettingsChoicesSource {
  return Object.assign(adapter, { settingsChoices: read });
}

export function hasSettingsChoices(adapter: CrmAdapter): adapter is CrmAdapter & SettingsChoicesSource {
  return typeof (adapter as Partial<SettingsChoicesSource>).settingsChoices === 'function';
}
