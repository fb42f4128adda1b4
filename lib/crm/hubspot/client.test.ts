/**
 * The HubSpot client against the HubSpot simulator over real HTTP
 * (sandbox/hubspot): what it sends, what it returns, and how HubSpot's
 * errors become VendorErrors that decideRetry classifies.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VendorError, decideRetry } from '../../http/vendor.ts';
import { caller, startTestHubspot } from '../../../sandbox/hubspot/testing.ts';
import {
  HubspotClient,
  type HubspotTokens,
  exchangeHubspotCode,
  hubspotTokenInfo,
  refreshHubspotToken,
} from './client.ts';
import { HUBSPOT_ASSOCIATION_TYPES as ASSOC, HUBSPOT_DEFAULT_OUTCOME_IDS } from './mapper.ts';

const PORTAL = 4242;
const PAT = 'pat-na1-test-4242';
const APP = {
  clientId: 'bridge-app',
  clientSecret: 'bridge-secret',
  redirectUris: ['https://bridge.test/oauth/cb'],
};
const REDIRECT = 'https://bridge.test/oauth/cb';
const CUSTOM_OUTCOME = { id: 'c0ffee00-0000-4000-8000-000000000001', label: 'Demo booked' };
const spec = (id: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: id });

let t: Awaited<ReturnType<typeof startTestHubspot>>;
let admin: ReturnType<typeof caller>;
let client: HubspotClient;

beforeAll(async () => {
  t = await startTestHubspot();
  admin = caller(t.url, null);
  client = new HubspotClient({ baseUrl: t.url, auth: { token: async () => PAT } });
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.reset({
    defaultCountry: 'FR',
    owners: Array.from({ length: 501 }, (_, i) => ({
      id: String(100 + i),
      email: `agent${i}@acme.test`,
      firstName: `Agent${i}`,
      lastName: 'Test',
      userId: 9000 + i,
    })),
    outcomes: [CUSTOM_OUTCOME],
    objects: {
      contacts: [
        { id: '11', properties: { firstname: 'Alice', phone: '+33612345678' } },
        { id: '12', properties: { firstname: 'Bob', phone: '06 12 34 56 79' } },
        { id: '13', properties: { firstname: 'Carla', mobilephone: '0612345679' } },
      ],
    },
  });
  await admin.post('/_sandbox/seed', { oauthApps: [APP] });
  await admin.post('/_sandbox/limits', { searchPerSecond: 100 });
});

/** Expects `promise` to reject with a VendorError and returns it. */
async function vendorError(promise: Promise<unknown>): Promise<VendorError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VendorError);
  return err as VendorError;
}

describe('HubspotClient: records (API-CONTRACTS 2.1, 2.5)', () => {
  it('finds contacts by phone whatever the stored format (E.164 EQ or calculated national digits)', async () => {
    const found = await client.searchContactsByPhone('+33612345679', '612345679', ['firstname', 'phone']);
    expect(found.map((c) => [c.id, c.properties.firstname])).toEqual([
      ['12', 'Bob'],
      ['13', 'Carla'],
    ]);
    const exact = await client.searchContactsByPhone('+33612345678', null, ['firstname']);
    expect(exact.map((c) => c.id)).toEqual(['11']);
  });

  it('creates a call associated with a contact, reads it back with associations, updates and deletes it', async () => {
    const call = await client.create(
      'calls',
      {
        hs_timestamp: '2026-09-01T10:15:00Z',
        hs_call_direction: 'INBOUND',
        hs_call_disposition: HUBSPOT_DEFAULT_OUTCOME_IDS.Connected,
        hs_call_duration: '95000',
        hubspot_owner_id: '100',
      },
      [{ to: { id: '11' }, types: [spec(ASSOC.callToContact)] }],
    );
    expect(call.id).toMatch(/^\d+$/);
    expect(call.properties.hs_call_disposition).toBe(HUBSPOT_DEFAULT_OUTCOME_IDS.Connected);

    const read = await client.read('calls', call.id, ['hs_call_direction', 'hs_call_title'], ['contacts']);
    expect(read.properties).toMatchObject({ hs_call_direction: 'INBOUND', hs_call_title: null });
    expect(read.associations.contacts).toEqual([{ id: '11', type: 'call_to_contact' }]);
    expect(await client.associations('contacts', '11', 'calls')).toEqual([
      { toObjectId: call.id, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 193, label: null }] },
    ]);

    const updated = await client.update('calls', call.id, { hs_call_title: 'Inbound call' });
    expect(updated.properties.hs_call_title).toBe('Inbound call');

    await client.deleteObject('calls', call.id);
    const gone = await vendorError(client.read('calls', call.id));
    expect([gone.status, gone.code]).toEqual([404, 'OBJECT_NOT_FOUND']);
    expect(decideRetry(gone, 1, Date.now()).retry).toBe(false);
  });

  it('associates tickets after the fact (default and typed) and batch-reads them, skipping missing ids', async () => {
    const a = await client.create('tickets', { subject: 'A', hs_pipeline: '0', hs_pipeline_stage: '1' });
    const b = await client.create('tickets', { subject: 'B', hs_pipeline: '0', hs_pipeline_stage: '2' });
    await client.associateDefault('tickets', a.id, 'contacts', '11');
    await client.associate('tickets', b.id, 'contacts', '11', [spec(ASSOC.ticketToContact)]);
    const linked = await client.associations('contacts', '11', 'tickets');
    expect(linked.map((l) => l.toObjectId)).toEqual([a.id, b.id]);
    expect(linked.every((l) => l.associationTypes[0]?.typeId === 15)).toBe(true);

    const tickets = await client.batchRead('tickets', [a.id, b.id, '999999'], ['hs_pipeline_stage']);
    expect(tickets.map((x) => [x.id, x.properties.hs_pipeline_stage])).toEqual([
      [a.id, '1'],
      [b.id, '2'],
    ]);
  });

  it('batch-upserts by a unique property: created first, updated after', async () => {
    const first = await client.batchUpsert('contacts', 'email', [
      { id: 'new@x.test', properties: { firstname: 'N' } },
    ]);
    expect(first.map((r) => r.isNew)).toEqual([true]);
    const again = await client.batchUpsert('contacts', 'email', [
      { id: 'new@x.test', properties: { firstname: 'M' } },
    ]);
    expect(again.map((r) => [r.id, r.isNew, r.properties.firstname])).toEqual([[first[0]?.id, false, 'M']]);
  });
});

