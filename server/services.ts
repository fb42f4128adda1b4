/**
 * What routes and workers share: the store, the clock, the config, the log,
 * and the vendor clients of each company (built from its stored connections,
 * cached, and dropped when a connection changes).
 */
import type { Logger } from 'pino';
import { AircallClient } from '../lib/aircall/client.ts';
import { type CrmAdapter, NeedsReconnection } from '../lib/crm/adapter.ts';
import type { CrmDoctor } from '../lib/crm/doctor.ts';
import { Pacer } from '../lib/http/pace.ts';
import { isRefusedGrant } from '../lib/http/vendor.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { connectorOf } from './connectors/index.ts';
import type { Connector, ConnectorContext, ConnectorInput, StoredCredentials } from './connectors/types.ts';
import { getConnection, type Integration, markNeedsReconnection, saveConnection } from './store/companies.ts';
import type { Db } from './store/db.ts';
import type { Secrets } from './store/secrets.ts';
import { WebhookTokens } from './http/webhook-tokens.ts';

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
  /** Adapters being built, so concurrent callers wait for the same one. */
  private readonly building = new Map<string, Promise<CrmAdapter>>();
  /** What each cached adapter was built from: its integration's doctor is built from the same (GEN-DOC). */
  private readonly adapterInputs = new Map<string, { connector: Connector; input: ConnectorInput }>();
  private readonly pacers = new Map<string, Pacer>();
  private wake: () => void = () => undefined;
  /** Each company's webhook token hash, remembered for the intake route (server/http/webhook-tokens.ts). */
  readonly webhookTokens: WebhookTokens;

  constructor(init: { db: Db; secrets: Secrets; clock: Clock; config: Config; log: Logger }) {
    this.db = init.db;
    this.secrets = init.secrets;
    this.clock = init.clock;
    this.config = init.config;
    this.log = init.log;
    this.publicUrl = init.config.PUBLIC_URL;
    this.webhookTokens = new WebhookTokens(init.db, init.clock);
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
    this.webhookTokens.forget(companyId);
    for (const key of [...this.adapters.keys()])
      if (key.startsWith(`${companyId}:`)) {
        this.adapters.delete(key);
        this.adapterInputs.delete(key);
      }
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
    // Single flight: concurrent items of one integration share one adapter (its caches, its batches).
    let building = this.building.get(integration.id);
    if (!building) {
      building = this.newAdapter(integration).finally(() => this.building.delete(integration.id));
      this.building.set(integration.id, building);
    }
    return building;
  }

  private async newAdapter(integration: Integration): Promise<CrmAdapter> {
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
        // Issue 8 "OAuth": only a refusal of the refresh token itself (invalid_grant) means the
        // connection is broken. 429, 5xx and network errors are retried; a refused client id or
        // secret is this backend's configuration (decideRetry retries it while it is fixed).
        if (isRefusedGrant(err)) {
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
    const refreshOnce = (): Promise<string> =>
      (refreshing ??= doRefresh().finally(() => {
        refreshing = null;
        refused.clear();
      }));
    // Access tokens the CRM answered 401 to. Concurrent workers send requests with the same token;
    // a 401 that comes back after another worker's refresh finished is about the old token, and
    // must not refresh again (issue 8 "OAuth": one refresh call for a burst of workers).
    const refused = new Set<string>();
    const pacer = this.pacerFor(`${connector.crm}:${conn.account ?? companyId}`, connector.pace.windows);
    const paced = pacer.fetch(connector.pace.bucketOf);
    const fetchNoting: typeof fetch = async (input, init) => {
      const res = await paced(input, init);
      if (res.status === 401) {
        const used = bearerOf(init?.headers);
        if (used) refused.add(used);
      }
      return res;
    };
    const adapter = this.buildAdapter(integration.id, connector, {
      config: this.config,
      clock: this.clock,
      credentials: () => creds,
      account: conn.account,
      fetch: fetchNoting,
      tokens: {
        token: async () =>
          creds.expiresAt !== null && creds.expiresAt - 60_000 < this.clock.now()
            ? refreshOnce()
            : creds.accessToken,
        // After a 401: join a refresh in flight; a token not refused (another worker already
        // replaced the refused one) is used as is; otherwise refresh, once for all.
        refresh: () =>
          refreshing ??
          (refused.size > 0 && !refused.has(creds.accessToken)
            ? Promise.resolve(creds.accessToken)
            : refreshOnce()),
      },
    });
    this.adapters.set(integration.id, adapter);
    return adapter;
  }

  /** The adapter from its input, kept for `doctor`. */
  private buildAdapter(id: string, connector: Connector, input: ConnectorInput): CrmAdapter {
    this.adapterInputs.set(id, { connector, input });
    return connector.createAdapter(input);
  }

  /**
   * The doctor of an integration (GEN-DOC-1..5): the CRM's live facts over
   * the adapter's own tokens (one refresh for both, and a rotated refresh
   * token is never used twice) and pace. Throws NeedsReconnection like `adapter`.
   */
  async doctor(integration: Integration): Promise<CrmDoctor> {
    await this.adapter(integration);
    const built = this.adapterInputs.get(integration.id);
    if (!built) throw new Error(`no adapter input kept for ${integration.id}`);
    return built.connector.createDoctor(built.input);
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

/** The bearer token of a request's `authorization` header (the CRM clients send plain header objects). */
function bearerOf(headers: HeadersInit | undefined): string | null {
  if (!headers) return null;
  const value = new Headers(headers).get('authorization');
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : null;
}
