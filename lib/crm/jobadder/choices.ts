/**
 * The choices of a JobAdder integration's settings (SPEC section 6), read
 * live for the dashboard: the account's note types, for the type of call
 * notes (JA-CALL-1) and of SMS notes (JA-SMS-1). JobAdder keeps one list for
 * contacts and one for candidates (API-CONTRACTS 4.2); a call is logged on
 * either, so the screen says where a name is missing.
 */
import type { JobadderChoices } from '../../api/contract-settings.ts';
import type { JobadderClient } from './client.ts';

export async function readJobadderChoices(client: JobadderClient): Promise<JobadderChoices> {
  const [contact, candidate] = await Promise.all([
    client.noteTypes('contact'),
    client.noteTypes('candidate'),
  ]);
  const names = [...new Set([...contact, ...candidate].map((t) => t.name))];
  return {
    crm: 'jobadder',
    noteTypes: names.map((name) => ({
      name,
      contact: contact.some((t) => t.name === name),
      candidate: candidate.some((t) => t.name === name),
      smsDefault: [...contact, ...candidate].some((t) => t.name === name && t.default.sms),
    })),
  };
}
