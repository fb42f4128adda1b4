/**
 * Every benchmark in one run, with its floors measured in the same run
 * (issue 8). `npm run bench` runs it at full size (bench/run.ts); the smoke
 * test (bench/bench.test.ts) at a tiny one.
 */
import type { Crm } from '../lib/logging/plan-types.ts';
import { commitFloor, noopFloor } from './floors.ts';
import { benchIntake, type IntakeResult } from './intake.ts';
import type { LoadResult } from './load.ts';
import { type Machine, machine } from './machine.ts';
import { benchRequestsPerCall, type RequestsPerCall } from './requests-per-call.ts';
import { benchRestart, type RestartResult } from './restart.ts';
import type { Latency } from './stats.ts';
import { benchStore, type StoreKind } from './store.ts';

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
}

export interface StoreResults {
  durability: Record<string, string>;
  commitFloor: Latency;
  intake: IntakeResult;
  restart: RestartResult;
}

export interface Results {
  date: string;
  machine: Machine;
  options: SuiteOptions;
  noopFloor: Record<number, LoadResult>;
  stores: Partial<Record<StoreKind, StoreResults>>;
  /** On PostgreSQL only: CRM request counts do not depend on the backend's store. */
  requestsPerCall: RequestsPerCall[];
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
  log(`no-op floor at ${opts.rates.join(', ')} req/s`);
  const noop = await noopFloor(opts.rates, opts.durationMs);
  const stores: Results['stores'] = {};
  for (const kind of opts.stores) {
    const store = await benchStore(kind);
    try {
      log(`${kind}: durability and commit floor`);
      const durability = await store.durability();
      const floor = await commitFloor(store, opts.commits);
      log(`${kind}: intake, ${opts.companies} companies`);
      const intake = await benchIntake(store, opts);
      await store.drop();
      const again = await benchStore(kind);
      try {
        log(`${kind}: restart to ready x${opts.restarts}`);
        const restart = await benchRestart(again, opts.restarts);
        stores[kind] = { durability, commitFloor: floor, intake, restart };
      } finally {
        await again.drop();
      }
    } catch (err) {
      await store.drop();
      throw err;
    }
  }
  const requestsPerCall: RequestsPerCall[] = [];
  const rpcStore: StoreKind = opts.stores.includes('postgres') ? 'postgres' : (opts.stores[0] ?? 'embedded');
  for (const run of RUNS) {
    log(`requests per call: ${run.crm}, ${opts.calls} calls, ${run.callers} callers (${rpcStore})`);
    requestsPerCall.push(await benchRequestsPerCall({ store: rpcStore, calls: opts.calls, ...run }));
  }
  return {
    date,
    machine: machine(),
    options: opts,
    noopFloor: noop,
    stores,
    requestsPerCall,
    durationMs: Math.round(performance.now() - t),
  };
}
