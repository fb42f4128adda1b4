/**
 * The issue 8 Speed list as figures: each bar, the measured value, its ratio
 * to the floor and pass/miss; printed as a table and written to BENCHMARKS.md.
 */
import { ratio } from './stats.ts';
import type { Results } from './suite.ts';

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
    const lowRun = low === undefined ? undefined : s.intake.runs[low];
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
          lowRun.commitsPerEvent === null
            ? 'not measured (embedded store: no commit counter)'
            : `${lowRun.commitsPerEvent} (pg_stat_database.xact_commit, read-only transactions included)`,
        ratio: '',
        verdict:
          lowRun.commitsPerEvent === null ? 'not measured yet' : verdict(lowRun.commitsPerEvent <= 0.2),
      });
    }
    const highRun = high === undefined ? undefined : s.intake.runs[high];
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
    out.push({
      name: `[${kind}] restart to ready`,
      bar: kind === 'postgres' ? '<= 1000 ms' : '<= 2x embedded open time',
      value: `p50 ${ms(s.restart.ready.p50)}, max ${ms(s.restart.ready.max)} (n=${s.restart.ready.n})`,
      ratio: `${ratio(s.restart.ready.max, s.restart.floor.p50) ?? '-'}x open floor (${ms(s.restart.floor.p50)}, max/p50)`,
      verdict:
        kind === 'postgres'
          ? verdict(s.restart.ready.max <= 1000)
          : verdict(s.restart.ready.max <= 2 * s.restart.floor.p50),
    });
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
  for (const [name, bar] of [
    ['Freshness with CRM latency 150 +/- 100 ms, 50 companies at 1 call/s', 'p95 <= 3 s, p99 <= 10 s'],
    ['Outage drain: 1,200 calls after 60 min CRM outage', '<= 10 min, 0 x 429'],
    ['Rate limits at 5x call volume', '0 x 429, pacing <= 80% of each limit'],
    ['Extension performance marks (bundle, mount, calls on screen, long tasks)', 'see issue 8'],
  ]) {
    out.push({
      name: name ?? '',
      bar: bar ?? '',
      value: 'not measured yet',
      ratio: '',
      verdict: 'not measured yet',
    });
  }
  return out;
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
  const lines = [
    '# Benchmarks',
    '',
    `Latest run: ${r.date}, \`npm run bench\` (bench/run.ts), raw figures in \`${resultsFile}\`.`,
    `Machine: ${m.cpus} x ${m.model}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}.`,
    `Run: intake ${r.options.rates.join(' and ')} events/s for ${r.options.durationMs} ms each, ${r.options.companies} companies, backend WORKERS=${r.options.workers} during intake; requests per call over ${r.options.calls} calls per run (issue bar: 1,000); ${r.options.restarts} restarts per store.`,
    '',
    'Durability:',
    ...Object.entries(r.stores).map(
      ([k, s]) =>
        `- ${k}: ${Object.entries(s.durability)
          .map(([a, b]) => `${a}=${b}`)
          .join(
            ', ',
          )}${k === 'embedded' ? ' (PGlite: a commit survives a killed process, not a power loss)' : ''}; single commit floor p50 ${s.commitFloor.p50} ms, p99 ${s.commitFloor.p99} ms.`,
    ),
    `- no-op HTTP floor p99: ${Object.entries(r.noopFloor)
      .map(([rate, l]) => `${l.latency.p99} ms at ${rate}/s`)
      .join(', ')}.`,
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
