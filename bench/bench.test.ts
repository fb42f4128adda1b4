/**
 * Smoke test of the benchmarks (issue 8: "the test command runs only a small
 * smoke version of each so that they keep working"): every benchmark at a
 * tiny size, checking that each produces well-formed figures. No timing
 * threshold is asserted here: bench/run.ts and BENCHMARKS.md hold the bars.
 */
import { describe, expect, it } from 'vitest';
import { figures } from './report.ts';
import type { Latency } from './stats.ts';
import { runSuite } from './suite.ts';

const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const wellFormed = (l: Latency) => {
  expect(l.n).toBeGreaterThan(0);
  for (const k of ['p50', 'p95', 'p99', 'max'] as const) expect(finite(l[k]), `${k}=${l[k]}`).toBe(true);
  expect(l.p50 <= l.p99 && l.p99 <= l.max).toBe(true);
};

describe('benchmarks (smoke, tiny sizes)', () => {
  it('issue 8: every benchmark runs and reports well-formed figures on both stores', async () => {
    const r = await runSuite({
      stores: ['postgres', 'embedded'],
      rates: [50, 100],
      durationMs: 200,
      companies: 2,
      workers: 0,
      calls: 2,
      restarts: 1,
      commits: 5,
    });
    for (const rate of [50, 100]) wellFormed(r.noopFloor[rate]?.latency as Latency);
    for (const kind of ['postgres', 'embedded'] as const) {
      const s = r.stores[kind];
      if (!s) throw new Error(`no results for ${kind}`);
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
        if (kind === 'postgres') expect(finite(run.commitsPerEvent)).toBe(true);
        else expect(run.commitsPerEvent).toBeNull();
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
});
