/**
 * Freshness (issue 8 Speed): a call's `call.ended` received to its record in
 * the CRM, with the CRM slowed to 150 +/- 100 ms a request (uniform jitter,
 * the simulators' latency fault: sandbox/common/sim.ts), 50 companies at 1
 * call/s each, against the backend as its own process on a bench store with
 * its workers on. Each call is the inbound-answered scenario from a new
 * number (6 webhooks, call.ended fifth, dated now), sent open-loop with the
 * company's webhook token as bench/intake.ts sends them: every webhook at its
 * own intended time, a call's 6 one after the other at the load's spacing,
 * none waiting for another's answer (Aircall's player waits for each answer,
 * which would put the intake's queueing of a call's first four webhooks in
 * front of its call.ended).
 *
 * When the record exists is HubSpot's own `createdAt` of the call
 * engagement, read back through its API once the run is over (not polled
 * during it, so the reads cost the portals none of the rate limit the backend
 * works under), matched to its Aircall call by our idempotency key property.
 * The figure counts from call.ended's intended send time (open-loop: any
 * queueing in our intake counts against us); from its acknowledgement by the
 * backend is kept alongside. Floor: one HubSpot round trip through the same
 * latency, timed from this process in the same run.
 */
import { callWebhooks, inboundAnsweredScript } from '../lib/aircall/scenarios.ts';
import { KEY_PROPERTY } from '../lib/crm/hubspot/adapter.ts';
import { startSoItEndsBy } from '../sandbox/aircall/named-scenarios.ts';
import { readToken } from '../sandbox/demo.ts';
import { type BenchCompany, startBenchBackend } from './backend.ts';
import { type LoadResult, openLoop } from './load.ts';
import { simControl } from './sim-log.ts';
import { type Latency, summarize } from './stats.ts';
import type { BenchStore } from './store.ts';

export interface FreshnessOptions {
  companies: number;
  /** How long calls are played, ms (each company: 1 call/s). */
  durationMs: number;
  /** The backend's WORKERS (work items at once per process). */
  workers: number;
  /** Calls per second per company (issue: 1). */
  callsPerSecond?: number;
  /** The CRM's latency and its +/- jitter, ms (issue: 150 +/- 100). */
  latencyMs?: number;
  jitterMs?: number;
}

export interface FreshnessResult {
  companies: number;
  workers: number;
  callsPerSecond: number;
  latencyMs: number;
  jitterMs: number;
  /** Calls sent in the measured run. */
  calls: number;
  /** Of those, logged in HubSpot by the end of the wait. */
  logged: number;
  /** How long after the last webhook the run waited for the rest, ms. */
  waitMs: number;
  /**
   * HubSpot `createdAt` minus call.ended's intended send time, every call; a
   * call not logged by the end of the wait counts with its time so far (a
   * lower bound), so `lowerBound` says whether a percentile rests on those.
   */
  fromIntended: Latency;
  /** The same from call.ended's acknowledgement by the backend (logged calls). */
  fromAck: Latency;
  lowerBound: { p95: boolean; p99: boolean };
  /** One HubSpot request through the injected latency, from this process (the floor). */
  crmRoundTrip: Latency;
  /** The webhooks themselves (their acknowledgement, open-loop). */
  webhooks: LoadResult;
}

const CALL_BASE = 6_000_000;
const WARM_BASE = 5_900_000;
/** The inbound-answered scenario's webhooks (lib/aircall/scenarios.ts): call.ended is the fifth. */
const EVENTS_PER_CALL = 6;
const ENDED = 4;

/** The webhooks of one call from a new French mobile number, dated so that it ended just now. */
function callBodies(company: BenchCompany, callId: number): string[] {
  const script = inboundAnsweredScript({
    token: company.token,
    callId,
    external: `+337${String(callId).padStart(8, '0')}`,
  });
  script.startedAt = startSoItEndsBy(script, Date.now());
  const events = callWebhooks(script);
  if (events[ENDED]?.event !== 'call.ended') throw new Error('the scenario no longer has call.ended fifth');
  return events.map((e) => JSON.stringify(e));
}

/** Request i of an open-loop run: webhook i % 6 of call `base + i / 6`, for company `(i / 6) % n`. */
function webhookRequests(companies: BenchCompany[], base: number) {
  let bodies: string[] = [];
  return (i: number) => {
    const slot = Math.floor(i / EVENTS_PER_CALL);
    const company = companies[slot % companies.length];
    if (!company) throw new Error('freshness needs at least one company');
    if (i % EVENTS_PER_CALL === 0 || bodies.length === 0) bodies = callBodies(company, base + slot);
    return { path: `/webhooks/aircall/${company.id}`, body: bodies[i % EVENTS_PER_CALL] ?? '' };
  };
}

interface HubspotPage {
  results?: { properties?: Record<string, string | null>; createdAt?: string }[];
  paging?: { next?: { after?: string } };
}

/**
 * Call id -> HubSpot createdAt (UNIX ms) of its engagement, through the API
 * (CRM search, every call of the portal) with the portal's read token.
 */
