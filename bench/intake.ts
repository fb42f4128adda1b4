/**
 * Webhook intake (issue 8 Speed): ~700-byte Aircall webhooks for 50
 * companies, open-loop at 1,000 and 3,000 events/s, keep-alive, against the
 * backend as its own process. The route answers only after the durable commit
 * (STYLE.md 8), so this is acknowledgement latency. Workers are off by
 * default (WORKERS=0) so the CRM work the events cause does not share the
 * machine's two cores with the measurement; `workers` turns them on.
 */
import { startBenchBackend } from './backend.ts';
import { type LoadResult, openLoop } from './load.ts';
import { checkIntakeBodies, intakeBody } from './payload.ts';
import type { BenchStore } from './store.ts';

export interface IntakeOptions {
  companies: number;
  /** Events/s of each measured run (issue: 1,000 and 3,000). */
  rates: number[];
  durationMs: number;
  workers: number;
}

export interface IntakeRun {
  load: LoadResult;
  /** PostgreSQL transactions committed per event sent (pg_stat_database.xact_commit delta); null: not counted. */
  commitsPerEvent: number | null;
}

export interface IntakeResult {
  companies: number;
  workers: number;
  payloadBytes: number;
  runs: Record<number, IntakeRun>;
}

const statsSettle = () => new Promise((r) => setTimeout(r, 1_500));

/** Measure intake on `store` at each rate. */
export async function benchIntake(store: BenchStore, opts: IntakeOptions): Promise<IntakeResult> {
  const backend = await startBenchBackend({
    store,
    companies: opts.companies,
    env: { WORKERS: String(opts.workers) },
  });
  try {
    const first = backend.companies[0];
    if (!first) throw new Error('intake needs at least one company');
    const payloadBytes = checkIntakeBodies(first.token);
    let seq = 0;
    const request = () => {
      const i = seq++;
      const company = backend.companies[i % backend.companies.length] ?? first;
      return { path: `/webhooks/aircall/${company.id}`, body: intakeBody(company.token, i) };
    };
    // Warm-up: JIT, connection pools, the companies' rows in the store's cache.
    await openLoop({ url: backend.url, rate: 200, durationMs: Math.min(1_000, opts.durationMs), request });
    const runs: Record<number, IntakeRun> = {};
    for (const rate of opts.rates) {
      await statsSettle();
      const before = await store.commits();
      const load = await openLoop({ url: backend.url, rate, durationMs: opts.durationMs, request });
      await statsSettle();
      const after = await store.commits();
      runs[rate] = {
        load,
        commitsPerEvent:
          before === null || after === null ? null : Math.round(((after - before) / load.sent) * 100) / 100,
      };
    }
    return { companies: backend.companies.length, workers: opts.workers, payloadBytes, runs };
  } finally {
    await backend.close();
  }
}
