/**
 * JobAdder's connection (API-CONTRACTS 4.1: OAuth authorization code at
 * JobAdder's identity server, 60-minute access tokens, rotating refresh
 * tokens with `offline_access`, and the account's API base URL in every
 * token response), its pace (4.3) and its adapter.
 */
import { JobadderAdapter } from '../../lib/crm/jobadder/adapter.ts';
import { JobadderDoctor } from '../../lib/crm/jobadder/doctor.ts';
import { readJobadderChoices } from '../../lib/crm/jobadder/choices.ts';
import { withSettingsChoices } from '../../lib/crm/choices.ts';
import {
  exchangeJobadderCode,
  JobadderClient,
  jobadderAuthorizeUrl,
  refreshJobadderToken,
} from '../../lib/crm/jobadder/client.ts';
import type { Window } from '../../lib/http/pace.ts';
import type { Config } from '../config.ts';
import type { Connector, StoredCredentials } from './types.ts';

export interface JobadderCredentials extends StoredCredentials {
  /** The account's API base URL: the token response's `api` (API-CONTRACTS 4.1), never hard-coded. */
  apiBase: string;
  /**
   * The JobAdder account's name (`accountName` of `GET /users/current`), when
   * JobAdder gives it: the token response names no account id (4.1).
   */
  accountName: string | null;
}

/**
 * JobAdder publishes no rate limit (API-CONTRACTS 4.3: "not documented in the
 * spec; nothing found elsewhere"). 10 requests per second per account: a
 * logged call costs 2 to 3 requests and an SMS 3 to 4, so this carries several
 * calls a second per account, and stays a polite client of an API whose limit
 * is unknown. A 429 is still honoured (Retry-After, lib/http/vendor.ts).
 */
export const JOBADDER_PACE: Record<'api', Window> = { api: { max: 10, windowMs: 1_000 } };

function app(config: Config) {
  return { clientId: config.JOBADDER_CLIENT_ID ?? '', clientSecret: config.JOBADDER_CLIENT_SECRET ?? '' };
}

export const jobadderConnector: Connector<JobadderCredentials> = {
  crm: 'jobadder',
  label: 'JobAdder',
  missingConfig: (config) =>
    ['JOBADDER_CLIENT_ID', 'JOBADDER_CLIENT_SECRET'].filter((k) => !config[k as keyof Config]),

  authorizeUrl(ctx, state) {
    return jobadderAuthorizeUrl({
      idUrl: ctx.config.JOBADDER_ID_URL,
      clientId: app(ctx.config).clientId,
      redirectUri: ctx.redirectUri,
      state,
    });
  },

  async exchange(ctx, code) {
    const fetchFn = ctx.fetch;
    const tokens = await exchangeJobadderCode({
      idUrl: ctx.config.JOBADDER_ID_URL,
      ...app(ctx.config),
      redirectUri: ctx.redirectUri,
      code,
      now: ctx.clock.now(),
      ...(fetchFn ? { fetch: fetchFn } : {}),
    });
    // The user who consented is the installer (GEN-ADM-1); the code is spent either way,
    // so a failed lookup leaves the installer unknown rather than failing the connection.
    const client = new JobadderClient({
      apiBase: tokens.apiBase,
      auth: { token: async () => tokens.accessToken },
      ...(fetchFn ? { fetch: fetchFn } : {}),
    });
    const user = await client.currentUser().catch(() => null);
    const credentials: JobadderCredentials = {
      ...tokens,
      installer: user ? { userId: user.userId, email: user.email } : null,
      accountName: user?.accountName ?? null,
    };
    return { credentials, account: credentials.accountName };
  },

  async refresh(ctx, credentials) {
    if (!credentials.refreshToken) throw new Error('This JobAdder connection has no refresh token');
    const next = await refreshJobadderToken({
      idUrl: ctx.config.JOBADDER_ID_URL,
      ...app(ctx.config),
      refreshToken: credentials.refreshToken,
      now: ctx.clock.now(),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    });
    // The rotated refresh token and the `api` of this answer replace the stored ones.
    return { ...credentials, ...next };
  },

  pace: { windows: JOBADDER_PACE, bucketOf: () => 'api' },

  // JA-SMS-1: each SMS rewrites its record's whole conversation note.
  serializeMessagesByNumber: true,

  createAdapter({ clock, credentials, tokens, fetch }) {
    const client = new JobadderClient({ apiBase: () => credentials().apiBase, auth: tokens, fetch });
    const adapter = new JobadderAdapter({ client, clock, installer: credentials().installer ?? null });
    return withSettingsChoices(adapter, () => readJobadderChoices(client));
  },

  createDoctor({ credentials, tokens, fetch }) {
    const client = new JobadderClient({ apiBase: () => credentials().apiBase, auth: tokens, fetch });
    return new JobadderDoctor({ client });
  },
};
