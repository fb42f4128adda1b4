/**
 * HubSpot's per-portal rate limits (API-CONTRACTS 2.7): a rolling 10-second
 * burst limit, a per-second limit on search, and a daily count that resets at
 * midnight in the portal's time zone; their headers on non-search answers and
 * the 429 bodies with `policyName`.
 */
import { z } from 'zod';
import { WindowLimiter } from '../common/sim.ts';
import { HubspotSimError, type RateLimitPolicy, rateLimitBody } from './errors.ts';
import type { Portal, RateLimits } from './state.ts';

/** `POST /_sandbox/limits` body; omitted fields keep their value. */
export const limitsBodySchema = z.strictObject({
  tenSecondly: z.number().int().positive().optional(),
  searchPerSecond: z.number().int().positive().optional(),
  daily: z.number().int().positive().optional(),
});

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `ms` in a time zone, e.g. "2026-09-01". */
function dayIn(timeZone: string, ms: number): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(ms);
}

export class RateLimiter {
  limits: RateLimits;
  private readonly burst: WindowLimiter;
  private readonly search: WindowLimiter;
  private readonly daily = new Map<number, { day: string; count: number }>();

  constructor(limits: RateLimits) {
    this.limits = { ...limits };
    this.burst = new WindowLimiter(limits.tenSecondly, 10_000);
    this.search = new WindowLimiter(limits.searchPerSecond, 1_000);
  }

  configure(limits: RateLimits): void {
    this.limits = { ...limits };
    this.burst.max = limits.tenSecondly;
    this.search.max = limits.searchPerSecond;
  }

  reset(limits: RateLimits): void {
    this.configure(limits);
    this.burst.reset();
    this.search.reset();
    this.daily.clear();
  }

  /**
   * Counts one request; returns the rate-limit headers to send (none on
   * search, API-CONTRACTS 2.7), or throws the 429 HubSpot would answer.
   */
  take(portal: Portal, isSearch: boolean, now: number): Record<string, string> {
    const key = String(portal.portalId);
    const day = dayIn(portal.timeZone, now);
    let used = this.daily.get(portal.portalId);
    if (!used || used.day !== day) this.daily.set(portal.portalId, (used = { day, count: 0 }));
    const headers = (remaining: number, dailyUsed: number): Record<string, string> =>
      isSearch
        ? {}
        : {
            'X-HubSpot-RateLimit-Max': String(this.limits.tenSecondly),
            'X-HubSpot-RateLimit-Remaining': String(remaining),
            'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
            'X-HubSpot-RateLimit-Daily': String(this.limits.daily),
            'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.limits.daily - dailyUsed)),
          };
    const refuse = (policy: RateLimitPolicy) =>
      new HubspotSimError(429, rateLimitBody(policy), headers(this.burst.remaining(key, now), used.count));
    if (used.count >= this.limits.daily) throw refuse('DAILY');
    if (isSearch) {
      if (this.search.take(key, now) !== null) throw refuse('SECONDLY');
    } else if (this.burst.take(key, now) !== null) throw refuse('TEN_SECONDLY_ROLLING');
    used.count += 1;
    return headers(this.burst.remaining(key, now), used.count);
  }
}
