/**
 * What the backend needs from each CRM beyond the adapter (lib/crm/adapter.ts):
 * how to connect it (OAuth authorize URL, code exchange, token refresh), how
 * fast to call it (pacing windows), and how to build its adapter from the
 * stored credentials. One file per CRM in this folder; `index.ts` lists them.
 * Services (server/services.ts) does the rest the same way for every CRM:
 * single-flight refresh, saving rotated tokens, and marking the connection as
 * needing reconnection when the CRM refuses the refresh token.
 */
import type { CrmAdapter } from '../../lib/crm/adapter.ts';
import type { CrmDoctor } from '../../lib/crm/doctor.ts';
import type { Window } from '../../lib/http/pace.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';

/** Every CRM's stored credentials have at least these (encrypted at rest, server/store/secrets.ts). */
export interface StoredCredentials {
  accessToken: string;
  /** null: a token that cannot be refreshed (e.g. a HubSpot private app token). */
  refreshToken: string | null;
  /** UNIX ms when the access token expires; null when unknown or never. */
  expiresAt: number | null;
  /** The CRM user who connected the integration (GEN-ADM-1, SF-OWN-1/3: the installer). */
  installer?: { userId: string; email: string | null } | null;
}

export interface ConnectorContext {
  config: Config;
  clock: Clock;
  /** This backend's OAuth redirect URL for the provider (`/oauth/<crm>/callback`). */
  redirectUri: string;
  fetch?: typeof fetch;
}

/** Access tokens for an adapter's client: `token()` before each request, `refresh()` after a 401. */
export interface TokenSource {
  token(): Promise<string>;
  /** Throws NeedsReconnection when the CRM refuses the refresh token. */
  refresh(): Promise<string>;
}

export interface Connector<C extends StoredCredentials = StoredCredentials> {
  crm: Crm;
  /** The CRM's name for people ("Salesforce"). */
  label: string;
  /** The environment variables this CRM needs that are unset (named in the admin API's 409). */
  missingConfig(config: Config): string[];
  /** The CRM's consent page for an admin of this company. */
  authorizeUrl(ctx: ConnectorContext, state: string): string;
  /** Exchange the redirect's code; `account` is the CRM account (portal, org, JobAdder account). */
  exchange(
    ctx: ConnectorContext,
    code: string,
    query: Record<string, string | undefined>,
  ): Promise<{ credentials: C; account: string | null }>;
  /** New credentials from the refresh token; only a refused refresh token (invalid_grant, lib/http/vendor.ts isRefusedGrant) means the connection needs reconnecting. */
  refresh(ctx: ConnectorContext, credentials: C): Promise<C>;
  /** Client-side pacing under the CRM's published limits, per CRM account (lib/http/pace.ts). */
  pace: { windows: Record<string, Window>; bucketOf(url: string): string };
  /**
   * Work on SMS of one number must not overlap (JA-SMS-1: each SMS rewrites
   * the record's whole conversation note). Per process; see server/workers/keyed-lock.ts.
   */
  serializeMessagesByNumber?: boolean;
  /** The adapter over the CRM's REST client; `credentials()` is current (refresh may change them). */
  createAdapter(input: ConnectorInput<C>): CrmAdapter;
  /**
   * The doctor's live facts (GEN-DOC-1..5, lib/crm/doctor.ts) over the same
   * REST client, tokens and pace as the adapter (Services builds both from one input).
   */
  createDoctor(input: ConnectorInput<C>): CrmDoctor;
}

/** What Services gives a connector to build its adapter and its doctor. */
export interface ConnectorInput<C extends StoredCredentials = StoredCredentials> {
  config: Config;
  clock: Clock;
  credentials: () => C;
  account: string | null;
  tokens: TokenSource;
  fetch: typeof fetch;
}
