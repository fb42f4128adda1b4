/**
 * The issue 8 Speed list as figures: each bar, the measured value, its ratio
 * to the floor and pass/miss; printed as a table and written to BENCHMARKS.md.
 */
import type { ExtensionResult } from './extension.ts';
import type { FreshnessResult } from './freshness.ts';
import type { OutageResult } from './outage.ts';
import type { LimitUse, RateLimitsResult } from './rate-limits.ts';
import { type Latency, ratio } from './stats.ts';
import type { BenchName, Results } from './suite.ts';

export interface Figure {
  name: string;
  bar: string;
  /** Measured value with its unit, or "not measured yet". */
  value: string;
  /** "x floor" text, or "" when there is no floor. */
  ratio: string;
  verdict: 'pass' | 'miss' | 'not measured yet';
}

const ms = (x: number) => `${x} ms`;
const verdict = (ok: boolean): Figure['verdict'] => (ok ? 'pass' : 'miss');

/** The figures of one run, in the order of the issue's Speed list. */
export function figures(r: Results): Figure[] {
  const out: Figure[] = [];
  const [low, high] = [r.options.rates[0], r.options.rates[1]];
  for (const [kind, s] of Object.entries(r.stores)) {
    const floor = (rate: number | undefined) => (rate === undefined ? undefined : r.noopFloor[rate]);
    const lowRun = low === undefined ? undefined : s.intake?.runs[low];
    const lowFloor = floor(low);
    if (lowRun && lowFloor) {
      const x = ratio(lowRun.load.latency.p99, lowFloor.latency.p99);
      out.push({
        name: `[${kind}] intake p99 at ${low}/s`,
        bar: '<= 20 ms and <= 4x no-op floor',
        value: `${ms(lowRun.load.latency.p99)} (p50 ${lowRun.load.latency.p50}, max ${lowRun.load.latency.max}; ${lowRun.load.non2xx} non-2xx)`,
        ratio: `${x ?? '-'}x no-op p99 (${ms(lowFloor.latency.p99)})`,
        verdict: verdict(lowRun.load.latency.p99 <= 20 && x !== null && x <= 4),
      });
      out.push({
        name: `[${kind}] commits per event at ${low}/s`,
        bar: '<= 0.2',
        value:
          `${lowRun.commitsPerEvent} (the backend's own count: transactions and lone statements, read-only ones included)` +
          (lowRun.engineCommitsPerEvent === null
            ? ''
            : `; PostgreSQL's xact_commit: ${lowRun.engineCommitsPerEvent}`),
        ratio: '',
        verdict: verdict(lowRun.commitsPerEvent <= 0.2),
      });
    }
    const highRun = high === undefined ? undefined : s.intake?.runs[high];
    const highFloor = floor(high);
    if (highRun && highFloor && high !== undefined) {
      const l = highRun.load;
      out.push({
        name: `[${kind}] intake sustained at ${high}/s offered`,
        bar: `>= 3000/s, p99 <= 50 ms, 0 non-2xx`,
        value: `${l.achievedRate}/s, p99 ${ms(l.latency.p99)}, ${l.non2xx} non-2xx ${JSON.stringify(l.failures)}`,
        ratio: `${ratio(l.latency.p99, highFloor.latency.p99) ?? '-'}x no-op p99 (${ms(highFloor.latency.p99)})`,
        verdict: verdict(l.achievedRate >= 3000 && l.latency.p99 <= 50 && l.non2xx === 0),
      });
    }
    const restart = s.restart;
    if (restart) {
      out.push({
        name: `[${kind}] restart to ready`,
        bar: kind === 'postgres' ? '<= 1000 ms' : '<= 2x embedded open time',
        value: `p50 ${ms(restart.ready.p50)}, max ${ms(restart.ready.max)} (n=${restart.ready.n})`,
        ratio: `${ratio(restart.ready.max, restart.floor.p50) ?? '-'}x open floor (${ms(restart.floor.p50)}, max/p50)`,
        verdict:
          kind === 'postgres'
            ? verdict(restart.ready.max <= 1000)
            : verdict(restart.ready.max <= 2 * restart.floor.p50),
      });
    }
    for (const f of s.freshness ?? []) out.push(freshnessFigure(kind, f));
  }
  const rpc = (crm: string, callers: string) =>
    r.requestsPerCall.find((x) => x.crm === crm && x.callers === callers);
  const hsCold = rpc('hubspot', 'distinct');
  const hsWarm = rpc('hubspot', 'repeat');
  if (hsCold) {
    out.push({
      name: `HubSpot writes per call (${hsCold.calls} calls, new callers)`,
      bar: '<= 1.2',
      value: `${hsCold.crmRequests.writes} (searches ${hsCold.crmRequests.searches}, other reads ${hsCold.crmRequests.reads})`,
      ratio: '',
      verdict: verdict(hsCold.crmRequests.writes <= 1.2),
    });
    out.push({
      name: 'HubSpot searches per call, cold phone cache',
      bar: '<= 1.0',
      value: String(hsCold.crmRequests.searches),
      ratio: '',
      verdict: verdict(hsCold.crmRequests.searches <= 1.0),
    });
  }
  if (hsWarm) {
    out.push({
      name: `HubSpot searches per call, warm cache (${hsWarm.calls} calls, one known caller)`,
      bar: '<= 0.2',
      value: `${hsWarm.crmRequests.searches} (writes ${hsWarm.crmRequests.writes})`,
      ratio: '',
      verdict: verdict(hsWarm.crmRequests.searches <= 0.2),
    });
  }
  for (const [crm, bar] of [
    ['salesforce', 0.1],
    ['jobadder', 2],
  ] as const) {
    for (const callers of ['repeat', 'distinct']) {
      const x = rpc(crm, callers);
      if (!x) continue;
      out.push({
        name: `${crm === 'salesforce' ? 'Salesforce' : 'JobAdder'} requests per call (${x.calls} calls, ${callers === 'repeat' ? 'known caller' : 'new callers'})`,
        bar: `<= ${bar}`,
        value: `${x.crmRequests.total} (writes ${x.crmRequests.writes}, searches ${x.crmRequests.searches}, reads ${x.crmRequests.reads})`,
        ratio: '',
        verdict: verdict(x.crmRequests.total <= bar),
      });
    }
  }
  if (r.requestsPerCall.length > 0) {
    const worst = Math.max(...r.requestsPerCall.map((x) => x.aircall));
    out.push({
      name: 'Aircall API requests per call (worst CRM run)',
      bar: '<= 0.05',
      value: String(worst),
      ratio: '',
      verdict: verdict(worst <= 0.05),
    });
  }
  const notRun = (name: string, bar: string, why: string): Figure => ({
    name,
    bar,
    value: `not measured: ${why}`,
    ratio: '',
    verdict: 'not measured yet',
  });
  const why = (b: BenchName) => r.skipped[b] ?? 'not run in this run (--only)';
  if (Object.values(r.stores).every((s) => !s.freshness?.length))
    out.push(notRun(FRESHNESS, FRESHNESS_BAR, why('freshness')));
  out.push(...(r.outage ? [outageFigure(r.outage)] : [notRun(OUTAGE, OUTAGE_BAR, why('outage'))]));
  out.push(...(r.rateLimits ? rateLimitFigures(r.rateLimits) : [notRun(RATE, RATE_BAR, why('rate-limits'))]));
  out.push(
    ...(r.extension
      ? extensionFigures(r.extension)
      : [
          notRun(
            'Extension performance marks (bundle, mount, calls on screen, long tasks)',
            'see issue 8',
            why('extension'),
          ),
        ]),
  );
  return out;
}

