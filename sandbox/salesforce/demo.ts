/**
 * The demo company's Salesforce org (sandbox/demo.ts `DemoCrm`): the
 * connected app the backend uses in the sandbox, an org whose first user is
 * the admin who consents (the installer, SF-OWN-3), Alice and Bob as
 * Salesforce users with their Aircall emails (GEN-EMAIL-1) created 30 days
 * ago (SF-OWN-1's one-day rule passes), and Claire, the known caller, as a
 * Contact stored in national format (GEN-PHONE-1) and owned by Bob.
 *
 * sandbox/demo.ts lists SALESFORCE_DEMO and this file reads its CLAIRE: CLAIRE
 * is only read inside `seed`, never while the modules load, so the import
 * cycle is harmless when demo.ts is loaded first (as world.ts and start.ts do).
 */
import { ALICE, BOB } from '../../lib/aircall/scenarios.ts';
import { CLAIRE, type DemoCrm, type DemoIds } from '../demo.ts';
import { KEY_PREFIXES, makeId, to18 } from './ids.ts';
import type { SalesforceSeed } from './seed.ts';

export const DEMO_SALESFORCE_APP = { clientId: 'sandbox-sf-client', clientSecret: 'sandbox-sf-secret' };

/** The installer's email: an admin who is not an Aircall agent. */
export const SALESFORCE_ADMIN_EMAIL = 'admin@example.com';

const DAY_MS = 86_400_000;

/**
 * The demo org's fixed ids (18 characters, as Salesforce answers them), so
 * tests compare OwnerId and WhoId with names. Numbers far above the
 * simulator's own counter, distinct per demo company.
 */
export function salesforceDemoIds(ids: DemoIds) {
  const n = Number(ids.salesforceOrgId.slice(3));
  const id = (prefix: string, k: number) => makeId(prefix, 50_000_000 + n * 100 + k);
  return {
    /** The org id as Salesforce answers it (18 characters): the request log's `account`. */
    orgId: to18(ids.salesforceOrgId) ?? ids.salesforceOrgId,
    installer: id(KEY_PREFIXES.User, 1),
    alice: id(KEY_PREFIXES.User, 2),
    bob: id(KEY_PREFIXES.User, 3),
    claire: id(KEY_PREFIXES.Contact, 4),
  };
}

/** A non-expiring token of the demo org (its first user, the installer), for reading back as a person would. */
export function salesforceReadToken(ids: DemoIds): string {
  return `sf-read-${ids.salesforceOrgId}`;
}

export function salesforceSeed(ids: DemoIds, redirectUri: string, now = Date.now()): SalesforceSeed {
  const sf = salesforceDemoIds(ids);
  const longAgo = now - 30 * DAY_MS;
  return {
    oauthApps: [{ ...DEMO_SALESFORCE_APP, redirectUris: [redirectUri] }],
    orgs: [
      {
        orgId: ids.salesforceOrgId,
        name: `Company ${ids.companyId}`,
        readTokens: [salesforceReadToken(ids)],
        users: [
          // First: the default API user, and the one who consents (the installer).
          {
            Id: sf.installer,
            FirstName: 'Ada',
            LastName: 'Admin',
            Email: SALESFORCE_ADMIN_EMAIL,
            CreatedDate: longAgo,
            admin: true,
          },
          {
            Id: sf.alice,
            FirstName: 'Alice',
            LastName: 'Martin',
            Email: ALICE.email,
            CreatedDate: longAgo,
            admin: false,
          },
          {
            Id: sf.bob,
            FirstName: 'Bob',
            LastName: 'Durand',
            Email: BOB.email,
            CreatedDate: longAgo,
            admin: false,
          },
        ],
        records: {
          Contact: [
            {
              Id: sf.claire,
              FirstName: 'Claire',
              LastName: 'Dupont',
              Email: 'claire@example.fr',
              Phone: CLAIRE.phone,
              OwnerId: sf.bob,
            },
          ],
        },
      },
    ],
  };
}

export const SALESFORCE_DEMO: DemoCrm = {
  crm: 'salesforce',
  label: 'Salesforce',
  app: DEMO_SALESFORCE_APP,
  seed: (ids, redirectUri) => salesforceSeed(ids, redirectUri),
  // The simulator's consent page picks the org; the consenting user is its first active one, the admin.
  consent: (ids) => ({ org_id: ids.salesforceOrgId }),
  readToken: salesforceReadToken,
};
