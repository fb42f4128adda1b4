/**
 * What routes and workers share: the store, the clock, the config, the log,
 * and the vendor clients of each company (built from its stored connections,
 * cached, and dropped when a connection changes).
 */
import type { Logger } from 'pino';
import { AircallClient } from '../lib/aircall/client.ts';
import { type CrmAdapter, NeedsReconnection } from '../lib/crm/adapter.ts';
import { Pacer } from '../lib/http/pace.ts';
import { VendorError } from '../lib/http/vendor.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { connectorOf } from './connectors/index.ts';
import type { Connector, ConnectorContext, StoredCredentials } from './connectors/types.ts';
import { getConnection, type Integration, markNeedsReconnection, saveConnection } from './store/companies.ts';
import type { Db } from './store/db.ts';
import type { Secrets } from './store/secrets.ts';

export interface AircallCredentials {
  apiId: string;
  apiToken: string;
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
    const conn = await getConnection<StoredCredentials>(
      this.db,
      this.secrets,
      integration.company_id,
      integration.crm,
    );
    return conn?.credentials.installer ?? null;
  }

  /** What a connector needs from this backend: config, clock, and its OAuth redirect URL. */
  connectorContext(connector: Connector): ConnectorContext {
    return {
      config: this.config,
      clock: this.clock,
      redirectUri: `${this.publicUrl}/oauth/${connector.crm}/callback`,
    };
  }

  /**
   * The CRM adapter of an integration; throws NeedsReconnection when the CRM
   * is not connected. Tokens are refreshed once for all concurrent requests
   * (single flight), saved encrypted, and a refused refresh token marks the
   * connection as needing reconnection: work pauses, nothing is lost.
   */
  async adapter(integration: Integration): Promise<CrmAdapter> {
    const cached = this.adapters.get(integration.id);
    if (cached) return cached;
    const connector = connectorOf(integration.crm);
    const { label } = connector;
    const companyId = integration.company_id;
    const conn = await getConnection<StoredCredentials>(this.db, this.secrets, companyId, integration.crm);
    if (!conn)
      throw new NeedsReconnection(connector.crm, `${label} is not connected: connect it in the admin API`);
    if (conn.status === 'needs_reconnection') {
      throw new NeedsReconnection(connector.crm, conn.status_reason ?? `${label} needs to be reconnected`);
    }
    let creds = conn.credentials;
    const ctx = this.connectorContext(connector);
    const doRefresh = async (): Promise<string> => {
      if (!creds.refreshToken || connector.missingConfig(this.config).length > 0) {
        throw await this.reconnect(
          companyId,
          connector,
          `the ${label} token expired and cannot be refreshed`,
        );
      }
      try {
        creds = await connector.refresh(ctx, creds);
      } catch (err) {
        // Only a refusal of the refresh token itself means the connection is broken; 429 and 5xx are retried.
        if (err instanceof VendorError && err.status >= 400 && err.status < 500 && err.status !== 429) {
          throw await this.reconnect(
            companyId,
            connector,
            `${label} refused the refresh token (${err.message})`,
          );
        }
        throw err;
      }
      await saveConnection(this.db, this.secrets, {
        companyId,
        provider: connector.crm,
        credentials: creds,
        account: conn.account,
        now: this.clock.now(),
      });
      return creds.accessToken;
    };
    let refreshing: Promise<string> | null = null;
    const refresh = (): Promise<string> =>
      (refreshing ??= doRefresh().finally(() => {
        refreshing = null;
      }));
    const pacer = this.pacerFor(`${connector.crm}:${conn.account ?? companyId}`, connector.pace.windows);
    const adapter = connector.createAdapter({
      config: this.config,
      clock: this.clock,
      credentials: () => creds,
      account: conn.account,
      fetch: pacer.fetch(connector.pace.bucketOf),
      tokens: {
        token: async () =>
          creds.expiresAt !== null && creds.expiresAt - 60_000 < this.clock.now()
            ? refresh()
            : creds.accessToken,
        refresh,
      },
    });
    this.adapters.set(integration.id, adapter);
    return adapter;
  }

  /** One pacer per CRM account, kept across reconnections so the window is not reset. */
  private pacerFor(account: string, windows: Connector['pace']['windows']): Pacer {
    let p = this.pacers.get(account);
    if (!p) {
      p = new Pacer(windows);
      this.pacers.set(account, p);
    }
    return p;
  }

  private async reconnect(
    companyId: string,
    connector: Connector,
    reason: string,
  ): Promise<NeedsReconnection> {
    const message = `${reason}; an admin must reconnect ${connector.label}. Calls wait and are logged once it is reconnected.`;
    await markNeedsReconnection(this.db, companyId, connector.crm, message, this.clock.now());
    this.forget(companyId);
    return new NeedsReconnection(connector.crm, message);
  }
}
