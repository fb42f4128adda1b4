/**
 * Aircall's per-company request limit (API-CONTRACTS 1.2): every API answer
 * carries `X-AircallApi-Limit`, `X-AircallApi-Remaining` and
 * `X-AircallApi-Reset` (UNIX seconds); over the limit the answer is 429. The
 * published figure is 60 or 120 per minute, so it is configurable, default 60.
 * Aircall reportedly uses a leaky bucket; a sliding one-minute window is close
 * enough for clients that read the headers.
 */

export const DEFAULT_PER_MINUTE = 60;
const WINDOW_MS = 60_000;

export interface RateVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** UNIX seconds when the next slot frees up (the oldest counted request leaves the window). */
  reset: number;
}

export class CompanyRateLimiter {
  private readonly hits = new Map<number, number[]>();
  perMinute: number;
  constructor(perMinute = DEFAULT_PER_MINUTE) {
    this.perMinute = perMinute;
  }

  /** Count one request of `company` at `now` (UNIX ms), unless it is over the limit. */
  take(company: number, now: number): RateVerdict {
    const list = (this.hits.get(company) ?? []).filter((t) => t > now - WINDOW_MS);
    const allowed = list.length < this.perMinute;
    if (allowed) list.push(now);
    this.hits.set(company, list);
    const oldest = list[0] ?? now;
    return {
      allowed,
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - list.length),
      reset: Math.ceil((oldest + WINDOW_MS) / 1000),
    };
  }

  reset(): void {
    this.hits.clear();
  }
}
