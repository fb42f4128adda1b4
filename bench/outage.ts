/**
 * Outage drain (issue 8 Speed): HubSpot down for 60 minutes (every request,
 * API and OAuth, answered 503 by the simulator's fault control) while one
 * company's 1,200 calls arrive through the Aircall player, spread evenly over
 * the outage; then HubSpot comes back and the time until all 1,200 calls are
 * logged is measured, and the 429s HubSpot answered are counted from its
 * request log (at HubSpot's published limits, 110 per 10 s and search 5/s).
 *
 * Time: the backend runs in this process on the settable clock
 * (test/support/world.ts), and the outage runs as a discrete-event
 * simulation: whenever the backend has nothing running and nothing due, every
 * clock (backend and simulators) jumps to the next due retry or arrival (at
 * least `stepMs` ahead), so a 60-minute outage takes a few real minutes and
 * the retries follow the backend's own backoff (lib/http/vendor.ts,
 * server/store/work.ts). The drain is timed on the same clock: real work time
 * plus the idle waits skipped, i.e. what the drain would take in real life.
 *
 * The client-side pacer (lib/http/pace.ts) runs on the real clock, so the
 * outage starts as the OAuth access token is due for refresh (30 min after
 * it was issued): every attempt during the outage fails at the token
 * endpoint, which is not paced, instead of queueing behind the pacer in real
 * time; a 5xx from the token endpoint is retried like any 5xx
 * (server/services.ts). After the outage the drain's requests are paced as
 * they would be.
 */
import { startWorld, type StoreKind, type World } from '../test/support/world.ts';
import { clearSimRequests, simControl, simRequests } from './sim-log.ts';
import { type Latency, summarize } from './stats.ts';

export interface OutageOptions {
  store: StoreKind;
  /** Calls arriving during the outage (issue: 1,200). */
  calls: number;
  /** Outage length on the injected clock, ms (issue: 60 min). */
  outageMs: number;
  /** Smallest clock jump while the backend waits during the outage, ms (default 5 s). */
  stepMs?: number;
  /** The same during the drain (default 1 s: the drain time is at most this late). */
  drainStepMs?: number;
  /** Give up on the drain after this long on the injected clock (default 3 h). */
  drainLimitMs?: number;
}

export interface OutageResult {
  store: StoreKind;
  calls: number;
  outageMs: number;
  /** Calls whose work is done (logged) at the end. */
  logged: number;
  /** HubSpot call engagements at the end, read through its API. */
  hubspotCalls: number;
  /** Outage end to the last call logged, on the injected clock; null when not all were logged. */
  drainMs: number | null;
  /** Real time the drain took to run (the rest was idle waits skipped). */
  drainRealMs: number;
  /** At the outage's end, per queued call: ms until its next attempt was due (the backoff left). */
  waitAtRecovery: Latency;
  /** At the outage's end, per queued call: failed attempts so far. */
  attemptsAtRecovery: Latency;
  /** HubSpot requests during the drain, by kind, and every 429 of the whole run. */
  drainRequests: { total: number; searches: number; other: number };
  status429: number;
  /**
   * The shortest drain HubSpot's published limits allow at our 80% pacing for
   * the drain's own requests (searches / 4 per s, others / 8.8 per s): the floor.
   */
  pacingFloorMs: number;
  /** Work items not done at the end, by state. */
  notDone: Record<string, number>;
}

/** HubSpot's OAuth access tokens live 30 minutes (sandbox/hubspot/oauth.ts, API-CONTRACTS 2). */
const TOKEN_LIFETIME_MS = 30 * 60_000;
const CALL_BASE = 7_000_000;

async function one<T>(w: World, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await w.db.query<T & Record<string, unknown>>(sql, params))[0];
}

