/**
 * Restart to ready (issue 8 Speed): stop the backend gracefully on a store
 * that already holds its schema and a company, start server/main.ts again and
 * time spawn to the first `GET /ready` answering 200. Floors: for the embedded
 * store, its own open time (a process that only opens PGlite on the same
 * directory and runs one query, open-embedded.ts); for PostgreSQL, a process
 * that only connects and runs one query (open-postgres.ts). Both floors
 * include Node's own start, as the restart does.
 */
import { startBenchBackend, BACKEND_READY } from './backend.ts';
import { spawnUntil } from './spawn.ts';
import { type Latency, summarize } from './stats.ts';
import type { BenchStore } from './store.ts';
import { backendEnv } from '../test/support/world.ts';

export interface RestartResult {
  /** Spawn to `/ready` 200, per restart. */
  ready: Latency;
  /** Spawn to the store opened and queried by a bare process, per attempt. */
  floor: Latency;
}

async function untilReady(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`${url}/ready`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) throw new Error(`${url}/ready did not answer 200 in time`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Restart the backend `times` times on `store` and time each to ready, with the floor alongside. */
export async function benchRestart(store: BenchStore, times: number): Promise<RestartResult> {
  // A store with the schema migrated and one company connected, as after a first start.
  const first = await startBenchBackend({ store, companies: 1 });
  const env = { ...backendEnv(first.sandbox), ...store.env };
  await first.process.stop();
  const ready: number[] = [];
  const floor: number[] = [];
  try {
    for (let i = 0; i < times; i++) {
      const t = performance.now();
      const proc = await spawnUntil('server/main.ts', env, BACKEND_READY);
      await untilReady(proc.value, t + 30_000);
      ready.push(performance.now() - t);
      await proc.stop();

      const f = performance.now();
      const opener = store.kind === 'embedded' ? 'bench/open-embedded.ts' : 'bench/open-postgres.ts';
      const bare = await spawnUntil(opener, env, /store opened/);
      floor.push(performance.now() - f);
      await bare.stop();
    }
    return { ready: summarize(ready), floor: summarize(floor) };
  } finally {
    await first.sandbox.close();
  }
}
