/**
 * Issue 8 "Faults", retries: a CRM that keeps failing with retryable errors
 * is retried with exponential backoff and full jitter for at least 24 hours
 * of the injected clock from the first failure, then the work is
 * dead-lettered (`failed`) with its last error, and an admin replay writes it
 * once. Time passes with `w.advance` (every clock), an hour at a time: no
 * real waiting. HubSpot answers 503 (POST /_sandbox/faults); Salesforce's
 * org has used up its daily API allocation (403 REQUEST_LIMIT_EXCEEDED).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../../lib/aircall/scenarios.ts';
import { VENDOR_QUIRKS, RETRY_STEP_CAP_MS } from '../../lib/http/vendor.ts';
import { CLAIRE, connectDemoCrm } from '../../sandbox/demo.ts';
import { ADMIN_TOKEN, sandboxUrls, STORES, startWorld, type World } from '../support/world.ts';
import { waitFor } from '../support/wait.ts';
import { clearFaults, crmReader, fault } from './support.ts';

const HOUR = 3_600_000;

interface WorkView {
  integrationId: string;
  id: string;
  state: string;
  attempts: number;
  lastError: string | null;
  runAfter: number;
  updatedAt: number;
}

describe.each(STORES)('retries for 24 h, then the dead letter (%s store)', { timeout: 120_000 }, (store) => {
  let w: World;
  const company = () => w.company.ids.companyId;
  const read = () => crmReader(sandboxUrls(w.sandbox), w.company.ids);

  beforeAll(async () => {
    w = await startWorld({ store, n: 85 });
    // The same company also logs to Salesforce (each call: one work item per CRM).
    await connectDemoCrm({
      backendUrl: w.backend.url,
      adminToken: ADMIN_TOKEN,
      urls: sandboxUrls(w.sandbox),
      ids: w.company.ids,
      crm: 'salesforce',
      settings: {},
    });
  }, 90_000);
  afterAll(async () => w?.close());

  async function play(callId: number) {
    await w.play({
      call: { callId, direction: 'inbound', external: CLAIRE.e164, answerAfter: 3, talk: 42, user: ALICE },
    });
  }

  async function work(crm: 'hubspot' | 'salesforce'): Promise<WorkView[]> {
    const r = await w.admin('GET', `/admin/companies/${company()}/work`);
    return (r.json.work as WorkView[]).filter((x) => x.integrationId === `${company()}:${crm}`);
  }
  async function item(crm: 'hubspot' | 'salesforce', callId: number): Promise<WorkView> {
    const found = (await work(crm)).find((x) => x.id === String(callId));
    if (!found) throw new Error(`no ${crm} work for call ${callId}`);
    return found;
  }

  /** An hour passes for everyone; the work that came due runs. */
  async function hourPasses() {
    await w.advance(HOUR);
    await w.settle(30_000);
  }

  const outage = (message: string) => ({
    status: 503,
    body: {
      status: 'error',
      message,
      category: 'SERVICE_UNAVAILABLE',
      correlationId: '00000000-0000-4000-8000-000000000503',
    },
    count: 1_000_000,
  });

  it('GEN-IDEM-1: a CRM answering 503 for 23 hours is retried all along, and the call is logged once when it recovers', async () => {
    await fault(w.sandbox.hubspot.url, {
      method: 'POST',
      pathPrefix: '/crm/v3/objects/calls',
      ...outage('HubSpot is down'),
    });
    await play(8501);
    await w.settle();
    const first = await item('hubspot', 8501);
    expect(first.state).toBe('pending');
    expect(first.lastError).toMatch(/hubspot unavailable \(503\)/);

    for (let h = 1; h <= 23; h++) {
      await hourPasses();
      const now = await item('hubspot', 8501);
      expect(now.state, `after ${h} h: ${now.lastError}`).toBe('pending');
    }
    const after23 = await item('hubspot', 8501);
    // At least one attempt an hour (each step is at most an hour: RETRY_STEP_CAP_MS).
    expect(after23.attempts).toBeGreaterThanOrEqual(23);

    await clearFaults(w.sandbox.hubspot.url);
    await hourPasses();
    expect((await item('hubspot', 8501)).state).toBe('done');
    const calls = await read().hubspot(8501);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.hs_call_duration).toBe('42000');
  });

  it('after an outage the backlog goes as soon as one retry gets through, not at the end of each backoff', async () => {
    await fault(w.sandbox.hubspot.url, {
      method: 'POST',
      pathPrefix: '/crm/v3/objects/calls',
      ...outage('HubSpot is down'),
    });
    const ids = [8511, 8512, 8513, 8514, 8515, 8516];
    for (const id of ids) await play(id);
    await w.settle();
    // Five hours of failures, ten minutes at a time: every due item tries again, so the backoff
    // grows to its one-hour cap and each item's next try is anywhere in its own jittered hour.
    for (let step = 0; step < 30; step++) {
      await w.advance(10 * 60_000);
      await w.settle(30_000);
    }
    const waiting = await Promise.all(ids.map((id) => item('hubspot', id)));
    expect(waiting.map((x) => x.state)).toEqual(ids.map(() => 'pending'));
    expect(new Set(waiting.map((x) => x.runAfter)).size).toBeGreaterThan(1);
    expect(Math.min(...waiting.map((x) => x.attempts))).toBeGreaterThanOrEqual(10);

    await clearFaults(w.sandbox.hubspot.url);
    // A minute at a time until the first retry gets through; then, with no more time passing, all go.
    for (let m = 0; m < 70; m++) {
      const states = await Promise.all(ids.map(async (id) => (await item('hubspot', id)).state));
      if (states.includes('done')) break;
      await w.advance(60_000);
      await w.settle(30_000);
    }
    await w.settle(30_000);
    const after = await Promise.all(ids.map((id) => item('hubspot', id)));
    expect(after.map((x) => x.state)).toEqual(ids.map(() => 'done'));
    for (const id of ids) expect(await read().hubspot(id)).toHaveLength(1);
  });

  it('GEN-IDEM-1: past 24 hours of failures the work is dead-lettered with the last error; a replay writes it once, without a duplicate', async () => {
    // Logged first, then every later update is refused: the call exists in HubSpot
    // while its work fails, so a replay that wrote it again would show.
    await play(8502);
    await w.settle();
    expect(await read().hubspot(8502)).toHaveLength(1);
    await fault(w.sandbox.hubspot.url, {
      method: 'PATCH',
      pathPrefix: '/crm/v3/objects/calls/',
      ...outage('first outage'),
    });
    const tagged = await w.agent('POST', '/v1/calls/8502/tags', { tagId: 33 });
    expect(tagged.status, JSON.stringify(tagged.json)).toBe(200);
    await w.settle();
    expect((await item('hubspot', 8502)).lastError).toMatch(/first outage/);

    let hours = 0;
    for (; hours < 30; hours++) {
      if (hours === 20) {
        // The outage changes its answer: the dead letter keeps the last one.
        await clearFaults(w.sandbox.hubspot.url);
        await fault(w.sandbox.hubspot.url, {
          method: 'PATCH',
          pathPrefix: '/crm/v3/objects/calls/',
          ...outage('second outage, maintenance'),
        });
      }
      const state = (await item('hubspot', 8502)).state;
      if (state === 'failed') break;
      expect(state).toBe('pending');
      await hourPasses();
    }
    // The first failure was at hour 0; nothing gave up before 24 hours had passed.
    expect(hours).toBeGreaterThanOrEqual(24);
    expect(hours).toBeLessThanOrEqual(26);
    const dead = await item('hubspot', 8502);
    expect(dead.state).toBe('failed');
    expect(dead.lastError).toMatch(
      /^gave up after \d+ attempts over 2[4-6]\.\d h: hubspot unavailable \(503\): .*second outage, maintenance/,
    );
    const listed = await w.admin('GET', `/admin/companies/${company()}/work?state=failed`);
    expect((listed.json.work as WorkView[]).map((x) => x.id)).toContain('8502');

    // Replay from the API once HubSpot is back.
    await clearFaults(w.sandbox.hubspot.url);
    const replay = await w.admin('POST', `/admin/companies/${company()}/work/retry`, {
      integrationId: `${company()}:hubspot`,
      kind: 'call',
      id: '8502',
    });
    expect(replay.json.retried).toBe(1);
    await w.settle();
    expect((await item('hubspot', 8502)).state).toBe('done');
    const calls = await read().hubspot(8502);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.hs_call_body).toContain('VIP');
    // Replaying again has nothing to replay.
    const again = await w.admin('POST', `/admin/companies/${company()}/work/retry`, {});
    expect(again.json.retried).toBe(0);
  });

  it('jitter: calls failing together get retry times spread over their backoff, not one shared instant', async () => {
    await fault(w.sandbox.hubspot.url, {
      method: 'POST',
      pathPrefix: '/crm/v3/objects/calls',
      ...outage('HubSpot is down again'),
    });
    const ids = Array.from({ length: 16 }, (_, i) => 8510 + i);
    await Promise.all(ids.map((id) => play(id)));
    // Every event is in: from now on a pending item's row is what its last failure wrote
    // (runAfter = the failure's time + the drawn wait; updatedAt = the failure's time).
    await w.sandbox.aircall.sim.flush();
    const from = w.clock.now();
    const drawn = new Map<string, WorkView>();
    await waitFor(
      'a retry of every call after its events',
      async () => {
        for (const x of await work('hubspot')) {
          if (!ids.includes(Number(x.id)) || drawn.has(x.id)) continue;
          if (x.state === 'pending' && x.lastError && x.updatedAt > from) drawn.set(x.id, x);
        }
        if (drawn.size === ids.length) return true;
        // A call that failed several times while its events came in (a slow machine) waits up
        // to a doubled envelope: the clock moves on rather than the test waiting for it.
        await w.advance(5_000);
        return false;
      },
      60_000,
    );
    const base = VENDOR_QUIRKS.hubspot.serverErrorBaseMs;
    // Each wait is a uniform draw in [0, envelope): where in its envelope, per item.
    const ratios = [...drawn.values()].map((x) => {
      const envelope = Math.min(RETRY_STEP_CAP_MS, base * 2 ** (x.attempts - 1));
      const wait = x.runAfter - x.updatedAt;
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(envelope);
      return wait / envelope;
    });
    // Not all in one half of their envelopes (2 x 0.5^16 for a fair draw), and not one instant.
    expect(ratios.some((r) => r < 0.5)).toBe(true);
    expect(ratios.some((r) => r >= 0.5)).toBe(true);
    expect(new Set(ratios).size).toBeGreaterThan(ids.length / 2);

    await clearFaults(w.sandbox.hubspot.url);
    await hourPasses();
    for (const id of ids) expect(await read().hubspot(id), `call ${id}`).toHaveLength(1);
  });

  it("GEN-IDEM-1: Salesforce's REQUEST_LIMIT_EXCEEDED is waited out for 24 hours too, then dead-lettered; the replay logs one Task", async () => {
    // The org's daily API allocation stays used up: every API request is refused with
    // 403 REQUEST_LIMIT_EXCEEDED (API-CONTRACTS 3.5, the simulator's body for a 403).
    await fault(w.sandbox.salesforce.url, { pathPrefix: '/services/data/', status: 403, count: 1_000_000 });
    await play(8530);
    await w.settle();
    expect((await item('salesforce', 8530)).lastError).toMatch(
      /salesforce rate limit \(403\).*REQUEST_LIMIT_EXCEEDED/,
    );
    let hours = 0;
    for (; hours < 30; hours++) {
      const state = (await item('salesforce', 8530)).state;
      if (state === 'failed') break;
      expect(state).toBe('pending');
      await hourPasses();
    }
    expect(hours).toBeGreaterThanOrEqual(24);
    expect(hours).toBeLessThanOrEqual(26);
    expect((await item('salesforce', 8530)).lastError).toMatch(
      /^gave up after \d+ attempts over 2[4-6]\.\d h: salesforce rate limit \(403\).*REQUEST_LIMIT_EXCEEDED/,
    );

    await clearFaults(w.sandbox.salesforce.url);
    const replay = await w.admin('POST', `/admin/companies/${company()}/work/retry`, {});
    expect(replay.json.retried).toBe(1);
    await w.settle();
    expect((await item('salesforce', 8530)).state).toBe('done');
    expect(await read().salesforce(8530)).toHaveLength(1);
  });
});
