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
  /** Commits the backend made per event sent, by its own count (`/ready` commits, server/store/db.ts). */
  commitsPerEvent: number;
  /** Cross-check on PostgreSQL: transactions committed in the database per event (pg_stat_database.xact_commit); null on the embedded store. */
  engineCommitsPerEvent: number | null;
}

export interface IntakeResult {
  companies: number;
  workers: number;
  payloadBytes: number;
  runs: Record<number, IntakeRun>;
}

const statsSettle = () => new Promise((r) => setTimeout(r, 1_500));

/** The backend's own commit count (the `/ready` request's own statements come after it is read). */
async function backendCommits(url: string): Promise<number> {
  const res = await fetch(`${url}/ready`);
  const body = (await res.json()) as { commits?: unknown };
  if (typeof body.commits !== 'number') throw new Error(`${url}/ready gave no commit count (${res.status})`);
  return body.commits;
}

const perEvent = (delta: number, sent: number) => Math.round((delta / sent) * 100) / 100;

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
      const own = await backendCommits(backend.url);
      const load = await openLoop({ url: backend.url, rate, durationMs: opts.durationMs, request });
      // One /ready read (its count taken before its own query) sits between the two counts.
      const ownAfter = await backendCommits(backend.url);
      await statsSettle();
      const after = await store.commits();
      runs[rate] = {
        load,
        commitsPerEvent: perEvent(ownAfter - own, load.sent),
        engineCommitsPerEvent: before === null || after === null ? null : perEvent(after - before, load.sent),
      };
    }
    return { companies: backend.companies.length, workers: opts.workers, payloadBytes, runs };
  } finally {
    await backend.close();
  }
}