/** Wait until the backend has nothing running and nothing due on its clock. */
async function quiet(w: World, timeoutMs = 600_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    await w.sandbox.aircall.sim.flush();
    const row = await one<{ n: number }>(
      w,
      `select count(*)::int as n from work where state = 'running' or (state = 'pending' and run_after <= $1)`,
      [w.clock.now()],
    );
    if ((row?.n ?? 0) === 0) return;
    if (performance.now() > end) throw new Error(`the work queue did not go quiet in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function nextDue(w: World): Promise<number | null> {
  const row = await one<{ at: string | null }>(
    w,
    `select min(run_after)::text as at from work where state = 'pending'`,
  );
  return row?.at == null ? null : Number(row.at);
}

async function states(w: World): Promise<Record<string, number>> {
  const rows = await w.db.query<{ state: string; n: number }>(
    'select state, count(*)::int as n from work group by state',
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** HubSpot call engagements of the company's portal, counted through the API (search, total). */
async function hubspotCalls(w: World): Promise<number> {
  for (;;) {
    const r = await w.hubspot('POST', '/crm/v3/objects/calls/search', { filterGroups: [], limit: 1 });
    if (r.status === 429) {
      await new Promise((res) => setTimeout(res, 1_000));
      continue;
    }
    if (r.status !== 200) throw new Error(`HubSpot search answered ${r.status}: ${JSON.stringify(r.json)}`);
    return Number(r.json.total);
  }
}

export async function benchOutage(opts: OutageOptions): Promise<OutageResult> {
  const w = await startWorld({
    store: opts.store,
    crm: 'hubspot',
    n: 60,
    realLimits: true,
    env: { POLL_MS: '10' },
  });
  try {
    const hubspot = w.sandbox.hubspot.url;
    // The published limits, said explicitly (the simulator's defaults).
    await simControl(hubspot, '/_sandbox/limits', { tenSecondly: 110, searchPerSecond: 5 });
    const play = async (i: number) => {
      const callId = CALL_BASE + i;
      // Every call from a new number: a cold phone cache, one search each (the worst case).
      await w.play({
        scenario: 'inbound-answered',
        callId,
        external: `+3365${String(callId).padStart(7, '0')}`,
      });
    };

    await w.advance(TOKEN_LIFETIME_MS + 60_000);
    await clearSimRequests(hubspot);
    await simControl(hubspot, '/_sandbox/faults', { pathPrefix: '/', status: 503, count: 1_000_000_000 });
    const start = w.clock.now();
    const end = start + opts.outageMs;
    const arrival = (i: number) => start + ((i + 0.5) * opts.outageMs) / opts.calls;
    let next = 0;
    for (;;) {
      const now = w.clock.now();
      const due: number[] = [];
      while (next < opts.calls && arrival(next) <= now) due.push(next++);
      for (let k = 0; k < due.length; k += 8) await Promise.all(due.slice(k, k + 8).map(play));
      await quiet(w);
      const at = w.clock.now();
      if (at >= end && next >= opts.calls) break;
      const target = Math.min(
        next < opts.calls ? arrival(next) : Infinity,
        (await nextDue(w)) ?? Infinity,
        end,
      );
      const jump = Math.max(target - at, opts.stepMs ?? 5_000);
      await w.advance(Math.max(1, Math.min(jump, Math.max(end - at, 1))));
    }

    // HubSpot is back.
    await simControl(hubspot, '/_sandbox/faults', undefined, 'DELETE');
    const recovery = w.clock.now();
    const queued = await w.db.query<{ run_after: string; attempts: number }>(
      `select run_after::text as run_after, attempts from work where state = 'pending'`,
    );
    const logBefore = (await simRequests(hubspot)).length;
    const limit = recovery + (opts.drainLimitMs ?? 3 * 60 * 60_000);
    const realStart = performance.now();
    for (;;) {
      await quiet(w);
      const s = await states(w);
      const at = w.clock.now();
      if ((s.done ?? 0) >= opts.calls || at > limit) break;
      const target = await nextDue(w);
      if (target === null) break; // nothing left that will run by itself (paused or failed)
      await w.advance(Math.max(target - at, opts.drainStepMs ?? 1_000));
    }
    const drainRealMs = Math.round(performance.now() - realStart);
    const s = await states(w);
    const last = await one<{ at: string | null }>(
      w,
      `select max(updated_at)::text as at from work where state = 'done'`,
    );
    const log = await simRequests(hubspot);
    const drain = log.slice(logBefore);
    const isSearch = (r: { method: string; path: string }) =>
      r.method === 'POST' && /^\/crm\/v3\/objects\/[^/]+\/search$/.test(r.path);
    const searches = drain.filter(isSearch).length;
    const other = drain.filter((r) => !isSearch(r) && !r.path.startsWith('/oauth/')).length;
    const done = s.done ?? 0;
    return {
      store: opts.store,
      calls: opts.calls,
      outageMs: opts.outageMs,
      logged: done,
      hubspotCalls: await hubspotCalls(w),
      drainMs: done >= opts.calls && last?.at ? Number(last.at) - recovery : null,
      drainRealMs,
      waitAtRecovery: summarize(queued.map((q) => Math.max(0, Number(q.run_after) - recovery))),
      attemptsAtRecovery: summarize(queued.map((q) => q.attempts)),
      drainRequests: { total: drain.length, searches, other },
      status429: log.filter((r) => r.status === 429).length,
      pacingFloorMs: Math.round(Math.max((searches / 4) * 1000, (other / 8.8) * 1000)),
      notDone: Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'done')),
    };
  } finally {
    await w.close();
  }
}
