/**
 * What the simulators saw, read back from their request logs
 * (`GET /_sandbox/requests`, sandbox/common/sim.ts): every request with its
 * time on the simulator's clock, path and status. The rate-limit figures are
 * counted from these, as the vendor would count them.
 */
import type { LoggedRequest } from '../sandbox/common/sim.ts';

export async function simRequests(simUrl: string): Promise<LoggedRequest[]> {
  const res = await fetch(`${simUrl}/_sandbox/requests`);
  if (!res.ok) throw new Error(`${simUrl}/_sandbox/requests answered ${res.status}`);
  return ((await res.json()) as { requests: LoggedRequest[] }).requests;
}

export async function clearSimRequests(simUrl: string): Promise<void> {
  await fetch(`${simUrl}/_sandbox/requests`, { method: 'DELETE' });
}

/** POST a simulator control endpoint (`/_sandbox/...`), failing loudly when it refuses. */
export async function simControl(
  simUrl: string,
  path: string,
  body: unknown,
  method = 'POST',
): Promise<void> {
  const res = await fetch(`${simUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${simUrl}${path} refused: ${res.status} ${await res.text()}`);
}

/** The most timestamps (ms) that fall in any window of `windowMs` (sliding, as the vendors count). */
export function peakInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < t.length; last++) {
    while ((t[last] ?? 0) - (t[first] ?? 0) >= windowMs) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/** A request this process sent, at its send time (UNIX ms). */
export interface Sent {
  at: number;
  method: string;
  url: string;
}

/**
 * Record every `fetch` this process makes from now on, with its send time:
 * the backend of test/support/world.ts runs in this process, so this is when
 * its requests left it (after its pacer let them go). The simulators' logs
 * stamp the answer, which a slow event loop can push later; the pace is ours,
 * so it is counted where it is made.
 */
export function recordFetches(): { sent: Sent[]; restore(): void } {
  const original = globalThis.fetch;
  const sent: Sent[] = [];
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    sent.push({ at: Date.now(), method: method.toUpperCase(), url });
    return original(input, init);
  };
  return {
    sent,
    restore() {
      globalThis.fetch = original;
    },
  };
}