const FRESHNESS = 'Freshness with CRM latency 150 +/- 100 ms, 50 companies at 1 call/s';
const FRESHNESS_BAR = 'p95 <= 3 s, p99 <= 10 s';
const OUTAGE = 'Outage drain: 1,200 calls after 60 min CRM outage';
const OUTAGE_BAR = '<= 10 min, 0 x 429';
const RATE = 'Rate limits at 5x call volume';
const RATE_BAR = '0 x 429, pacing <= 80% of each limit';

const sec = (x: number) => `${Math.round(x / 100) / 10} s`;
const min = (x: number) => `${Math.round(x / 6_000) / 10} min`;
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function freshnessFigure(kind: string, f: FreshnessResult): Figure {
  const l = f.fromIntended;
  const atLeast = (lower: boolean) => (lower ? '>= ' : '');
  return {
    name: `[${kind}] freshness, CRM latency ${f.latencyMs} +/- ${f.jitterMs} ms, ${f.companies} companies at ${f.callsPerSecond} call/s (WORKERS=${f.workers})`,
    bar: FRESHNESS_BAR,
    value:
      `p95 ${atLeast(f.lowerBound.p95)}${sec(l.p95)}, p99 ${atLeast(f.lowerBound.p99)}${sec(l.p99)} from the intended send ` +
      `(from call.ended acknowledged: p95 ${sec(f.fromAck.p95)}, p99 ${sec(f.fromAck.p99)}); ` +
      `${f.logged}/${f.calls} calls logged within ${sec(f.waitMs)} after the last; record time: HubSpot createdAt read back through its API`,
    ratio: `${ratio(l.p95, f.crmRoundTrip.p50) ?? '-'}x one CRM round trip (p50 ${ms(f.crmRoundTrip.p50)}), p95`,
    verdict: verdict(
      !f.lowerBound.p95 && !f.lowerBound.p99 && l.p95 <= 3_000 && l.p99 <= 10_000 && f.logged === f.calls,
    ),
  };
}

