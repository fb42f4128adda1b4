/**
 * How every vendor client (Aircall, HubSpot, and later Salesforce, JobAdder)
 * reports a failed request, and how the workers decide to retry it
 * (STYLE.md 6: a vendor's quirks are data; one `decideRetry`).
 */

export type Vendor = 'aircall' | 'hubspot' | 'salesforce' | 'jobadder';

/** A vendor's rate-limit and retry facts, one row per vendor (API-CONTRACTS 1.2, 2.7, 3.5). */
export interface VendorQuirks {
  /** Statuses that mean "slow down and retry". */
  rateLimitStatuses: number[];
  /** Headers that give the seconds (or a UNIX reset time) to wait, in order of trust. */
  retryAfterHeaders: { name: string; unit: 'seconds' | 'unix-seconds' | 'ms' }[];
  /** Wait when a rate-limit answer names no delay. */
  defaultRateLimitWaitMs: number;
  /** Waits by the vendor's rate-limit code (HubSpot `policyName`), per attempt. */
  rateLimitWaitByCode?: Record<string, number>;
  /** First wait for a 5xx or network error; doubled per attempt, capped at `maxWaitMs`. */
  serverErrorBaseMs: number;
  maxWaitMs: number;
}

export const VENDOR_QUIRKS: Record<Vendor, VendorQuirks> = {
  // API-CONTRACTS 1.2: X-AircallApi-Reset is a UNIX timestamp; 429 when over.
  aircall: {
    rateLimitStatuses: [429],
    retryAfterHeaders: [
      { name: 'retry-after', unit: 'seconds' },
      { name: 'x-aircallapi-reset', unit: 'unix-seconds' },
    ],
    defaultRateLimitWaitMs: 10_000,
    serverErrorBaseMs: 1_000,
    maxWaitMs: 10 * 60_000,
  },
  // API-CONTRACTS 2.7: HubSpot's own client waits 10 s x attempt on TEN_SECONDLY_ROLLING,
  // 1 s x attempt on the search secondly limit, 200 ms x attempt on 5xx.
  hubspot: {
    rateLimitStatuses: [429],
    retryAfterHeaders: [{ name: 'retry-after', unit: 'seconds' }],
    defaultRateLimitWaitMs: 10_000,
    rateLimitWaitByCode: { TEN_SECONDLY_ROLLING: 10_000, SECONDLY: 1_000, DAILY: 60 * 60_000 },
    serverErrorBaseMs: 200,
    maxWaitMs: 10 * 60_000,
  },
  // API-CONTRACTS 3.5: 403 REQUEST_LIMIT_EXCEEDED (rolling 24 h allocation): a used-up
  // allocation frees slowly, so wait 15 min x attempt rather than hammer the org.
  salesforce: {
    rateLimitStatuses: [429],
    retryAfterHeaders: [{ name: 'retry-after', unit: 'seconds' }],
    defaultRateLimitWaitMs: 60_000,
    rateLimitWaitByCode: { REQUEST_LIMIT_EXCEEDED: 15 * 60_000 },
    serverErrorBaseMs: 1_000,
    maxWaitMs: 60 * 60_000,
  },
  jobadder: {
    rateLimitStatuses: [429],
    retryAfterHeaders: [{ name: 'retry-after', unit: 'seconds' }],
    defaultRateLimitWaitMs: 10_000,
    serverErrorBaseMs: 1_000,
    maxWaitMs: 10 * 60_000,
  },
};

/**
 * A vendor answered with an error (or could not be reached: status 0).
 * `message` says what was wrong in the vendor's words plus what to do.
 */
export class VendorError extends Error {
  readonly vendor: Vendor;
  readonly status: number;
  /** The vendor's error code or category (HubSpot `category`, Salesforce `errorCode`...). */
  readonly code: string | null;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  /** The field the vendor names as the cause, when it names one (GEN-REQ-1). */
  readonly field: string | null;
  constructor(init: {
    vendor: Vendor;
    status: number;
    message: string;
    code?: string | null;
    body?: unknown;
    headers?: Record<string, string>;
    field?: string | null;
  }) {
    super(init.message);
    this.name = 'VendorError';
    this.vendor = init.vendor;
    this.status = init.status;
    this.code = init.code ?? null;
    this.body = init.body ?? null;
    this.headers = init.headers ?? {};
    this.field = init.field ?? null;
  }
}

export interface RetryDecision {
  retry: boolean;
  /** Why, for the work item's visible error. */
  reason: string;
  /** How long to wait before the next attempt. */
  waitMs: number;
}

/**
 * Retry 429s after the vendor's stated delay (Retry-After, reset headers) or
 * its documented default; retry 5xx and network errors with exponential
 * backoff; never retry other 4xx (the request itself is wrong: retrying
 * cannot help, and the error says what to fix). `attempt` counts from 1.
 */
export function decideRetry(error: unknown, attempt: number, nowMs: number): RetryDecision {
  if (!(error instanceof VendorError)) {
    return {
      retry: false,
      reason: `internal error: ${(error as Error)?.message ?? String(error)}`,
      waitMs: 0,
    };
  }
  const q = VENDOR_QUIRKS[error.vendor];
  const backoff = (base: number) => Math.min(q.maxWaitMs, base * 2 ** Math.max(0, attempt - 1));
  if (q.rateLimitStatuses.includes(error.status) || isRateLimitCode(error)) {
    const stated = statedWaitMs(error, q, nowMs);
    const base = (error.code && q.rateLimitWaitByCode?.[error.code]) || q.defaultRateLimitWaitMs;
    const waitMs = Math.min(q.maxWaitMs, stated ?? base * Math.max(1, attempt));
    return { retry: true, reason: `${error.vendor} rate limit (${error.status}): ${error.message}`, waitMs };
  }
  if (error.status === 0 || error.status >= 500) {
    return {
      retry: true,
      reason: `${error.vendor} unavailable (${error.status || 'no answer'}): ${error.message}`,
      waitMs: backoff(q.serverErrorBaseMs),
    };
  }
  return {
    retry: false,
    reason: `${error.vendor} refused the request (${error.status}): ${error.message}`,
    waitMs: 0,
  };
}

function isRateLimitCode(error: VendorError): boolean {
  return error.code === 'REQUEST_LIMIT_EXCEEDED';
}

function statedWaitMs(error: VendorError, q: VendorQuirks, nowMs: number): number | null {
  for (const h of q.retryAfterHeaders) {
    const raw = error.headers[h.name];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isFinite(n)) continue;
    if (h.unit === 'seconds') return Math.max(0, n * 1000);
    if (h.unit === 'ms') return Math.max(0, n);
    return Math.max(0, n * 1000 - nowMs);
  }
  return null;
}

/** Response headers as a plain lower-cased record. */
export function headersOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    out[k.toLowerCase()] = v;
  });
  return out;
}