describe('HubspotClient: portal facts', () => {
  it('reads every owner across pages, the ticket pipelines and the outcomes (custom included)', async () => {
    const owners = await client.owners();
    expect(owners).toHaveLength(501);
    expect(owners[500]).toMatchObject({
      id: '600',
      email: 'agent500@acme.test',
      userId: 9500,
      archived: false,
    });
    await admin.post('/_sandbox/seed', {
      portals: [{ portalId: PORTAL, owners: [{ id: '99', email: 'left@acme.test', archived: true }] }],
    });
    const withArchived = await client.owners({ includeArchived: true });
    expect(withArchived).toHaveLength(502);
    expect(withArchived.at(-1)).toMatchObject({ id: '99', archived: true, userId: null });
    const pipelines = await client.ticketPipelines();
    expect(pipelines.map((p) => [p.id, p.stages.map((s) => s.metadata?.ticketState)])).toEqual([
      ['0', ['OPEN', 'OPEN', 'OPEN', 'CLOSED']],
    ]);
    const outcomes = await client.callOutcomes();
    expect(outcomes).toHaveLength(7);
    expect(outcomes).toContainEqual({
      id: HUBSPOT_DEFAULT_OUTCOME_IDS['Left voicemail'],
      label: 'Left voicemail',
    });
    expect(outcomes).toContainEqual(CUSTOM_OUTCOME);
  });

  it('ensureProperty creates a custom property once, then reports it exists', async () => {
    const def = {
      name: 'aircall_bridge_key',
      label: 'Aircall bridge key',
      type: 'string' as const,
      fieldType: 'text',
      groupName: 'callinformation',
    };
    expect(await client.ensureProperty('calls', def)).toBe('created');
    expect(await client.ensureProperty('calls', def)).toBe('exists');
    const call = await client.create('calls', {
      hs_timestamp: '2026-09-01T10:15:00Z',
      aircall_bridge_key: 'k1',
    });
    const found = await client.search('calls', {
      filterGroups: [{ filters: [{ propertyName: 'aircall_bridge_key', operator: 'EQ', value: 'k1' }] }],
      properties: ['aircall_bridge_key'],
      limit: 1,
    });
    expect(found).toMatchObject({ total: 1, nextAfter: null, results: [{ id: call.id }] });
  });
});

