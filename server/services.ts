/**
 * What routes and workers share: the store, the clock, the config, the log,
 * and the vendor clients of each company (built from its stored connections,
 * cached, and dropped when a connection changes).
 */
import type { Logger } from 'pino';
import { AircallClient } from '../lib/aircall/client.ts';
import { type CrmAdapter, NeedsReconnection } from '../lib/crm/adapter.ts';
import { HubspotAdapter } from '../lib/crm/hubspot/adapter.ts';
import { HubspotClient, refreshHubspotToken } from '../lib/crm/hubspot/client.ts';
import { HUBSPOT_PACE, hubspotBucket, Pacer } from '../lib/http/pace.ts';
import { VendorError } from '../lib/http/vendor.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { getConnection, type Integration, markNeedsReconnection, saveConnection } from './store/companies.ts';
import type { Db } from './store/db.ts';
import type { Secrets } from './store/secrets.ts';

export interface AircallCredentials {
  apiId: string;
  apiToken: string;
}

/** HubSpot OAuth tokens (or a private app token, with no refresh). */
export interface HubspotCredentials {
  accessToken: string;
  refreshToken: string | null;
  /** UNIX ms; null for a private app token. */
  expiresAt: number | null;
  portalId: string | null;
  /** The HubSpot user who connected the integration (GEN-ADM-1). */
  installer?: { userId: string; email: string | null } | null;
}

export class Services {
  readonly db: Db;
  readonly secrets: Secrets;
  readonly clock: Clock;
  readonly config: Config;
  readonly log: Logger;
  /** Set once the server listens (PORT 0 in tests). */
  publicUrl: string;
  private readonly aircallClients = new Map<string, AircallClient>();
  private readonly adapters = new Map<string, CrmAdapter>();
  private readonly pacers = new Map<string, Pacer>();
  private wake: () => void = () => undefined;

  constructor(init: { db: Db; secrets: Secrets; clock: Clock; config: Config; log: Logger }) {
    this.db = init.db;
    this.secrets = init.secrets;
    this.clock = init.clock;
    this.config = init.config;
    this.log = init.log;
    this.publicUrl = init.config.PUBLIC_URL;
  }

  /** The workers call this to be woken when new work is queued in this process. */
  onWork(wake: () => void): void {
    this.wake = wake;
  }
  kick(): void {
    this.wake();
  }

  /** Forget a company's clients after its connections changed. */
  forget(companyId: string): void {
    this.aircallClients.delete(companyId);
    for (const key of [...this.adapters.keys()])
      if (key.startsWith(`${companyId}:`)) this.adapters.delete(key);
  }

  async aircall(companyId: string): Promise<AircallClient | null> {
    const cached = this.aircallClients.get(companyId);
    if (cached) return cached;
    const conn = await getConnection<AircallCredentials>(this.db, this.secrets, companyId, 'aircall');
    if (!conn) return null;
    const client = new AircallClient({ baseUrl: this.config.AIRCALL_API_URL, ...conn.credentials });
    this.aircallClients.set(companyId, client);
    return client;
  }

  /** Who installed (connected) the integration's CRM, when known (GEN-ADM-1). */
  async installerOf(integration: Integration): Promise<{ userId: string; email: string | null } | null> {
    if (integration.crm !== 'hubspot') return null;
    const conn = await getConnection<HubspotCredentials>(
      this.db,
      this.secrets,
      integration.company_id,
      'hubspot',
    );
    return conn?.credentials.installer ?? null;
  }

  /** The CRM adapter of an integration; throws NeedsReconnection when the CRM is not connected. */
  async adapter(integration: Integration): Promise<CrmAdapter> {
    const cached = this.adapters.get(integration.id);
    if (cached) return cached;
    if (integration.crm !== 'hubspot') {
      throw new Error(`${integration.crm} is not supported by this backend yet (its issue adds the adapter)`);
    }
    const companyId = integration.company_id;
    const conn = await getConnection<HubspotCredentials>(this.db, this.secrets, companyId, 'hubspot');
    if (!conn)
      throw new NeedsReconnection('hubspot', 'HubSpot is not connected: connect it in the admin API');
    if (conn.status === 'needs_reconnection') {
      throw new NeedsReconnection('hubspot', conn.status_reason ?? 'HubSpot needs to be reconnected');
    }
    let creds = conn.credentials;
    const refresh = async (): Promise<string> => {
      const { HUBSPOT_CLIENT_ID: clientId, HUBSPOT_CLIENT_SECRET: clientSecret } = this.config;
      if (!creds.refreshToken || !clientId || !clientSecret) {
        throw await this.reconnect(companyId, 'the HubSpot token expired and cannot be refreshed');
      }
      try {
        const next = await refreshHubspotToken({
          baseUrl: this.config.HUBSPOT_API_URL,
          clientId,
          clientSecret,
          refreshToken: creds.refreshToken,
          now: this.clock.now(),
        });
        creds = { ...creds, ...next };
        await saveConnection(this.db, this.secrets, {
          companyId,
          provider: 'hubspot',
          credentials: creds,
          account: creds.portalId,
          now: this.clock.now(),
        });
        return creds.accessToken;
      } catch (err) {
        if (err instanceof VendorError && err.status >= 400 && err.status < 500) {
          throw await this.reconnect(companyId, `HubSpot refused the refresh token (${err.message})`);
        }
        throw err;
      }
    };
    const pacer = this.pacerFor(`hubspot:${creds.portalId ?? companyId}`);
    const client = new HubspotClient({
      baseUrl: this.config.HUBSPOT_API_URL,
      fetch: pacer.fetch(hubspotBucket),
      auth: {
        token: async () =>
          creds.expiresAt !== null && creds.expiresAt - 60_000 < this.clock.now()
            ? refresh()
            : creds.accessToken,
        refresh,
      },
    });
    const adapter = new HubspotAdapter({
      client,
      clock: this.clock,
      portalId: creds.portalId,
      installer: creds.installer ?? null,
    });
    this.adapters.set(integration.id, adapter);
    return adapter;
  }

  /** One pacer per CRM account, kept across reconnections so the window is not reset. */
  private pacerFor(account: string): Pacer {
    let p = this.pacers.get(account);
    if (!p) {
      p = new Pacer(HUBSPOT_PACE);
      this.pacers.set(account, p);
    }
    return p;
  }

  private async reconnect(companyId: string, reason: string): Promise<NeedsReconnection> {
    const message = `${reason}; an admin must reconnect HubSpot. Calls wait and are logged once it is reconnected.`;
    await markNeedsReconnection(this.db, companyId, 'hubspot', message, this.clock.now());
    this.forget(companyId);
    return new NeedsReconnection('hubspot', message);
  }
}