async function createdAtByCall(hubspotUrl: string, company: BenchCompany): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  let after: string | undefined;
  for (;;) {
    const res = await fetch(`${hubspotUrl}/crm/v3/objects/calls/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readToken(company.ids)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filterGroups: [], properties: [KEY_PROPERTY], limit: 200, after }),
    });
    if (res.status === 429) {
      // The search limit (5/s per portal): these reads come after the run, so waiting is free.
      await new Promise((r) => setTimeout(r, 1_000));
      continue;
    }
    if (!res.ok) throw new Error(`reading HubSpot calls of ${company.id}: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as HubspotPage;
    for (const r of page.results ?? []) {
      // Our key is `<integration>/call/<Aircall call id>/<write ref>` (server/workers/process.ts).
      const m = /\/call\/(\d+)\//.exec(r.properties?.[KEY_PROPERTY] ?? '');
      const at = r.createdAt ? Date.parse(r.createdAt) : NaN;
      if (!m || !Number.isFinite(at)) continue;
      const id = Number(m[1]);
      out.set(id, Math.min(at, out.get(id) ?? Infinity));
    }
    after = page.paging?.next?.after;
    if (!after) return out;
  }
}

/** Calls HubSpot holds across the companies' portals (the simulator's state, read in process: free). */
function callsInHubspot(backend: Awaited<ReturnType<typeof startBenchBackend>>): number {
  let n = 0;
  for (const c of backend.companies) n += backend.sandbox.hubspot.sim.objects(c.ids.portalId, 'calls').length;
  return n;
}

async function until(cond: () => boolean, deadline: number): Promise<void> {
  while (!cond() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

/** Measure freshness on `store`. */
export async function benchFreshness(store: BenchStore, opts: FreshnessOptions): Promise<FreshnessResult> {
  const callsPerSecond = opts.callsPerSecond ?? 1;
  const latencyMs = opts.latencyMs ?? 150;
  const jitterMs = opts.jitterMs ?? 100;
  const backend = await startBenchBackend({
    store,
    companies: opts.companies,
    env: { WORKERS: String(opts.workers) },
  });
  try {
    const hubspot = backend.sandbox.hubspot.url;
    const first = backend.companies[0];
    if (!first) throw new Error('freshness needs at least one company');
    await simControl(hubspot, '/_sandbox/faults', { pathPrefix: '/', latencyMs, jitterMs });

    // Floor: one request through the same latency, one after the other.
    const trips: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const res = await fetch(`${hubspot}/crm/v3/objects/contacts?limit=1`, {
        headers: { authorization: `Bearer ${readToken(first.ids)}` },
      });
      await res.arrayBuffer();
      trips.push(performance.now() - t);
    }

    const rate = opts.companies * callsPerSecond * EVENTS_PER_CALL;
    // Warm-up: one call per company (its first call reads the portal's owners, properties...).
    await openLoop({
      url: backend.url,
      rate,
      durationMs: 1000 / callsPerSecond,
      request: webhookRequests(backend.companies, WARM_BASE),
      timeoutMs: 60_000,
    });
    const warm = backend.companies.length;
    await until(() => callsInHubspot(backend) >= warm, performance.now() + 60_000);
    const before = callsInHubspot(backend);

    const epoch = Date.now() - performance.now();
    const intended = new Map<number, number>();
    const acked = new Map<number, number>();
    const webhooks = await openLoop({
      url: backend.url,
      rate,
      durationMs: opts.durationMs,
      request: webhookRequests(backend.companies, CALL_BASE),
      onAnswer: (i, at, end, status) => {
        if (i % EVENTS_PER_CALL !== ENDED) return;
        const callId = CALL_BASE + Math.floor(i / EVENTS_PER_CALL);
        intended.set(callId, epoch + at);
        if (status >= 200 && status < 300) acked.set(callId, epoch + end);
      },
      timeoutMs: 60_000,
    });
    const calls = Math.floor(webhooks.sent / EVENTS_PER_CALL);
    const waitMs = Math.max(30_000, opts.durationMs);
    const waitStart = performance.now();
    await until(() => callsInHubspot(backend) >= before + calls, waitStart + waitMs);
    const waitEnd = Date.now();
    const waited = Math.round(performance.now() - waitStart);
    await simControl(hubspot, '/_sandbox/faults', undefined, 'DELETE');

    const created = new Map<number, number>();
    for (const c of backend.companies)
      for (const [id, at] of await createdAtByCall(hubspot, c)) created.set(id, at);

    const samples: { ms: number; missing: boolean }[] = [];
    const fromAck: number[] = [];
    for (const [id, sent] of intended) {
      const at = created.get(id);
      // Not logged yet: its freshness is at least the time it has waited so far.
      samples.push(
        at === undefined ? { ms: waitEnd - sent, missing: true } : { ms: at - sent, missing: false },
      );
      const ack = acked.get(id);
      if (at !== undefined && ack !== undefined) fromAck.push(at - ack);
    }
    samples.sort((a, b) => a.ms - b.ms);
    // A percentile is only a lower bound when a not-logged call ranks at or below it.
    const restsOnMissing = (p: number) => {
      const k = Math.ceil((p / 100) * samples.length) - 1;
      return samples.slice(0, k + 1).some((s) => s.missing);
    };
    const missing = samples.filter((s) => s.missing).length;
    return {
      companies: backend.companies.length,
      workers: opts.workers,
      callsPerSecond,
      latencyMs,
      jitterMs,
      calls,
      logged: calls - missing,
      waitMs: waited,
      fromIntended: summarize(samples.map((s) => s.ms)),
      fromAck: summarize(fromAck),
      lowerBound: { p95: restsOnMissing(95), p99: restsOnMissing(99) },
      crmRoundTrip: summarize(trips),
      webhooks,
    };
  } finally {
    await backend.close();
  }
}
