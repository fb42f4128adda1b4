/**
 * Every benchmark in one run, with its floors measured in the same run
 * (issue 8). `npm run bench` runs it at full size (bench/run.ts); the smoke
 * test (bench/bench.test.ts) at a tiny one.
 */
import type { Crm } from '../lib/logging/plan-types.ts';
import { benchExtension, extensionBuilt, type ExtensionResult } from './extension.ts';
import { commitFloor, noopFloor } from './floors.ts';
import { benchFreshness, type FreshnessResult } from './freshness.ts';
import { benchIntake, type IntakeResult } from './intake.ts';
import type { LoadResult } from './load.ts';
import { type Machine, machine } from './machine.ts';
import { benchOutage, type OutageResult } from './outage.ts';
import { benchRateLimits, type RateLimitsResult } from './rate-limits.ts';
import { benchRequestsPerCall, type RequestsPerCall } from './requests-per-call.ts';
import { benchRestart, type RestartResult } from './restart.ts';
import type { Latency } from './stats.ts';
import { benchStore, type StoreKind } from './store.ts';

/** The benchmarks, as `--only` names them. */
export const BENCHES = [
  'intake',
  'restart',
  'requests',
  'freshness',
  'outage',
  'rate-limits',
  'extension',
] as const;
export type BenchName = (typeof BENCHES)[number];

export interface SuiteOptions {
  stores: StoreKind[];
  /** Intake rates, events/s (issue: 1,000 and 3,000). */
  rates: number[];
  /** Length of each open-loop run, ms. */
  durationMs: number;
  companies: number;
  /** Backend workers during intake (0: intake alone). */
  workers: number;
  /** Calls per burst for requests per call (issue: 1,000). */
  calls: number;
  /** Restarts timed per store. */
  restarts: number;
  /** Sequential commits timed for the commit floor. */
  commits: number;
  /** Freshness: how long calls are played (ms), companies (issue: 50), and the backend's WORKERS: one run each. */
  freshnessMs: number;
  freshnessCompanies: number;
  freshnessWorkers: number[];
  /** Outage drain: calls arriving during the outage (issue: 1,200) and its length (issue: 60 min). */
  outageCalls: number;
  outageMs: number;
  /** Rate limits: how long 5x normal volume is played, ms. */
  rateLimitMs: number;
  /** Extension: full loads per figure (p95 over these). */
  navigations: number;
  /** Run only these (default: all). */
  only?: BenchName[];
  /** Without the extension's build: skip its benchmark (the smoke test) instead of failing. */
  extensionIfBuilt?: boolean;
}

export interface StoreResults {
  durability: Record<string, string>;
  commitFloor: Latency;
  intake?: IntakeResult;
  restart?: RestartResult;
  /** One per WORKERS setting. */
  freshness?: FreshnessResult[];
}

export interface Results {
  date: string;
  machine: Machine;
  options: SuiteOptions;
  noopFloor: Record<number, LoadResult>;
  stores: Partial<Record<StoreKind, StoreResults>>;
  /** On PostgreSQL only: CRM request counts do not depend on the backend's store. */
  requestsPerCall: RequestsPerCall[];
  /** On one store (PostgreSQL when it runs), like requests per call. */
  outage?: OutageResult;
  rateLimits?: RateLimitsResult;
  extension?: ExtensionResult;
  /** Why a benchmark that was asked for did not run (e.g. no extension build). */
  skipped: Partial<Record<BenchName, string>>;
  durationMs: number;
}

const RUNS: { crm: Crm; callers: 'distinct' | 'repeat' }[] = [
  { crm: 'hubspot', callers: 'distinct' },
  { crm: 'hubspot', callers: 'repeat' },
  { crm: 'salesforce', callers: 'distinct' },
  { crm: 'salesforce', callers: 'repeat' },
  { crm: 'jobadder', callers: 'distinct' },
  { crm: 'jobadder', callers: 'repeat' },
];