function outageFigure(o: OutageResult): Figure {
  return {
    name: `Outage drain: ${o.calls.toLocaleString('en')} calls after a ${Math.round(o.outageMs / 60_000)} min HubSpot outage (503)`,
    bar: OUTAGE_BAR,
    value:
      `${o.drainMs === null ? `not drained (${o.logged}/${o.calls} logged, ${JSON.stringify(o.notDone)})` : min(o.drainMs)} on the injected clock ` +
      `(${sec(o.drainRealMs)} of real work), ${o.status429} x 429; backoff left at recovery p50 ${min(o.waitAtRecovery.p50)}, max ${min(o.waitAtRecovery.max)} ` +
      `(attempts p50 ${o.attemptsAtRecovery.p50}); ${o.hubspotCalls} calls in HubSpot`,
    ratio:
      o.drainMs === null
        ? ''
        : `${ratio(o.drainMs, o.pacingFloorMs) ?? '-'}x pacing floor (${sec(o.pacingFloorMs)}: ${o.drainRequests.searches} searches at 4/s, ${o.drainRequests.other} others at 8.8/s)`,
    verdict: verdict(o.drainMs !== null && o.drainMs <= 10 * 60_000 && o.status429 === 0),
  };
}

function rateLimitFigures(r: RateLimitsResult): Figure[] {
  const out: Figure[] = [];
  const window = (ms: number) => (ms >= 3_600_000 ? `${ms / 3_600_000} h` : `${ms / 1000} s`);
  const row = (name: string, u: LimitUse, extra = ''): Figure => ({
    name: `Rate limits at ${r.multiplier}x (${r.callsPerSecond} calls/s): ${name}`,
    bar: RATE_BAR,
    value:
      `peak ${u.peak} sent per ${window(u.windowMs)} = ${pct(u.share)} of ${u.max} (${u.requests} requests; by answer times ${u.peakAnswered}); ` +
      `${u.refused} x ${u.vendor === 'salesforce' ? '403/429' : '429'}${extra}`,
    ratio: '',
    verdict: verdict(u.refused === 0 && u.share <= 0.8),
  });
  for (const run of r.runs) {
    const drained = `; ${run.logged}/${run.calls} calls logged, queue empty after ${sec(run.runMs)}`;
    for (const u of run.limits) {
      if (u.vendor === 'aircall') continue;
      const extra =
        u.projectedDailyShare === undefined
          ? drained
          : `; at this run's rate a day would need ${Math.round(u.projectedDailyShare * 10) / 10}x the allocation${drained}`;
      out.push(row(`${u.vendor === 'hubspot' ? 'HubSpot' : 'Salesforce'} ${u.limit}`, u, extra));
    }
  }
  // Aircall: the worst of the runs (its API is used the same way whatever the CRM).
  const aircall = r.runs
    .flatMap((x) => x.limits)
    .filter((u) => u.vendor === 'aircall')
    .sort((a, b) => b.share - a.share || b.refused - a.refused)[0];
  if (aircall) out.push(row(`Aircall ${aircall.limit} (worst CRM run)`, aircall));
  return out;
}

