import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, caller, startTestJobadder } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestJobadder>>;
beforeAll(async () => {
  t = await startTestJobadder();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.admin.post('/_sandbox/clock', { now: '2026-09-01T12:00:00Z', frozen: true });
  await t.reset({ contacts: [{ contactId: 1, firstName: 'Alice' }] });
  await t.admin.post('/_sandbox/seed', { accounts: [{ accountId: 'other', readTokens: ['other-token'] }] });
});

const statuses = async (n: number, api = t.api) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await api.get('/contacts')).status);
  return out;
};

describe('JobAdder simulator: request limit (API-CONTRACTS 4.3: none published, so a setting)', () => {
  it('is off by default', async () => {
    expect(await statuses(30)).toEqual(Array(30).fill(200));
  });

  it('answers 429 with Retry-After over the account limit, per account, until the window rolls', async () => {
    const set = await t.admin.post('/_sandbox/limits', {
      accountId: ACCOUNT,
      rateLimit: { max: 3, windowMs: 10_000 },
    });
    expect(set.body).toMatchObject({
      accounts: [{ accountId: ACCOUNT, rateLimit: { max: 3, windowMs: 10_000 } }],
    });
    expect(await statuses(3)).toEqual([200, 200, 200]);
    const limited = await t.api.get('/contacts');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('10');
    expect(limited.body).toEqual({ message: expect.stringContaining('Retry after 10 s') });
    // Other accounts have their own (here: no) limit.
    expect(await statuses(5, caller(`${t.url}/v2`, 'other-token'))).toEqual(Array(5).fill(200));

    await t.admin.post('/_sandbox/clock', { advanceMs: 4_000 });
    expect((await t.api.get('/contacts')).headers['retry-after']).toBe('6');
    await t.admin.post('/_sandbox/clock', { advanceMs: 6_001 });
    expect((await t.api.get('/contacts')).status).toBe(200);

    await t.admin.post('/_sandbox/limits', { accountId: ACCOUNT, rateLimit: null });
    expect(await statuses(10)).toEqual(Array(10).fill(200));
  });

  it('without accountId, applies to every account and to accounts seeded later; the seed can set it too', async () => {
    await t.admin.post('/_sandbox/limits', { rateLimit: { max: 1, windowMs: 60_000 }, maxNoteLength: 100 });
    await t.admin.post('/_sandbox/seed', { accounts: [{ accountId: 'late', readTokens: ['late-token'] }] });
    for (const token of ['other-token', 'late-token']) {
      expect(await statuses(2, caller(`${t.url}/v2`, token))).toEqual([200, 429]);
    }
    expect(t.sim.account('late').maxNoteLength).toBe(100);
    await t.admin.post('/_sandbox/seed', {
      accounts: [{ accountId: 'own', readTokens: ['own-token'], rateLimit: { max: 2, windowMs: 1000 } }],
    });
    expect(await statuses(3, caller(`${t.url}/v2`, 'own-token'))).toEqual([200, 200, 429]);
    // Reset turns everything back to the defaults.
    await t.reset();
    expect(t.sim.account(ACCOUNT)).toMatchObject({ maxNoteLength: 10_000, rateLimit: null });
  });

  it('refuses a malformed limits body or an unknown account with the reason', async () => {
    const bad = await t.admin.post('/_sandbox/limits', { maxNoteLength: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('maxNoteLength');
    expect((await t.admin.post('/_sandbox/limits', { accountId: 'ghost', maxNoteLength: 5 })).status).toBe(
      400,
    );
  });
});

describe('JobAdder simulator: injected faults and the request log (sandbox/common/sim.ts)', () => {
  it('answers an injected 500 with an ErrorModel, once, and logs both requests under the account', async () => {
    await t.admin.post('/_sandbox/faults', {
      method: 'POST',
      pathPrefix: '/v2/contacts/1/notes',
      status: 500,
    });
    const failed = await t.api.post('/contacts/1/notes', { text: 'x' });
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ message: expect.stringContaining('injected') });
    expect((await t.api.post('/contacts/1/notes', { text: 'x' })).status).toBe(201);
    const log = await t.admin.get(`/_sandbox/requests?account=${ACCOUNT}`);
    expect((log.body.requests as { status: number; path: string }[]).map((r) => [r.path, r.status])).toEqual([
      ['/v2/contacts/1/notes', 500],
      ['/v2/contacts/1/notes', 201],
    ]);
    expect(((await t.admin.get('/_sandbox/requests?account=other')).body.requests as unknown[]).length).toBe(
      0,
    );
  });

  it('an injected 429 carries Retry-After when the fault gives it', async () => {
    await t.admin.post('/_sandbox/faults', { status: 429, headers: { 'Retry-After': '2' } });
    const res = await t.api.get('/search/phonenumber?E164=%2B61412345678');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
    expect(typeof res.body.message).toBe('string');
    expect((await t.api.get('/search/phonenumber?E164=%2B61412345678')).status).toBe(200);
  });
});
