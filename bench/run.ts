/**
 * `npm run bench`: every benchmark at full size, a table on stdout, the raw
 * results in bench/results/<date>-<host>.json and BENCHMARKS.md at the root.
 *
 *   npm run bench -- [--stores=postgres,embedded] [--duration-ms=5000] [--companies=50]
 *                    [--calls=100] [--restarts=5] [--workers=0] [--rates=1000,3000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarksMarkdown, figures, table } from './report.ts';
import { ROOT } from './spawn.ts';
import type { StoreKind } from './store.ts';
import { runSuite, type SuiteOptions } from './suite.ts';

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
      calls: { type: 'string', default: '100' },
      restarts: { type: 'string', default: '5' },
      workers: { type: 'string', default: '0' },
      rates: { type: 'string', default: '1000,3000' },
    },
  });
  const stores = values.stores.split(',') as StoreKind[];
  for (const s of stores)
    if (s !== 'postgres' && s !== 'embedded')
      throw new Error(`--stores takes postgres and/or embedded, comma-separated; got "${s}"`);
  return {
    stores,
    rates: values.rates.split(',').map((r) => int('rates', r, 1)),
    durationMs: int('duration-ms', values['duration-ms'], 100),
    companies: int('companies', values.companies, 1),
    workers: int('workers', values.workers, 0),
    calls: int('calls', values.calls, 1),
    restarts: int('restarts', values.restarts, 1),
    commits: 500,
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