function extensionFigures(e: ExtensionResult): Figure[] {
  const kb = (b: number) => `${Math.round(b / 102.4) / 10} KB`;
  const sizes = Object.entries(e.bundles);
  const floor = e.pageLoad.p50 + e.backendAnswer.p50;
  const floorText = `page load without the extension p50 ${ms(e.pageLoad.p50)} + backend answer p50 ${ms(e.backendAnswer.p50)}`;
  const list = (name: string, bar: number, l: Latency, fromScript: Latency): Figure => ({
    name: `Extension: calls of the open record on screen, ${name}, after a service-worker cold start (${l.n} full loads)`,
    bar: `p95 <= ${bar >= 1000 ? `${bar / 1000} s` : `${bar} ms`}`,
    value: `p95 ${ms(l.p95)} (p50 ${l.p50}) from navigation start; from the content script's start p95 ${ms(fromScript.p95)}`,
    ratio: `${ratio(l.p95, floor) ?? '-'}x (${floorText})`,
    verdict: verdict(l.p95 <= bar),
  });
  return [
    {
      name: 'Extension: content script size, gzip, each',
      bar: '<= 50 KB',
      value:
        sizes.map(([f, s]) => `${f} ${kb(s.gzip)} (raw ${kb(s.raw)})`).join(', ') +
        `; each loads on a record page the panel's module, one for the three CRMs: ${e.panelModule.file} ${kb(e.panelModule.gzip)} (raw ${kb(e.panelModule.raw)})`,
      ratio: '',
      verdict: verdict(sizes.length > 0 && sizes.every(([, s]) => s.gzip <= 50 * 1024)),
    },
    {
      name: `Extension: content script start to panel mounted (${e.scriptToMounted.n} full loads)`,
      bar: 'p95 <= 100 ms',
      value: `p95 ${ms(e.scriptToMounted.p95)} (p50 ${e.scriptToMounted.p50}, max ${e.scriptToMounted.max})`,
      ratio: '',
      verdict: verdict(e.scriptToMounted.p95 <= 100),
    },
    list('from cache (record seen before)', 300, e.listFromCache, e.scriptToListFromCache),
    list('fresh (record seen first)', 1000, e.listFresh, e.scriptToListFresh),
    {
      name: `Extension: long tasks over 50 ms caused by the extension (${e.scriptToMounted.n} loads)`,
      bar: '0',
      value: `${e.longTasks.count} during its work (max ${ms(e.longTasks.maxMs)}), ${e.longTasks.outside} elsewhere in those loads; ${e.longTasks.control} on the same page without the extension (${e.navigations} loads)`,
      ratio: '',
      verdict: verdict(e.longTasks.count === 0),
    },
  ];
}

