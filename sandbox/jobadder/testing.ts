/**
 * Helpers for tests that talk to the JobAdder simulator over real HTTP.
 */
import { caller } from '../common/testing.ts';
import { type JobadderSimulator, startJobadderSimulator } from './server.ts';

export { caller } from '../common/testing.ts';

export const ACCOUNT = 'agency-au';
/** A seeded read token of ACCOUNT (never expires), acting as USER_ID. */
export const TOKEN = 'ja-read-token-agency-au';
export const USER_ID = 11;
export const APP = {
  clientId: 'bridge-client',
  clientSecret: 'bridge-secret',
  redirectUris: ['https://bridge.test/oauth/jobadder/callback'],
};

/**
 * Starts a simulator on port 0; `reset` clears it and seeds the OAuth app and
 * ACCOUNT (AU, one admin user, the read token) plus whatever `account` adds;
 * `api` calls ACCOUNT's API base (`/v2`) with TOKEN.
 */
export async function startTestJobadder(): Promise<{
  url: string;
  sim: JobadderSimulator;
  close(): Promise<void>;
  reset(account?: Record<string, unknown>): Promise<Record<string, unknown>>;
  api: ReturnType<typeof caller>;
  admin: ReturnType<typeof caller>;
}> {
  const started = await startJobadderSimulator();
  const admin = caller(started.url, null);
  return {
    ...started,
    admin,
    api: caller(`${started.url}/v2`, TOKEN),
    async reset(account = {}) {
      await admin.post('/_sandbox/reset', {});
      const seeded = await admin.post('/_sandbox/seed', {
        oauthApps: [APP],
        accounts: [
          {
            accountId: ACCOUNT,
            name: 'Agency AU',
            defaultCountry: 'AU',
            readTokens: [TOKEN],
            users: [{ userId: USER_ID, firstName: 'Ann', lastName: 'Admin', email: 'ann@agency.test' }],
            ...account,
          },
        ],
      });
      if (seeded.status !== 200) throw new Error(`seed refused: ${seeded.text}`);
      return seeded.body;
    },
  };
}
