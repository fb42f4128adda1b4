import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PORTAL_ID, TOKEN, caller, startTestHubspot } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestHubspot>>;
let api: ReturnType<typeof caller>;
let admin: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await startTestHubspot();
  api = caller(t.url, TOKEN);
  admin = caller(t.url, null);
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.reset({ timeZone: 'Europe/Paris' });
  await admin.post('/_sandbox/clock', { now: '2026-09-01T12:00:00Z', frozen: true });
});

describe('HubSpot simulator: rate limits (API-CONTRACTS 2.7)', () => {
  it('sends the limit headers and answers 429 TEN_SECONDLY_ROLLING over the configured burst, until the window rolls', async () => {
    await admin.post('/_sandbox/limits', { tenSecondly: 3 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await api.get('/crm/v3/owners'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]?.headers).toMatchObject({
      'x-hubspot-ratelimit-max': '3',
      'x-hubspot-ratelimit-remaining': '2',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '250000',
      'x-hubspot-ratelimit-daily-remaining': '249999',
    });
    const limited = answers[3];
    expect(limited?.body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(limited?.headers['x-hubspot-ratelimit-remaining']).toBe('0');

    await admin.post('/_sandbox/clock', { advanceMs: 10_001 });
    expect((await api.get('/crm/v3/owners')).status).toBe(200);
  });

  it('limits search per second with the SECONDLY policy and no rate-limit headers', async () => {
    await admin.post('/_sandbox/limits', { searchPerSecond: 2 });
    const search = () => api.post('/crm/v3/objects/contacts/search', {});
    const statuses = [(await search()).status, (await search()).status];
    const limited = await search();
    expect([...statuses, limited.status]).toEqual([200, 200, 429]);
    expect(limited.body).toMatchObject({
      policyName: 'SECONDLY',
      message: 'You have reached your secondly limit.',
    });
    expect(Object.keys(limited.headers).filter((h) => h.startsWith('x-hubspot-ratelimit'))).toEqual([]);
    // Other endpoints still answer: the search limit is its own.
    expect((await api.get('/crm/v3/owners')).status).toBe(200);
  });

  it('stops at the daily limit until midnight in the portal time zone', async () => {
    await admin.post('/_sandbox/limits', { daily: 2 });
    await api.get('/crm/v3/owners');
    expect((await api.get('/crm/v3/owners')).headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    const limited = await api.get('/crm/v3/owners');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ policyName: 'DAILY' });
    // 21:59 UTC is still 1 September in Paris (UTC+2); 22:00 UTC is the next day there.
    await admin.post('/_sandbox/clock', { now: '2026-09-01T21:59:00Z', frozen: true });
    expect((await api.get('/crm/v3/owners')).status).toBe(429);
    await admin.post('/_sandbox/clock', { now: '2026-09-01T22:00:00Z', frozen: true });
    expect((await api.get('/crm/v3/owners')).status).toBe(200);
  });
});

describe('HubSpot simulator: injected faults (sandbox/common/sim.ts)', () => {
  it('answers an injected 500 with a HubSpot error body, once, and logs it under the portal', async () => {
    await admin.post('/_sandbox/faults', {
      method: 'POST',
      pathPrefix: '/crm/v3/objects/calls',
      status: 500,
    });
    const call = { properties: { hs_timestamp: '2026-09-01T10:00:00Z' } };
    const failed = await api.post('/crm/v3/objects/calls', call);
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
    expect((await api.post('/crm/v3/objects/calls', call)).status).toBe(201);
    const log = await admin.get(`/_sandbox/requests?account=${PORTAL_ID}`);
    expect((log.body.requests as { status: number }[]).map((r) => r.status)).toEqual([500, 201]);
  });

  it('an injected 429 carries the TEN_SECONDLY_ROLLING body', async () => {
    await admin.post('/_sandbox/faults', { status: 429, count: 1 });
    const res = await api.get('/crm/v3/owners');
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
  });
});
