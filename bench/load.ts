/**
 * An open-loop load generator (issue 8): request i is due at
 * `start + i / rate` whatever happened to the others, and its latency is
 * measured from that intended time, so a server that falls behind shows its
 * queueing in the tail instead of silently slowing the client down (the
 * coordinated-omission trap of closed-loop tools). Keep-alive connections
 * through one `http.Agent`; the same generator measures the no-op floor.
 */
import http from 'node:http';
import { type Latency, summarize } from './stats.ts';

/** One request to send: path and JSON body (already serialised). */
export interface LoadRequest {
  path: string;
  body: string;
}

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Requests per second, intended. */
  rate: number;
  /** How long to send for, ms. */
  durationMs: number;
  /** The i-th request (called at its intended send time). */
  request(i: number): LoadRequest;
  /** Open keep-alive connections at most (default 256). */
  maxSockets?: number;
  /** A request not answered within this is counted as failed (default 10 s). */
  timeoutMs?: number;
  /**
   * Told of every request's end: its index, intended send time and end time
   * (both `performance.now()` ms) and status (0: no answer), for benchmarks
   * that follow each request further (bench/freshness.ts).
   */
  onAnswer?(i: number, intendedMs: number, endMs: number, status: number): void;
}

export interface LoadResult {
  /** Intended rate, requests/s. */
  rate: number;
  sent: number;
  /** Answered with 2xx. */
  ok: number;
  /** Answered with anything else, or not answered (error, timeout). */
  non2xx: number;
  /** Status code (or "error") to count, for the non-2xx. */
  failures: Record<string, number>;
  /** 2xx answers / time from the first intended send to the last answer. */
  achievedRate: number;
  /** From intended send time to the end of the answer, every answered request. */
  latency: Latency;
}

/** Run open-loop load and wait for every request to finish. */
export async function openLoop(opts: LoadOptions): Promise<LoadResult> {
  if (!(opts.rate > 0) || !(opts.durationMs > 0))
    throw new Error(
      `openLoop needs rate > 0 and durationMs > 0 (got ${opts.rate}/s for ${opts.durationMs} ms)`,
    );
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 256 });
  const total = Math.max(1, Math.round((opts.rate * opts.durationMs) / 1000));
  const interval = 1000 / opts.rate;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let ok = 0;
  let lastAnswer = 0;
  const pending = new Set<Promise<void>>();

  const send = (i: number, intended: number) => {
    const { path, body } = opts.request(i);
    const p = new Promise<void>((resolve) => {
      const fail = (why: string, status = 0) => {
        failures[why] = (failures[why] ?? 0) + 1;
        opts.onAnswer?.(i, intended, performance.now(), status);
        resolve();
      };
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: opts.timeoutMs ?? 10_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const now = performance.now();
            lastAnswer = now;
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              ok++;
              latencies.push(now - intended);
              opts.onAnswer?.(i, intended, now, status);
              resolve();
            } else {
              latencies.push(now - intended);
              fail(String(status), status);
            }
          });
          res.on('error', () => fail('error'));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => fail(err.message === 'timeout' ? 'timeout' : 'error'));
      req.end(body);
    });
    pending.add(p);
    void p.then(() => pending.delete(p));
  };

  const start = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Everything due by now goes out, each stamped with its own intended time.
      while (next < total && start + next * interval <= now) {
        send(next, start + next * interval);
        next++;
      }
      if (next >= total) return resolve();
      // 1 ms ticks, not a busy loop: the generator must not eat the core the server needs.
      setTimeout(tick, 1);
    };
    tick();
  });
  while (pending.size > 0) await Promise.all([...pending]);
  agent.destroy();
  const elapsed = (lastAnswer || performance.now()) - start;
  return {
    rate: opts.rate,
    sent: total,
    ok,
    non2xx: total - ok,
    failures,
    achievedRate: Math.round((ok / elapsed) * 1000),
    latency: summarize(latencies),
  };
}
