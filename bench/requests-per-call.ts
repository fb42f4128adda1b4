/**
 * CRM requests per logged call (issue 8 Speed): a burst of calls for one
 * company (6 events a call, 20% of events re-delivered, shuffled), played by
 * the Aircall simulator's player as Aircall would deliver them, then the
 * simulators' own request logs are counted once the backend's queue is idle.
 * `callers: 'distinct'` gives every call a new number (cold phone cache);
 * `'repeat'` has every call from Claire, a known contact (warm cache).
 */
import type { Crm } from '../lib/logging/plan-types.ts';
import { CLAIRE } from '../sandbox/demo.ts';
import { startWorld, type StoreKind } from '../test/support/world.ts';

export interface RequestsPerCall {
  crm: Crm;
  calls: number;
  callers: 'distinct' | 'repeat';
  /** Webhooks the simulator delivered (duplicates included), per call. */
  eventsPerCall: number;
  /** CRM requests per call: writes (POST/PATCH/PUT/DELETE but searches), searches (search/query), other reads. */
  crmRequests: { writes: number; searches: number; reads: number; total: number };
  /** Aircall API requests (by the backend) per call. */
  aircall: number;
  /** Work items failed at the end (should be 0). */
  failedWork: number;
  durationMs: number;
}

interface Logged {
  method: string;
  path: string;
}

async function requests(simUrl: string): Promise<Logged[]> {
  const res = await fetch(`${simUrl}/_sandbox/requests`);
  return ((await res.json()) as { requests: Logged[] }).requests;
}

const per = (n: number, calls: number) => Math.round((n / calls) * 1000) / 1000;

/** Play `calls` calls for one company connected to `crm` and count what reached the simulators. */
export async function benchRequestsPerCall(opts: {
  store: StoreKind;
  crm: Crm;
  calls: number;
  callers: 'distinct' | 'repeat';
  /** Plays in flight at once. */
  concurrency?: number;
}): Promise<RequestsPerCall> {
  const w = await startWorld({ store: opts.store, crm: opts.crm, n: 60 });
  try {
    const simUrl = w.sandbox[opts.crm].url;
    await fetch(`${simUrl}/_sandbox/requests`, { method: 'DELETE' });
    await fetch(`${w.sandbox.aircall.url}/_sandbox/requests`, { method: 'DELETE' });
    const t = performance.now();
    let sent = 0;
    let next = 0;
    const worker = async () => {
      while (next < opts.calls) {
        const i = next++;
        const r = await w.play({
          scenario: 'inbound-answered',
          callId: 5_000_000 + i,
          external: opts.callers === 'repeat' ? CLAIRE.e164 : `+3361${String(i).padStart(7, '0')}`,
          // 6 events a call; 1 or 2 re-deliveries, 1.2 on average: 20% duplicated (issue 8).
          duplicates: i % 5 === 0 ? 2 : 1,
          shuffle: i + 1,
        });
        sent += (r.sent as unknown[]).length;
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
    await w.settle(Math.max(60_000, opts.calls * 500));
    const durationMs = Math.round(performance.now() - t);
    const crmLog = await requests(simUrl);
    const isSearch = (r: Logged) => /search|query/i.test(r.path);
    const searches = crmLog.filter(isSearch).length;
    const writes = crmLog.filter((r) => r.method !== 'GET' && !isSearch(r)).length;
    const reads = crmLog.filter((r) => r.method === 'GET' && !isSearch(r)).length;
    const failed = await w.db.query<{ n: number }>(
      `select count(*)::int as n from work where state in ('failed', 'dead')`,
    );
    return {
      crm: opts.crm,
      calls: opts.calls,
      callers: opts.callers,
      eventsPerCall: per(sent, opts.calls),
      crmRequests: {
        writes: per(writes, opts.calls),
        searches: per(searches, opts.calls),
        reads: per(reads, opts.calls),
        total: per(crmLog.length, opts.calls),
      },
      aircall: per((await requests(w.sandbox.aircall.url)).length, opts.calls),
      failedWork: failed[0]?.n ?? 0,
      durationMs,
    };
  } finally {
    await w.close();
  }
}
