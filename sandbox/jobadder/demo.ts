/**
 * The demo company's JobAdder part (sandbox/demo.ts `DemoCrm`): the OAuth app
 * the simulator knows, and an account in France with the demo's two agents as
 * JobAdder users, Claire Dupont as a contact (stored in national format,
 * JA-PHONE-1), the note types the integration's defaults name, and a read
 * token to read back what the backend wrote, as a person would.
 *
 * sandbox/demo.ts lists JOBADDER_DEMO and this file reads its CLAIRE: CLAIRE
 * is only read inside `seed`, never while the modules load, so the import
 * cycle is harmless when demo.ts is loaded first (as world.ts and start.ts do).
 */
import { ALICE, BOB } from '../../lib/aircall/scenarios.ts';
import { CLAIRE, type DemoCrm, type DemoIds } from '../demo.ts';
import type { JobadderSeed } from './seed.ts';

export const DEMO_JOBADDER_APP = { clientId: 'sandbox-ja-client', clientSecret: 'sandbox-ja-secret' };

/** JobAdder users for the cast; Alice is first, so she is the user who consents (the installer). */
export const JOBADDER_USERS = [
  { userId: 8001, firstName: 'Alice', lastName: 'Martin', email: ALICE.email, admin: true },
  { userId: 8002, firstName: 'Bob', lastName: 'Durand', email: BOB.email, admin: false },
];

/**
 * The account's note types: the integration's defaults are "Call" for call
 * notes and "SMS" for SMS notes (lib/crm/jobadder/settings.ts); JobAdder flags
 * one type as its SMS default (API-CONTRACTS 4.2 NoteTypeModel).
 */
export const JOBADDER_NOTE_TYPES = [
  { name: 'General', default: { note: true, email: false, sms: false } },
  { name: 'Call', default: { note: false, email: false, sms: false } },
  { name: 'Email', default: { note: false, email: true, sms: false } },
  { name: 'SMS', default: { note: false, email: false, sms: true } },
  { name: 'Meeting', default: { note: false, email: false, sms: false } },
];

/** A JobAdder token of the demo account that never expires, for reading back through JobAdder's API. */
export function jobadderReadToken(ids: DemoIds): string {
  return `ja-read-${ids.jobadderAccountId}`;
}

export function jobadderSeed(ids: DemoIds, redirectUri: string): JobadderSeed {
  return {
    oauthApps: [{ ...DEMO_JOBADDER_APP, redirectUris: [redirectUri] }],
    accounts: [
      {
        accountId: String(ids.jobadderAccountId),
        name: `Agency ${ids.companyId}`,
        defaultCountry: 'FR',
        readTokens: [{ token: jobadderReadToken(ids), userId: 8001 }],
        users: JOBADDER_USERS,
        noteTypes: JOBADDER_NOTE_TYPES,
        contacts: [
          {
            contactId: Number(CLAIRE.id),
            firstName: 'Claire',
            lastName: 'Dupont',
            email: 'claire@example.fr',
            phone: CLAIRE.phone,
            company: { name: 'Dupont Conseil' },
            position: 'DRH',
            owner: 8002,
          },
        ],
      },
    ],
  };
}

export const JOBADDER_DEMO: DemoCrm = {
  crm: 'jobadder',
  label: 'JobAdder',
  app: DEMO_JOBADDER_APP,
  seed: jobadderSeed,
  // Sandbox parameter of the simulator's consent page (sandbox/jobadder/oauth.ts): the account to sign in to.
  consent: (ids) => ({ account_id: String(ids.jobadderAccountId) }),
  readToken: jobadderReadToken,
};
