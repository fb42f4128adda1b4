/**
 * Smoke test of the benchmarks (issue 8: "the test command runs only a small
 * smoke version of each so that they keep working"): every benchmark at a
 * tiny size, checking that each produces well-formed figures. No timing
 * threshold is asserted here: bench/run.ts and BENCHMARKS.md hold the bars.
 */
import { describe, expect, it } from 'vitest';
import { extensionBuilt } from './extension.ts';
import { figures } from './report.ts';
import type { Latency } from './stats.ts';
import { type BenchName, runSuite, type SuiteOptions } from './suite.ts';

const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const wellFormed = (l: Latency) => {
  expect(l.n).toBeGreaterThan(0);
  for (const k of ['p50', 'p95', 'p99', 'max'] as const) expect(finite(l[k]), `${k}=${l[k]}`).toBe(true);
  expect(l.p50 <= l.p99 && l.p99 <= l.max).toBe(true);
};

/** The tiniest run of every benchmark; `only` picks some. */
const TINY: SuiteOptions = {
  stores: ['postgres', 'embedded'],
  rates: [50, 100],
  durationMs: 200,
  companies: 2,
  workers: 0,
  calls: 2,
  restarts: 1,
  commits: 5,
  freshnessMs: 2_000,
  freshnessCompanies: 1,
  freshnessWorkers: [4],
  outageCalls: 4,
  outageMs: 10 * 60_000,
  rateLimitMs: 1_000,
  navigations: 1,
  extensionIfBuilt: true,
};
const only = (...benches: BenchName[]): SuiteOptions => ({ ...TINY, stores: ['postgres'], only: benches });

/** The figures of a run are well-formed, and the asked-for ones are measured. */
function checkFigures(r: Awaited<ReturnType<typeof runSuite>>, measured: RegExp) {
  const figs = figures(r);
  for (const f of figs) expect(['pass', 'miss', 'not measured yet']).toContain(f.verdict);
  const mine = figs.filter((f) => measured.test(f.name));
  expect(mine.length).toBeGreaterThan(0);
  for (const f of mine) expect(f.verdict, f.name).not.toBe('not measured yet');
}

if (!extensionBuilt())
  console.warn(
    'bench smoke: no extension build in .output/chrome-mv3 (npx wxt build): its benchmark is skipped',
  );

// Concurrent: each starts its own backend and simulators on free ports, and most of a
// tiny run is waiting, so the file takes about as long as its longest test.
describe.concurrent('benchmarks (smoke, tiny sizes)', () => {
  it('issue 8: every benchmark runs and reports well-formed figures on both stores', async () => {
    const r = await runSuite({ ...TINY, only: ['intake', 'restart', 'requests'] });
    for (const rate of [50, 100]) wellFormed(r.noopFloor[rate]?.latency as Latency);
    for (const kind of ['postgres', 'embedded'] as const) {
      const s = r.stores[kind];
      if (!s) throw new Error(`no results for ${kind}`);
      if (!s.restart || !s.intake) throw new Error(`no restart or intake results for ${kind}`);
      wellFormed(s.commitFloor);
      wellFormed(s.restart.ready);
      wellFormed(s.restart.floor);
      expect(s.intake.payloadBytes).toBeGreaterThan(500);
      for (const rate of [50, 100]) {
        const run = s.intake.runs[rate];
        if (!run) throw new Error(`no ${kind} intake run at ${rate}/s`);
        wellFormed(run.load.latency);
        expect(run.load.sent).toBe(rate / 5);
        expect(finite(run.load.achievedRate)).toBe(true);
        expect(run.load.ok + run.load.non2xx).toBe(run.load.sent);
        // Every acknowledged event was committed: the backend counted commits during the run.
        expect(run.commitsPerEvent).toBeGreaterThan(0);
        if (kind === 'postgres') expect(finite(run.engineCommitsPerEvent)).toBe(true);
        else expect(run.engineCommitsPerEvent).toBeNull();
      }
      expect(Object.keys(s.durability)).toEqual(expect.arrayContaining(['fsync', 'synchronous_commit']));
    }
    expect(r.requestsPerCall).toHaveLength(6);
    for (const x of r.requestsPerCall) {
      // 6 events a call plus its re-deliveries (issue 8: 20% duplicated).
      expect(x.eventsPerCall).toBeGreaterThan(6);
      for (const v of [...Object.values(x.crmRequests), x.aircall]) expect(finite(v)).toBe(true);
      expect(x.failedWork).toBe(0);
    }
    const figs = figures(r);
    expect(figs.length).toBeGreaterThan(10);
    for (const f of figs) expect(['pass', 'miss', 'not measured yet']).toContain(f.verdict);
  }, 120_000);

  it('issue 8: freshness with a slow CRM, call.ended to the HubSpot record, on both stores', async () => {
    const r = await runSuite({ ...only('freshness'), stores: ['postgres', 'embedded'] });
    for (const kind of ['postgres', 'embedded'] as const) {
      const f = r.stores[kind]?.freshness?.[0];
      if (!f) throw new Error(`no freshness results on ${kind}`);
      expect(f.calls).toBe(2);
      expect(f.logged).toBe(f.calls);
      wellFormed(f.fromIntended);
      wellFormed(f.fromAck);
      // The injected latency is there: 150 +/- 100 ms a request, so at least 50 ms.
      expect(f.crmRoundTrip.p50).toBeGreaterThanOrEqual(50);
    }
    checkFigures(r, /freshness/);
  }, 120_000);

  it('issue 8: outage drain on the injected clock, 429s counted', async () => {
    const r = await runSuite(only('outage'));
    const o = r.outage;
    if (!o) throw new Error('no outage results');
    expect(o.logged).toBe(4);
    expect(o.hubspotCalls).toBe(4);
    expect(finite(o.drainMs)).toBe(true);
    expect(finite(o.status429)).toBe(true);
    wellFormed(o.waitAtRecovery);
    checkFigures(r, /Outage drain/);
  }, 120_000);

  it('issue 8: rate limits at 5x, peak per window and 429s from the simulators', async () => {
    const r = await runSuite(only('rate-limits'));
    const x = r.rateLimits;
    if (!x) throw new Error('no rate-limit results');
    expect(x.runs.map((run) => run.crm)).toEqual(['hubspot', 'salesforce']);
    for (const run of x.runs) {
      expect(run.logged).toBe(run.calls);
      for (const u of run.limits)
        for (const v of [u.peak, u.share, u.peakAnswered, u.refused]) expect(finite(v)).toBe(true);
    }
    checkFigures(r, /Rate limits/);
  }, 120_000);

  it.skipIf(!extensionBuilt())(
    'issue 8: the extension in Chromium, marks, cold starts and long tasks',
    async () => {
      const r = await runSuite(only('extension'));
      const e = r.extension;
      if (!e) throw new Error(`no extension results: ${JSON.stringify(r.skipped)}`);
      expect(Object.keys(e.bundles).sort()).toEqual(['hubspot.js', 'jobadder.js', 'salesforce.js']);
      for (const l of [e.scriptToMounted, e.listFromCache, e.listFresh, e.backendAnswer, e.pageLoad])
        wellFormed(l);
      checkFigures(r, /^Extension/);
    },
    120_000,
  );
});
