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
  /** First wait for a 5xx or network error; doubled per attempt, capped at `RETRY_STEP_CAP_MS`. */
  serverErrorBaseMs: number;
  /** Longest wait after a rate-limit answer. */
  maxWaitMs: number;
  /**
   * The token endpoint's codes for "this refresh token is refused" (RFC 6749 5.2 `invalid_grant`:
   * expired, revoked, or issued to another client). Only these mark a connection as needing
   * reconnection (issue 8 "OAuth"): anything else from the token endpoint is not the grant's fault.
   */
  refusedGrantCodes: string[];
  /**
   * The token endpoint's codes for "this backend's app credentials are refused" (RFC 6749 5.2
   * `invalid_client`): a configuration fault of this backend, retried like an outage while the
   * operator fixes the client id or secret, so no call waits on a reconnection it does not need.
   */
  refusedClientCodes: string[];
}

/**
 * The longest wait between two attempts after a 5xx or a network error (issue 8
 * "Retries": exponential backoff with jitter, capped per step): an outage of
 * hours is probed about twice an hour per item, not hammered.
 */
export const RETRY_STEP_CAP_MS = 60 * 60_000;

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
    // API-CONTRACTS 1.1: the API key is permanent; there is no token endpoint.
    refusedGrantCodes: [],
    refusedClientCodes: [],
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
    // HubSpot's token endpoint answers `{status: <reason>}` rather than RFC 6749's `error`
    // (sandbox/hubspot/oauth.ts): BAD_REFRESH_TOKEN is its invalid_grant.
    refusedGrantCodes: ['BAD_REFRESH_TOKEN'],
    refusedClientCodes: ['BAD_CLIENT_ID', 'BAD_CLIENT_SECRET'],
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
    // API-CONTRACTS 3.1 "OAuth refresh": 400 invalid_grant for an expired or revoked refresh
    // token; invalid_client_id / invalid_client for the connected app's key or secret.
    refusedGrantCodes: ['invalid_grant'],
    refusedClientCodes: ['invalid_client_id', 'invalid_client'],
  },
  // API-CONTRACTS 4.1: OAuth 2.0 errors (RFC 6749 5.2).
  jobadder: {
    rateLimitStatuses: [429],
    retryAfterHeaders: [{ name: 'retry-after', unit: 'seconds' }],
    defaultRateLimitWaitMs: 10_000,
    serverErrorBaseMs: 1_000,
    maxWaitMs: 10 * 60_000,
    refusedGrantCodes: ['invalid_grant'],
    refusedClientCodes: ['invalid_client'],
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
  /** How long to wait before the next attempt, before jitter: the backoff's envelope. */
  waitMs: number;
  /**
   * How `retryWaitMs` spreads the wait, so items that failed together do not
   * come back together: `full` anywhere in [0, waitMs] (exponential backoff
   * with full jitter, AWS Architecture Blog "Exponential Backoff And Jitter");
   * `upper` in [waitMs / 2, waitMs] (a rate limit's own delay, never more);
   * `after` a little after waitMs (a delay the vendor stated: never earlier).
   */
  spread: 'full' | 'upper' | 'after' | 'none';
}

/**
 * Retry 429s after the vendor's stated delay (Retry-After, reset headers) or
 * its documented default; retry 5xx and network errors with exponential
 * backoff (capped at RETRY_STEP_CAP_MS); retry a token endpoint that refuses
 * this backend's app credentials (a configuration fault the operator fixes);
 * never retry other 4xx (the request itself is wrong: retrying cannot help,
 * and the error says what to fix). `attempt` counts from 1. How long retries
 * go on is the work queue's business (server/store/work.ts: RETRY_HOURS).
 */
export function decideRetry(error: unknown, attempt: number, nowMs: number): RetryDecision {
  if (!(error instanceof VendorError)) {
    return {
      retry: false,
      reason: `internal error: ${(error as Error)?.message ?? String(error)}`,
      waitMs: 0,
      spread: 'none',
    };
  }
  const q = VENDOR_QUIRKS[error.vendor];
  // 2 ** n overflows to Infinity past n = 1023; Math.min keeps it at the cap either way.
  const backoff = (base: number) => Math.min(RETRY_STEP_CAP_MS, base * 2 ** Math.max(0, attempt - 1));
  if (q.rateLimitStatuses.includes(error.status) || isRateLimitCode(error)) {
    const stated = statedWaitMs(error, q, nowMs);
    const base = (error.code && q.rateLimitWaitByCode?.[error.code]) || q.defaultRateLimitWaitMs;
    const waitMs = Math.min(q.maxWaitMs, stated ?? base * Math.max(1, attempt));
    return {
      retry: true,
      reason: `${error.vendor} rate limit (${error.status}): ${error.message}`,
      waitMs,
      spread: stated === null ? 'upper' : 'after',
    };
  }
  if (error.status === 0 || error.status >= 500) {
    return {
      retry: true,
      reason: `${error.vendor} unavailable (${error.status || 'no answer'}): ${error.message}`,
      waitMs: backoff(q.serverErrorBaseMs),
      spread: 'full',
    };
  }
  if (error.code && q.refusedClientCodes.includes(error.code)) {
    return {
      retry: true,
      reason: `${error.vendor} refused this backend's app credentials (${error.status} ${error.code}): ${error.message}`,
      waitMs: backoff(q.serverErrorBaseMs),
      spread: 'full',
    };
  }
  return {
    retry: false,
    reason: `${error.vendor} refused the request (${error.status}): ${error.message}`,
    waitMs: 0,
    spread: 'none',
  };
}

/** The wait before the next attempt: the decision's envelope, spread as it says. `random` in [0, 1). */
export function retryWaitMs(decision: RetryDecision, random: () => number = Math.random): number {
  const w = decision.waitMs;
  switch (decision.spread) {
    case 'full':
      return Math.floor(random() * w);
    case 'upper':
      return Math.floor(w / 2 + (random() * w) / 2);
    case 'after':
      // A tenth more at most, and at most a second: the vendor's delay is kept, the herd is not.
      return Math.floor(w + random() * Math.min(w / 10, 1_000));
    case 'none':
      return w;
  }
}

/** The token endpoint refused the refresh token itself (invalid_grant): only then is the connection broken. */
export function isRefusedGrant(error: unknown): error is VendorError {
  return (
    error instanceof VendorError &&
    error.code !== null &&
    VENDOR_QUIRKS[error.vendor].refusedGrantCodes.includes(error.code)
  );
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
