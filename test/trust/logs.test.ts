/**
 * Issue 8 "tokens never appear in logs": the backend's log is captured (a pino
 * destination given to startBackend) at level debug while the webhook, admin,
 * agent and OAuth flows run, refused requests included, and the captured text
 * is searched for every secret the backend handles: the admin token, agent
 * tokens, the Aircall webhook token, the Aircall API token and the CRM's OAuth
 * access and refresh tokens (before and after a refresh) and authorization code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredCredentials } from '../../server/connectors/types.ts';
import { getConnection } from '../../server/store/companies.ts';
import { ADMIN_TOKEN, STORES, startWorld, type World } from '../support/world.ts';
import { aircallWebhookToken, post, raw } from './support.ts';

/** Every line the backend logged, as written. */
class CapturedLog {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  get text(): string {
    return this.lines.join('');
  }
}

describe.each(STORES)('no secret in the logs (%s store)', (store) => {
  let w: World;
  const log = new CapturedLog();
  /** Every secret value seen during the run, by what it is. */
  const secrets = new Map<string, string>();
  const company = () => w.company.ids.companyId;

  async function hubspotCredentials(): Promise<StoredCredentials> {
    const conn = await getConnection<StoredCredentials>(w.db, w.backend.svc.secrets, company(), 'hubspot');
    if (!conn) throw new Error('HubSpot is not connected');
    return conn.credentials;
  }
  function keep(what: string, value: string | null | undefined) {
    if (value) secrets.set(`${what} #${secrets.size}`, value);
  }

  beforeAll(async () => {
    w = await startWorld({ store, n: 82, env: { LOG_LEVEL: 'debug' }, logStream: log });
  }, 120_000);
  afterAll(async () => w?.close());

  it('the webhook, admin, agent and OAuth flows log no admin, agent, webhook, Aircall or OAuth token', async () => {
    keep('admin token', ADMIN_TOKEN);
    keep('agent token (Alice)', w.company.agentTokens.alice);
    keep('agent token (Bob)', w.company.agentTokens.bob);
    keep('Aircall API token', w.company.ids.apiToken);
    const webhookToken = await aircallWebhookToken(w);
    keep('Aircall webhook token', webhookToken);
    const first = await hubspotCredentials();
    keep('HubSpot access token', first.accessToken);
    keep('HubSpot refresh token', first.refreshToken);

    // Webhooks: a call played through Aircall (tokens in every body), then refused ones.
    await w.play({ scenario: 'inbound-answered', callId: 8201, external: '+33 6 82 01 00 01' });
    await w.settle();
    const hook = `${w.backend.url}/webhooks/aircall/${company()}`;
    expect((await post(hook, { event: 'call.created', token: `${webhookToken}x`, data: {} })).status).toBe(
      401,
    );
    expect((await raw(hook, { body: `{"token": "${webhookToken}", "data": ` })).status).toBe(400);
    expect((await post(hook, { event: 'call.created', token: webhookToken, data: { id: 'x' } })).status).toBe(
      400,
    );

    // Admin: reads, a token issued and revoked, Aircall reconnected with its API key, refused tokens.
    expect((await w.admin('GET', '/admin/companies')).status).toBe(200);
    const issued = await w.admin('POST', `/admin/companies/${company()}/agent-tokens`, { aircallUserId: 12 });
    expect(issued.status).toBe(201);
    keep('agent token (issued)', String(issued.json.token));
    expect(
      (await w.admin('DELETE', `/admin/companies/${company()}/agent-tokens/${String(issued.json.id)}`))
        .status,
    ).toBe(200);
    const reconnect = await w.admin('PUT', `/admin/companies/${company()}/connections/aircall`, {
      apiId: w.company.ids.apiId,
      apiToken: w.company.ids.apiToken,
    });
    expect(reconnect.status).toBe(200);
    keep('Aircall webhook token (after reconnecting)', await aircallWebhookToken(w));
    const refusedKey = await w.admin('PUT', `/admin/companies/${company()}/connections/aircall`, {
      apiId: w.company.ids.apiId,
      apiToken: 'wrong-aircall-api-token-8201',
    });
    expect(refusedKey.status).toBe(400);
    keep('Aircall API token (wrong)', 'wrong-aircall-api-token-8201');
    const wrongAdmin = await raw(`${w.backend.url}/admin/companies`, {
      method: 'GET',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}-but-wrong` },
    });
    expect(wrongAdmin.status).toBe(401);
    keep('admin token (wrong)', `${ADMIN_TOKEN}-but-wrong`);

    // Agent: reads and writes, and a revoked token refused.
    expect((await w.agent('GET', '/v1/me')).status).toBe(200);
    expect((await w.agent('GET', '/v1/calls/8201')).status).toBe(200);
    expect((await w.agent('POST', '/v1/calls/8201/notes', { content: 'Rappeler Claire' })).status).toBe(200);
    expect((await w.agent('GET', '/v1/tags')).status).toBe(200);
    const revoked = await raw(`${w.backend.url}/v1/me`, {
      method: 'GET',
      headers: { authorization: `Bearer ${String(issued.json.token)}` },
    });
    expect(revoked.status).toBe(401);

    // OAuth: HubSpot connected again through its consent page (a code in the redirect's query).
    const { url } = (await w.admin('GET', `/admin/companies/${company()}/connections/hubspot/authorize`))
      .json as { url: string };
    const consent = new URL(url);
    consent.searchParams.set('portal_id', String(w.company.ids.portalId));
    const redirect = await fetch(consent, { redirect: 'manual' });
    const location = redirect.headers.get('location') ?? '';
    keep('HubSpot authorization code', new URL(location).searchParams.get('code'));
    expect((await fetch(location)).status).toBe(200);
    const second = await hubspotCredentials();
    keep('HubSpot access token (reconnected)', second.accessToken);
    keep('HubSpot refresh token (reconnected)', second.refreshToken);
    // A replayed code and state are refused (and logged as refused, without them).
    expect((await fetch(location)).status).toBe(400);

    // Refresh: the access token expires (30 min), the next call refreshes it.
    await w.advance(31 * 60_000);
    await w.play({ scenario: 'inbound-answered', callId: 8202, external: '+33 6 82 02 00 01' });
    await w.settle();
    const third = await hubspotCredentials();
    expect(third.accessToken).not.toBe(second.accessToken);
    keep('HubSpot access token (refreshed)', third.accessToken);
    keep('HubSpot refresh token (refreshed)', third.refreshToken);
    await w.settle();

    // The capture worked: requests of every flow are in it, at debug level.
    const text = log.text;
    expect(log.lines.length).toBeGreaterThan(50);
    for (const seen of ['/webhooks/aircall/', '/admin/companies', '/v1/me', '/oauth/hubspot/callback'])
      expect(text).toContain(seen);
    const leaked = [...secrets].filter(([, value]) => text.includes(value)).map(([what]) => what);
    expect(leaked, `secrets found in the log: ${leaked.join(', ')}`).toEqual([]);
    // The values were real (each longer than a word), so "not found" means something.
    for (const value of secrets.values()) expect(value.length).toBeGreaterThanOrEqual(16);
  }, 120_000);

  it('request URLs are logged without their query values, and objects carrying credentials are redacted', () => {
    const callbacks = log.lines.filter((l) => l.includes('/oauth/hubspot/callback'));
    expect(callbacks.length).toBeGreaterThan(0);
    for (const line of callbacks) expect(line).toContain('callback?code=[redacted]&state=[redacted]');
    // A second net for log lines that would carry a credential object (server/http/log-safe.ts).
    const before = log.lines.length;
    w.backend.svc.log.warn(
      {
        token: 'tok-should-not-appear-0001',
        credentials: { accessToken: 'at-should-not-appear-0002', refreshToken: 'rt-should-not-appear-0003' },
        connection: { apiToken: 'api-should-not-appear-0004', accessToken: 'at-should-not-appear-0005' },
        headers: { authorization: 'Bearer bearer-should-not-appear-0006' },
      },
      'redaction check',
    );
    const line = log.lines.slice(before).join('');
    expect(line).toContain('redaction check');
    expect(line).not.toMatch(/should-not-appear/);
  });
});
