/**
 * Client-side pacing under a vendor's published rate limits (issue 3: "a
 * per-CRM-account limiter keeps under the vendor's limits"). Each bucket is a
 * sliding window; a request waits for a free slot instead of drawing a 429.
 * Limits are per process: several instances share an account's allowance,
 * so each paces at 80% of the published figure and 429s are still retried
 * (lib/http/vendor.ts `decideRetry`).
 */

export interface Window {
  max: number;
  windowMs: number;
  /**
   * Spread the sends evenly (one every windowMs / max) instead of letting a
   * window's allowance go as a burst. For short windows: a burst sent a few
   * milliseconds late lands at the vendor in the same second as the next
   * one, and draws 429s at 80% pacing (measured: bench/rate-limits.ts).
   */
  even?: boolean;
}

/** Published limits at 80% (API-CONTRACTS 2.7: 110 per 10 s per account for public apps; search about 5/s). */
export const HUBSPOT_PACE: Record<'api' | 'search', Window> = {
  api: { max: 88, windowMs: 10_000 },
  search: { max: 4, windowMs: 1_000, even: true },
};

export class Pacer {
  private readonly windows: Record<string, Window>;
  private readonly sent = new Map<string, number[]>();
  private readonly queue = new Map<string, Promise<void>>();

  constructor(windows: Record<string, Window>) {
    this.windows = windows;
  }

  /** Resolves when a request in `bucket` may go. Calls are served in order. */
  take(bucket: string): Promise<void> {
    const w = this.windows[bucket];
    if (!w) return Promise.resolve();
    const prev = this.queue.get(bucket) ?? Promise.resolve();
    const next = prev.then(async () => {
      for (;;) {
        const now = Date.now();
        const list = (this.sent.get(bucket) ?? []).filter((t) => t > now - w.windowMs);
        const gap = w.even ? w.windowMs / w.max : 0;
        const last = list[list.length - 1];
        if (last !== undefined && now < last + gap) {
          this.sent.set(bucket, list);
          await new Promise((r) => setTimeout(r, last + gap - now));
          continue;
        }
        if (list.length < w.max) {
          list.push(now);
          this.sent.set(bucket, list);
          return;
        }
        this.sent.set(bucket, list);
        await new Promise((r) => setTimeout(r, (list[0] ?? now) + w.windowMs - now + 1));
      }
    });
    this.queue.set(
      bucket,
      next.catch(() => undefined),
    );
    return next;
  }

  /** A fetch that takes a slot of `bucketOf(url)` first. */
  fetch(bucketOf: (url: string) => string, inner: typeof fetch = fetch): typeof fetch {
    return async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      await this.take(bucketOf(url));
      return inner(input, init);
    };
  }
}

/** HubSpot's search endpoints have their own limit (API-CONTRACTS 2.7). */
export function hubspotBucket(url: string): 'api' | 'search' {
  return /\/crm\/v3\/objects\/[^/]+\/search/.test(url) ? 'search' : 'api';
}
