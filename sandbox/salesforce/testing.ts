/**
 * Helpers for tests that talk to the Salesforce simulator over real HTTP.
 */
import { KEY_PREFIXES, ORG_PREFIX, makeId } from './ids.ts';
import { caller } from '../common/testing.ts';
import type { SeedResult } from './seed.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from './server.ts';

export { caller, type HttpAnswer } from '../common/testing.ts';

/** The REST root tests use (any version >= 42.0 is served). */
export const V = '/services/data/v60.0';
export const ORG_ID = makeId(ORG_PREFIX, 4242);
export const ADMIN_ID = makeId(KEY_PREFIXES.User, 900_001);
export const AGENT_ID = makeId(KEY_PREFIXES.User, 900_002);
export const TOKEN = 'sf-read-token-4242';

/** `encodeURIComponent` for `?q=` (SOQL/SOSL text). */
export const q = (text: string) => encodeURIComponent(text);

/**
 * Starts a simulator on port 0; `reset` clears it and seeds one org (an
 * admin API user, an agent, a read token) plus whatever `org` adds (its
 * `users` come after those two).
 */
export async function startTestSalesforce(): Promise<{
  url: string;
  sim: SalesforceSimulator;
  close(): Promise<void>;
  reset(org?: Record<string, unknown>): Promise<SeedResult['orgs'][number]>;
}> {
  const started = await startSalesforceSimulator();
  const admin = caller(started.url, null);
  return {
    ...started,
    async reset(org = {}) {
      await admin.post('/_sandbox/reset', {});
      const seeded = await admin.post('/_sandbox/seed', {
        orgs: [
          {
            orgId: ORG_ID,
            readTokens: [TOKEN],
            ...org,
            users: [
              { Id: ADMIN_ID, FirstName: 'Ann', LastName: 'Admin', Email: 'ann@acme.test' },
              { Id: AGENT_ID, FirstName: 'Bob', LastName: 'Agent', Email: 'bob@acme.test', admin: false },
              ...((org.users as unknown[] | undefined) ?? []),
            ],
          },
        ],
      });
      if (seeded.status !== 200) throw new Error(`seed refused: ${seeded.text}`);
      const result = seeded.body.orgs as SeedResult['orgs'];
      const first = result[0];
      if (!first) throw new Error('seed answered no org');
      return first;
    },
  };
}
