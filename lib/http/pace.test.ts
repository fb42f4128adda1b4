import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from './pace.ts';

describe('Pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function sendTimes(pacer: Pacer, bucket: string, n: number): Promise<number[]> {
    const times: number[] = [];
    const all = Array.from({ length: n }, () => pacer.take(bucket).then(() => times.push(Date.now())));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    return times;
  }

  it('never sends more than max per sliding window', async () => {
    const times = await sendTimes(new Pacer({ api: { max: 3, windowMs: 1_000 } }), 'api', 7);
    for (const t of times) expect(times.filter((u) => u > t - 1_000 && u <= t).length).toBeLessThanOrEqual(3);
    // A window's allowance may go at once.
    expect(times.slice(0, 3)).toEqual([1_000_000, 1_000_000, 1_000_000]);
  });

  it('an even window spreads its sends one every windowMs / max (HubSpot search: no burst drawing a 429)', async () => {
    const times = await sendTimes(
      new Pacer({ search: { max: 4, windowMs: 1_000, even: true } }),
      'search',
      8,
    );
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(250);
  });

  it('a bucket without limits is not paced', async () => {
    const times = await sendTimes(new Pacer({}), 'other', 5);
    expect(new Set(times).size).toBe(1);
  });
});
