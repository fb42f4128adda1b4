/**
 * `npm run bench`: every benchmark at full size, a table on stdout, the raw
 * results in bench/results/<date>-<host>.json and BENCHMARKS.md at the root.
 *
 *   npm run bench -- [--stores=postgres,embedded] [--duration-ms=5000] [--companies=50]
 *                    [--calls=1000] [--restarts=5] [--workers=0] [--rates=1000,3000]
 *                    [--freshness-ms=60000] [--freshness-companies=50] [--freshness-workers=4,64]
 *                    [--outage-calls=1200] [--outage-minutes=60] [--rate-limit-ms=30000]
 *                    [--navigations=30] [--only=intake,restart,requests,freshness,outage,rate-limits,extension]
 *
 * The extension's benchmark needs its build (`npx wxt build`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarksMarkdown, figures, table } from './report.ts';
import { ROOT } from './spawn.ts';
import type { StoreKind } from './store.ts';
import { BENCHES, type BenchName, runSuite, type SuiteOptions } from './suite.ts';

function int(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function options(argv: string[]): SuiteOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      stores: { type: 'string', default: 'postgres,embedded' },
      'duration-ms': { type: 'string', default: '5000' },
      companies: { type: 'string', default: '50' },
      // Issue 8: a 1,000-call burst per company.
      calls: { type: 'string', default: '1000' },
      restarts: { type: 'string', default: '5' },
      workers: { type: 'string', default: '0' },
      rates: { type: 'string', default: '1000,3000' },
      'freshness-ms': { type: 'string', default: '60000' },
      'freshness-companies': { type: 'string', default: '50' },
      // The backend's own default (server/config.ts WORKERS) and its most; each runs once.
      'freshness-workers': { type: 'string', default: '4,64' },
      'outage-calls': { type: 'string', default: '1200' },
      'outage-minutes': { type: 'string', default: '60' },
      'rate-limit-ms': { type: 'string', default: '30000' },
      navigations: { type: 'string', default: '30' },
      only: { type: 'string' },
    },
  });
  const stores = values.stores.split(',') as StoreKind[];
  for (const s of stores)
    if (s !== 'postgres' && s !== 'embedded')
      throw new Error(`--stores takes postgres and/or embedded, comma-separated; got "${s}"`);
  const only = values.only?.split(',') as BenchName[] | undefined;
  for (const b of only ?? [])
    if (!BENCHES.includes(b))
      throw new Error(`--only takes ${BENCHES.join(', ')}, comma-separated; got "${b}"`);
  return {
    stores,
    rates: values.rates.split(',').map((r) => int('rates', r, 1)),
    durationMs: int('duration-ms', values['duration-ms'], 100),
    companies: int('companies', values.companies, 1),
    workers: int('workers', values.workers, 0),
    calls: int('calls', values.calls, 1),
    restarts: int('restarts', values.restarts, 1),
    commits: 500,
    freshnessMs: int('freshness-ms', values['freshness-ms'], 1000),
    freshnessCompanies: int('freshness-companies', values['freshness-companies'], 1),
    freshnessWorkers: values['freshness-workers'].split(',').map((x) => int('freshness-workers', x, 1)),
    outageCalls: int('outage-calls', values['outage-calls'], 1),
    outageMs: int('outage-minutes', values['outage-minutes'], 1) * 60_000,
    rateLimitMs: int('rate-limit-ms', values['rate-limit-ms'], 1000),
    navigations: int('navigations', values.navigations, 1),
    ...(only ? { only } : {}),
  };
}

const opts = options(process.argv.slice(2));
const results = await runSuite(opts, (line) => process.stderr.write(`bench: ${line}\n`));
const figs = figures(results);
process.stdout.write(`${table(figs)}\n`);
const dir = join(ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${results.date.slice(0, 10)}-${results.machine.host}.json`);
writeFileSync(file, `${JSON.stringify({ ...results, figures: figs }, null, 2)}\n`);
writeFileSync(join(ROOT, 'BENCHMARKS.md'), benchmarksMarkdown(results, figs, relative(ROOT, file)));
process.stdout.write(
  `results: ${relative(ROOT, file)} and BENCHMARKS.md (${Math.round(results.durationMs / 1000)} s)\n`,
);
