/**
 * The floors every figure is compared with, measured in the same run
 * (issue 8: shared, noisy machines): the no-op HTTP server on loopback
 * through the same open-loop client, and one durable commit of the store in
 * use (insert+commit into a scratch table).
 */
import { type LoadResult, openLoop } from './load.ts';
import { spawnUntil } from './spawn.ts';
import type { Latency } from './stats.ts';
import type { BenchStore } from './store.ts';

/** A body of about the size of the intake's webhooks, so the floor moves the same bytes. */
const NOOP_BODY = JSON.stringify({ pad: 'x'.repeat(680) });

/** The no-op server (its own process) under open-loop load at each rate. */
export async function noopFloor(rates: number[], durationMs: number): Promise<Record<number, LoadResult>> {
  const server = await spawnUntil('bench/noop-server.ts', {}, /noop listening on (\S+)/);
  try {
    const request = () => ({ path: '/noop', body: NOOP_BODY });
    // Warm-up, as the intake does: JIT and connections.
    await openLoop({ url: server.value, rate: 200, durationMs: Math.min(1_000, durationMs), request });
    const out: Record<number, LoadResult> = {};
    for (const rate of rates) {
      out[rate] = await openLoop({ url: server.value, rate, durationMs, request });
    }
    return out;
  } finally {
    await server.stop();
  }
}

/** One durable commit of `store`, `count` times in a row. */
export function commitFloor(store: BenchStore, count: number): Promise<Latency> {
  return store.commitFloor(count);
}
