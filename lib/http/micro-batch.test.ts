/**
 * The micro-batcher on its own: batches by burst, by size and by the longest
 * wait; each item gets its own result; a whole-batch refusal caused by one
 * item fails that item alone; other refusals fail the batch without retries.
 * Timers are faked: nothing here depends on the machine's speed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FlushStats, MicroBatcher, type Settled } from './micro-batch.ts';

class BadItem extends Error {}
class Outage extends Error {}

function recorder(opts: { maxSize?: number; quietMs?: number; maxWaitMs?: number } = {}) {
  const sent: number[][] = [];
  const flushes: FlushStats[] = [];
  const b = new MicroBatcher<number, string>({
    maxSize: opts.maxSize ?? 100,
    ...(opts.quietMs === undefined ? {} : { quietMs: opts.quietMs }),
    ...(opts.maxWaitMs === undefined ? {} : { maxWaitMs: opts.maxWaitMs }),
    onFlush: (s) => flushes.push(s),
    send: async (items) => {
      sent.push(items);
      return items.map((i): Settled<string> => ({ ok: true, value: `done ${i}` }));
    },
  });
  return { b, sent, flushes };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('MicroBatcher', () => {
  it('sends the items added in one burst as one batch, each caller getting its own result', async () => {
    const { b, sent, flushes } = recorder();
    const results = Promise.all([1, 2, 3].map((i) => b.add(i)));
    await vi.advanceTimersByTimeAsync(2);
    expect(await results).toEqual(['done 1', 'done 2', 'done 3']);
    expect(sent).toEqual([[1, 2, 3]]);
    expect(flushes.map((f) => f.reason)).toEqual(['quiet']);
  });

  it('sends a lone item after the quiet window only, not the longest wait', async () => {
    const { b, sent, flushes } = recorder({ quietMs: 2, maxWaitMs: 50 });
    const one = b.add(7);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await one).toBe('done 7');
    expect(flushes).toEqual([{ size: 1, waitedMs: 2, reason: 'quiet', burst: false }]);
  });

  it('with quietMs 0 sends after the current turn of the event loop', async () => {
    const { b, sent } = recorder({ quietMs: 0 });
    const both = Promise.all([b.add(1), b.add(2)]);
    await vi.advanceTimersToNextTimerAsync();
    await both;
    expect(sent).toEqual([[1, 2]]);
  });

  it('keeps collecting while items keep coming, and sends at the longest wait', async () => {
    const { b, sent, flushes } = recorder({ quietMs: 3, maxWaitMs: 10 });
    const all: Promise<string>[] = [];
    for (let i = 0; i < 8; i++) {
      all.push(b.add(i));
      await vi.advanceTimersByTimeAsync(2);
    }
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(all);
    expect(sent).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7],
    ]);
    expect(flushes.map((f) => f.reason)).toEqual(['max-wait', 'quiet']);
  });

  it('in a burst (items coming one after the other), keeps a batch open until they pause', async () => {
    const sent: number[][] = [];
    const flushes: FlushStats[] = [];
    const b = new MicroBatcher<number, number>({
      maxSize: 100,
      quietMs: 2,
      burst: { adds: 2, withinMs: 1_000, quietMs: 50 },
      maxWaitMs: 500,
      onFlush: (f) => flushes.push(f),
      send: async (items) => {
        sent.push(items);
        return items.map((i) => ({ ok: true, value: i }));
      },
    });
    const all: Promise<number>[] = [];
    // Two lone items: each goes after the short quiet window.
    all.push(b.add(0));
    await vi.advanceTimersByTimeAsync(10);
    all.push(b.add(1));
    await vi.advanceTimersByTimeAsync(10);
    // Two items in the last second: a burst. Items 20 ms apart join one batch...
    for (const i of [2, 3, 4]) {
      all.push(b.add(i));
      await vi.advanceTimersByTimeAsync(20);
    }
    expect(sent).toEqual([[0], [1]]);
    // ... which goes once 50 ms pass without a new one.
    await vi.advanceTimersByTimeAsync(30);
    await Promise.all(all);
    expect(sent).toEqual([[0], [1], [2, 3, 4]]);
    expect(flushes.map((f) => [f.reason, f.burst])).toEqual([
      ['quiet', false],
      ['quiet', false],
      ['quiet', true],
    ]);
  });

  it('in a burst, a batch never waits longer than maxWaitMs', async () => {
    const sent: number[][] = [];
    const flushes: FlushStats[] = [];
    const b = new MicroBatcher<number, number>({
      maxSize: 100,
      burst: { adds: 1, withinMs: 1_000, quietMs: 50 },
      maxWaitMs: 200,
      onFlush: (f) => flushes.push(f),
      send: async (items) => {
        sent.push(items);
        return items.map((i) => ({ ok: true, value: i }));
      },
    });
    const all: Promise<number>[] = [];
    for (let i = 0; i < 12; i++) {
      all.push(b.add(i));
      await vi.advanceTimersByTimeAsync(30);
    }
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(all);
    expect(sent.map((s) => s.length)).toEqual([1, 7, 4]);
    expect(flushes.map((f) => f.reason)).toEqual(['quiet', 'max-wait', 'quiet']);
  });

  it("never exceeds the vendor's maximum: a full batch goes at once", async () => {
    const { b, sent, flushes } = recorder({ maxSize: 100 });
    const all = Promise.all(Array.from({ length: 250 }, (_, i) => b.add(i)));
    expect(sent.map((s) => s.length)).toEqual([100, 100]);
    await vi.advanceTimersByTimeAsync(2);
    await all;
    expect(sent.map((s) => s.length)).toEqual([100, 100, 50]);
    expect(flushes.map((f) => f.reason)).toEqual(['full', 'full', 'quiet']);
  });

  it('fails only the item the vendor refused in a per-item answer', async () => {
    const b = new MicroBatcher<number, number>({
      maxSize: 10,
      send: async (items) =>
        items.map((i) =>
          i === 3 ? { ok: false, error: new BadItem(`item ${i}`) } : { ok: true, value: i * 10 },
        ),
    });
    const results = Promise.allSettled([1, 2, 3, 4].map((i) => b.add(i)));
    await vi.advanceTimersByTimeAsync(2);
    const out = await results;
    expect(out.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((out[2] as PromiseRejectedResult).reason).toBeInstanceOf(BadItem);
  });

  it('isolates the bad item of an all-or-nothing batch: it fails with its own error, the others succeed', async () => {
    const sent: number[][] = [];
    const b = new MicroBatcher<number, number>({
      maxSize: 100,
      isolate: (err) => err instanceof BadItem,
      // All or nothing, like HubSpot's batch update: one bad input refuses the request.
      send: async (items) => {
        sent.push(items);
        if (items.includes(13)) throw new BadItem('item 13 is invalid');
        return items.map((i) => ({ ok: true, value: i }));
      },
    });
    const results = Promise.allSettled(Array.from({ length: 32 }, (_, i) => b.add(i)));
    await vi.advanceTimersByTimeAsync(2);
    const out = await results;
    const failed = out.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([13]);
    expect(((out[13] as PromiseRejectedResult).reason as Error).message).toBe('item 13 is invalid');
    // 1 + 2 per halving (32 -> 16 -> 8 -> 4 -> 2 -> 1): 11 requests, not 32.
    expect(sent.length).toBe(11);
  });

  it("fails the whole batch, once, on a refusal that is not one item's fault (outage, rate limit)", async () => {
    let sends = 0;
    const b = new MicroBatcher<number, number>({
      maxSize: 100,
      isolate: (err) => err instanceof BadItem,
      send: async () => {
        sends++;
        throw new Outage('503');
      },
    });
    const results = Promise.allSettled([1, 2, 3].map((i) => b.add(i)));
    await vi.advanceTimersByTimeAsync(2);
    const out = await results;
    expect(out.every((r) => r.status === 'rejected' && r.reason instanceof Outage)).toBe(true);
    expect(sends).toBe(1);
  });

  it('refuses an answer that does not have one result per item', async () => {
    const b = new MicroBatcher<number, number>({ maxSize: 10, send: async () => [{ ok: true, value: 1 }] });
    const results = Promise.allSettled([1, 2].map((i) => b.add(i)));
    await vi.advanceTimersByTimeAsync(2);
    for (const r of await results) {
      expect(r.status).toBe('rejected');
      expect(((r as PromiseRejectedResult).reason as Error).message).toMatch(/2 items got 1 results/);
    }
  });
});