/** A plain-text table for the terminal. */
export function table(figs: Figure[]): string {
  const rows = [
    ['figure', 'bar', 'measured', 'ratio to floor', 'verdict'],
    ...figs.map((f) => [f.name, f.bar, f.value, f.ratio, f.verdict]),
  ];
  const widths =
    rows[0]?.map((_, i) => Math.min(70, Math.max(...rows.map((r) => (r[i] ?? '').length)))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')).join('\n');
}

/** BENCHMARKS.md: the latest run's figures, machine and settings. */
export function benchmarksMarkdown(r: Results, figs: Figure[], resultsFile: string): string {
  const m = r.machine;
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const o = r.options;
  const ran = (b: BenchName) => !o.only || o.only.includes(b);
  const notes = [
    r.rateLimits || Object.values(r.stores).some((s) => s.freshness?.length)
      ? "- Freshness and rate limits: \"normal\" call volume is 1 call/s for a company (the freshness load), 5x is 5 calls/s; every call is from a new number (one phone search a call). Freshness counts from call.ended's intended send (webhooks sent open-loop) to HubSpot's createdAt of the call engagement (read back through its API after the run). Pacing is counted at send time in the backend's process, 429s from the simulators' logs."
      : '',
    r.outage
      ? '- Outage drain: the backend runs in the bench process on the settable clock and the outage is a discrete-event simulation (bench/outage.ts): while nothing is running or due, every clock jumps to the next retry or arrival, so the drain time is real work plus the idle waits skipped. The outage starts as the OAuth token is due for refresh, so retries during it fail at the (unpaced) token endpoint.'
      : '',
    r.extension
      ? '- Extension: marks set by components/mount.tsx, full loads of HubSpot record pages (saved fixture) in headless Chromium, the service worker stopped through CDP before each; "from cache" is a revisit, since the extension keeps no copy of a record\'s calls (the list is fetched again each time).'
      : '',
  ].filter((x) => x !== '');
  const lines = [
    '# Benchmarks',
    '',
    `Latest run: ${r.date}, \`npm run bench\` (bench/run.ts), raw figures in \`${resultsFile}\`.`,
    `Machine: ${m.cpus} x ${m.model}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}.`,
    `Run${o.only ? ` (only ${o.only.join(', ')})` : ''}: ${[
      ran('intake') &&
        `intake ${o.rates.join(' and ')} events/s for ${o.durationMs} ms each, ${o.companies} companies, backend WORKERS=${o.workers} during intake`,
      ran('requests') && `requests per call over ${o.calls} calls per run (issue: a 1,000-call burst)`,
      ran('restart') && `${o.restarts} restarts per store`,
      ran('freshness') &&
        `freshness ${o.freshnessCompanies} companies for ${o.freshnessMs} ms (WORKERS=${o.freshnessWorkers.join(' and ')})`,
      ran('outage') && `outage ${o.outageCalls} calls over ${o.outageMs / 60_000} min`,
      ran('rate-limits') && `rate limits ${o.rateLimitMs} ms at 5x`,
      ran('extension') && `extension ${o.navigations} loads per figure`,
    ]
      .filter(Boolean)
      .join('; ')}.`,
    ...(notes.length > 0 ? ['', 'How the later figures are taken:', ...notes] : []),
    ...(Object.keys(r.stores).length > 0 ? ['', 'Durability:'] : []),
    ...Object.entries(r.stores).map(
      ([k, s]) =>
        `- ${k}: ${Object.entries(s.durability)
          .map(([a, b]) => `${a}=${b}`)
          .join(
            ', ',
          )}${k === 'embedded' ? ' (PGlite: a commit survives a killed process, not a power loss)' : ''}; single commit floor p50 ${s.commitFloor.p50} ms, p99 ${s.commitFloor.p99} ms.`,
    ),
    ...(Object.keys(r.noopFloor).length > 0
      ? [
          `- no-op HTTP floor p99: ${Object.entries(r.noopFloor)
            .map(([rate, l]) => `${l.latency.p99} ms at ${rate}/s`)
            .join(', ')}.`,
        ]
      : []),
    '',
    '| figure | bar | measured | ratio to floor | verdict |',
    '| --- | --- | --- | --- | --- |',
    ...figs.map(
      (f) => `| ${esc(f.name)} | ${esc(f.bar)} | ${esc(f.value)} | ${esc(f.ratio)} | ${f.verdict} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