/** Run every benchmark; `log` hears progress. */
export async function runSuite(opts: SuiteOptions, log: (line: string) => void = () => {}): Promise<Results> {
  const t = performance.now();
  const date = new Date().toISOString();
  const runs = (b: BenchName) => !opts.only || opts.only.includes(b);
  const skipped: Results['skipped'] = {};
  if (runs('extension') && !extensionBuilt()) {
    const why = 'no extension build in .output/chrome-mv3: run `npx wxt build` first';
    if (!opts.extensionIfBuilt) throw new Error(`bench: ${why} (or leave it out with --only)`);
    skipped.extension = why;
  }
  let noop: Record<number, LoadResult> = {};
  if (runs('intake')) {
    log(`no-op floor at ${opts.rates.join(', ')} req/s`);
    noop = await noopFloor(opts.rates, opts.durationMs);
  }
  const stores: Results['stores'] = {};
  if (runs('intake') || runs('restart') || runs('freshness')) {
    for (const kind of opts.stores) {
      const store = await benchStore(kind);
      try {
        log(`${kind}: durability and commit floor`);
        const durability = await store.durability();
        const floor = await commitFloor(store, opts.commits);
        const result: StoreResults = { durability, commitFloor: floor };
        stores[kind] = result;
        if (runs('intake')) {
          log(`${kind}: intake, ${opts.companies} companies`);
          result.intake = await benchIntake(store, opts);
        }
        if (runs('restart')) {
          await store.drop();
          const again = await benchStore(kind);
          try {
            log(`${kind}: restart to ready x${opts.restarts}`);
            result.restart = await benchRestart(again, opts.restarts);
          } finally {
            await again.drop();
          }
        }
        if (runs('freshness')) {
          result.freshness = [];
          for (const workers of opts.freshnessWorkers) {
            const fresh = await benchStore(kind);
            try {
              log(
                `${kind}: freshness, ${opts.freshnessCompanies} companies at 1 call/s for ${opts.freshnessMs} ms (WORKERS=${workers})`,
              );
              result.freshness.push(
                await benchFreshness(fresh, {
                  companies: opts.freshnessCompanies,
                  durationMs: opts.freshnessMs,
                  workers,
                }),
              );
            } finally {
              await fresh.drop();
            }
          }
        }
      } finally {
        // Dropping twice is harmless (restart dropped it already).
        await store.drop();
      }
    }
  }
  const requestsPerCall: RequestsPerCall[] = [];
  const oneStore: StoreKind = opts.stores.includes('postgres') ? 'postgres' : (opts.stores[0] ?? 'embedded');
  if (runs('requests')) {
    for (const run of RUNS) {
      log(`requests per call: ${run.crm}, ${opts.calls} calls, ${run.callers} callers (${oneStore})`);
      requestsPerCall.push(await benchRequestsPerCall({ store: oneStore, calls: opts.calls, ...run }));
    }
  }
  let outage: OutageResult | undefined;
  if (runs('outage')) {
    log(`outage drain: ${opts.outageCalls} calls during ${opts.outageMs / 60_000} min (${oneStore})`);
    outage = await benchOutage({ store: oneStore, calls: opts.outageCalls, outageMs: opts.outageMs });
  }
  let rateLimits: RateLimitsResult | undefined;
  if (runs('rate-limits')) {
    log(`rate limits: 5x normal volume for ${opts.rateLimitMs} ms, HubSpot and Salesforce (${oneStore})`);
    rateLimits = await benchRateLimits({ store: oneStore, durationMs: opts.rateLimitMs });
  }
  let extension: ExtensionResult | undefined;
  if (runs('extension') && !skipped.extension) {
    log(`extension: ${opts.navigations} full loads each, from cache and fresh (${oneStore})`);
    extension = await benchExtension({ store: oneStore, navigations: opts.navigations });
  }
  return {
    date,
    machine: machine(),
    options: opts,
    noopFloor: noop,
    stores,
    requestsPerCall,
    ...(outage ? { outage } : {}),
    ...(rateLimits ? { rateLimits } : {}),
    ...(extension ? { extension } : {}),
    skipped,
    durationMs: Math.round(performance.now() - t),
  };
}
