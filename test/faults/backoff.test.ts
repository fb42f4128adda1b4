/**
 * Issue 8 "Faults", retries and OAuth, the pure part (lib/http/vendor.ts):
 * the backoff envelope doubles up to an hour a step, full jitter draws the
 * wait anywhere inside it, a vendor's stated delay is never shortened, and
 * only the token endpoint's `invalid_grant` (HubSpot: BAD_REFRESH_TOKEN) is a
 * refused refresh token; a refused client id or secret is retried.
 */
import { describe, expect, it } from 'vitest';
import {
  decideRetry,
  isRefusedGrant,
  RETRY_STEP_CAP_MS,
  retryWaitMs,
  type Vendor,
  VendorError,
} from '../../lib/http/vendor.ts';

const now = Date.UTC(2025, 0, 6, 9);
const err = (vendor: Vendor, status: number, code: string | null = null, headers = {}) =>
  new VendorError({ vendor, status, code, headers, message: `${status} ${code ?? ''}` });

describe('backoff with jitter (issue 8 "Retries")', () => {
  it('5xx and network errors: the envelope doubles per attempt and stops at an hour a step', () => {
    const waits = [1, 2, 3, 10, 20, 200, 2000].map((a) => decideRetry(err('salesforce', 503), a, now).waitMs);
    expect(waits.slice(0, 3)).toEqual([1_000, 2_000, 4_000]);
    expect(waits.slice(4)).toEqual([RETRY_STEP_CAP_MS, RETRY_STEP_CAP_MS, RETRY_STEP_CAP_MS]);
    expect(decideRetry(err('hubspot', 0), 40, now)).toMatchObject({ retry: true, spread: 'full' });
  });

  it('full jitter: waits are drawn over the whole envelope, not bunched at its end', () => {
    const d = decideRetry(err('hubspot', 502), 30, now);
    const waits = Array.from({ length: 400 }, () => retryWaitMs(d));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...waits)).toBeLessThan(RETRY_STEP_CAP_MS);
    // Each quarter of the envelope gets some (a uniform draw puts ~100 in each).
    for (let q = 0; q < 4; q++) {
      const inQuarter = waits.filter((x) => x >= (q * d.waitMs) / 4 && x < ((q + 1) * d.waitMs) / 4);
      expect(inQuarter.length).toBeGreaterThan(50);
    }
    expect(retryWaitMs(d, () => 0)).toBe(0);
  });

  it('a stated Retry-After is kept (a little later at most), a default rate-limit wait is spread below it', () => {
    const stated = decideRetry(err('hubspot', 429, 'TEN_SECONDLY_ROLLING', { 'retry-after': '1' }), 1, now);
    expect(stated).toMatchObject({ waitMs: 1_000, spread: 'after' });
    for (const r of [0, 0.5, 0.999]) {
      const wait = retryWaitMs(stated, () => r);
      expect(wait).toBeGreaterThanOrEqual(1_000);
      expect(wait).toBeLessThanOrEqual(1_100);
    }
    // Salesforce's used-up daily allocation: 15 min x attempt, at most an hour, spread in its upper half.
    const limited = decideRetry(err('salesforce', 403, 'REQUEST_LIMIT_EXCEEDED'), 2, now);
    expect(limited).toMatchObject({ retry: true, waitMs: 30 * 60_000, spread: 'upper' });
    expect(retryWaitMs(limited, () => 0)).toBe(15 * 60_000);
    expect(decideRetry(err('salesforce', 403, 'REQUEST_LIMIT_EXCEEDED'), 9, now).waitMs).toBe(60 * 60_000);
  });

  it('other 4xx are not retried (the request is wrong); internal errors neither', () => {
    expect(decideRetry(err('hubspot', 400, 'VALIDATION_ERROR'), 1, now)).toMatchObject({
      retry: false,
      spread: 'none',
    });
    expect(decideRetry(err('salesforce', 403, 'INSUFFICIENT_ACCESS'), 1, now).retry).toBe(false);
    expect(decideRetry(new Error('bug'), 1, now).retry).toBe(false);
  });
});

describe('the token endpoint (issue 8 "OAuth")', () => {
  it('only invalid_grant (HubSpot BAD_REFRESH_TOKEN) is a refused refresh token', () => {
    expect(isRefusedGrant(err('salesforce', 400, 'invalid_grant'))).toBe(true);
    expect(isRefusedGrant(err('jobadder', 400, 'invalid_grant'))).toBe(true);
    expect(isRefusedGrant(err('hubspot', 400, 'BAD_REFRESH_TOKEN'))).toBe(true);
    for (const e of [
      err('salesforce', 400, 'invalid_client'),
      err('salesforce', 400, 'invalid_client_id'),
      err('jobadder', 401, 'invalid_client'),
      err('hubspot', 400, 'BAD_CLIENT_SECRET'),
      err('salesforce', 500),
      err('salesforce', 503),
      err('hubspot', 0),
      err('jobadder', 429),
      err('salesforce', 400, 'unsupported_grant_type'),
      new Error('invalid_grant'),
    ])
      expect(isRefusedGrant(e), e.message).toBe(false);
  });

  it("a refused client id or secret is this backend's configuration: retried with backoff, saying what to fix", () => {
    const d = decideRetry(err('salesforce', 400, 'invalid_client'), 1, now);
    expect(d).toMatchObject({ retry: true, spread: 'full' });
    expect(d.reason).toMatch(/refused this backend's app credentials \(400 invalid_client\)/);
    expect(decideRetry(err('hubspot', 400, 'BAD_CLIENT_ID'), 1, now).retry).toBe(true);
  });
});