describe('HubspotClient: errors as VendorError, and decideRetry', () => {
  it('GEN-REQ-1: a refused property is a 400 naming the field, not retried', async () => {
    await t.reset({ requiredProperties: { contacts: ['jobtitle'] } });
    const err = await vendorError(client.create('contacts', { firstname: 'A' }));
    expect(err).toMatchObject({
      vendor: 'hubspot',
      status: 400,
      code: 'VALIDATION_ERROR',
      field: 'jobtitle',
    });
    expect(err.message).toContain('Property "jobtitle" is required');
    expect(err.message).toContain('Fix property "jobtitle"');
    expect(decideRetry(err, 1, Date.now())).toMatchObject({ retry: false });

    const badOption = await vendorError(
      client.create('calls', { hs_timestamp: '2026-09-01T10:15:00Z', hs_call_direction: 'SIDEWAYS' }),
    );
    expect(badOption.field).toBe('hs_call_direction');
  });

  it('a duplicate unique value is a 409 CONFLICT that names the existing record', async () => {
    const first = await client.create('contacts', { email: 'dup@x.test' });
    const err = await vendorError(client.create('contacts', { email: 'dup@x.test' }));
    expect([err.status, err.code]).toEqual([409, 'CONFLICT']);
    expect(err.message).toContain(`use record ${first.id}`);
  });

  it('429s carry the policy as code and are retried; search has its own SECONDLY policy', async () => {
    await admin.post('/_sandbox/limits', { tenSecondly: 1, searchPerSecond: 1 });
    await client.ticketPipelines();
    const burst = await vendorError(client.ticketPipelines());
    expect([burst.status, burst.code]).toEqual([429, 'TEN_SECONDLY_ROLLING']);
    expect(burst.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    expect(decideRetry(burst, 1, Date.now())).toMatchObject({ retry: true, waitMs: 10_000 });

    await client.search('contacts', {});
    const search = await vendorError(client.search('contacts', {}));
    expect([search.status, search.code]).toEqual([429, 'SECONDLY']);
    expect(decideRetry(search, 2, Date.now()).retry).toBe(true);
  });

  it('a 5xx and an unreachable HubSpot are retried with backoff', async () => {
    await admin.post('/_sandbox/faults', { pathPrefix: '/crm/v3/pipelines', status: 503 });
    const err = await vendorError(client.ticketPipelines());
    expect([err.status, err.code]).toEqual([503, 'INTERNAL_ERROR']);
    expect(decideRetry(err, 1, Date.now())).toMatchObject({ retry: true, waitMs: 200 });
    expect(decideRetry(err, 3, Date.now())).toMatchObject({ retry: true, waitMs: 800 });

    const nowhere = new HubspotClient({ baseUrl: 'http://127.0.0.1:9', auth: { token: async () => PAT } });
    const down = await vendorError(nowhere.owners());
    expect(down.status).toBe(0);
    expect(decideRetry(down, 1, Date.now()).retry).toBe(true);
  });
});

describe('HubSpot OAuth with the client', () => {
  async function connect(now: number) {
    const authorize = await admin.get(
      `/oauth/authorize?${new URLSearchParams({ client_id: APP.clientId, redirect_uri: REDIRECT, scope: 'oauth' })}`,
    );
    const code = new URL(authorize.headers.location ?? '').searchParams.get('code') ?? '';
    return exchangeHubspotCode({
      baseUrl: t.url,
      clientId: APP.clientId,
      clientSecret: APP.clientSecret,
      redirectUri: REDIRECT,
      code,
      now,
    });
  }

  it('exchanges a code for tokens that say their portal and expiry', async () => {
    const now = Date.parse('2026-09-01T10:00:00Z');
    const tokens = await connect(now);
    expect(tokens).toMatchObject({ portalId: String(PORTAL), expiresAt: now + 1800_000 });
    expect(await hubspotTokenInfo({ baseUrl: t.url, accessToken: tokens.accessToken })).toMatchObject({
      portalId: String(PORTAL),
    });
  });

  it('refreshes an expired access token once and retries the request', async () => {
    let tokens: HubspotTokens = await connect(Date.now());
    let refreshes = 0;
    const oauthClient = new HubspotClient({
      baseUrl: t.url,
      auth: {
        token: async () => tokens.accessToken,
        refresh: async () => {
          refreshes += 1;
          tokens = await refreshHubspotToken({
            baseUrl: t.url,
            clientId: APP.clientId,
            clientSecret: APP.clientSecret,
            refreshToken: tokens.refreshToken,
          });
          return tokens.accessToken;
        },
      },
    });
    expect(await oauthClient.ticketPipelines()).toHaveLength(1);
    await admin.post('/_sandbox/clock', { advanceMs: 31 * 60_000 });
    expect(await oauthClient.ticketPipelines()).toHaveLength(1);
    expect(refreshes).toBe(1);

    // Without a refresh function the expiry surfaces as a 401 that is not retried.
    await admin.post('/_sandbox/clock', { advanceMs: 31 * 60_000 });
    const noRefresh = new HubspotClient({ baseUrl: t.url, auth: { token: async () => tokens.accessToken } });
    const expired = await vendorError(noRefresh.ticketPipelines());
    expect([expired.status, expired.code]).toEqual([401, 'EXPIRED_AUTHENTICATION']);
    expect(decideRetry(expired, 1, Date.now()).retry).toBe(false);
  });

  it('a revoked refresh token is a 400 BAD_REFRESH_TOKEN that says to reconnect', async () => {
    const tokens = await connect(Date.now());
    await admin.post('/_sandbox/oauth/revoke', { refreshToken: tokens.refreshToken });
    const err = await vendorError(
      refreshHubspotToken({
        baseUrl: t.url,
        clientId: APP.clientId,
        clientSecret: APP.clientSecret,
        refreshToken: tokens.refreshToken,
      }),
    );
    expect([err.status, err.code]).toEqual([400, 'BAD_REFRESH_TOKEN']);
    expect(err.message).toMatch(/reconnect HubSpot/);
    expect(decideRetry(err, 1, Date.now()).retry).toBe(false);
  });
});
