/**
 * The org's rolling 24-hour API request allocation (API-CONTRACTS 3.5):
 * every authenticated `/services/data/vNN.N/` request counts once (a
 * composite too, whatever it holds), every answer carries
 * `Sforce-Limit-Info: api-usage=N/MAX`, and past the allocation Salesforce
 * answers 403 REQUEST_LIMIT_EXCEEDED. `GET /limits` reports it as
 * `DailyApiRequests {Max, Remaining}` (other entries: fixed figures).
 */
import { z } from 'zod';
import { requestLimitExceeded } from './errors.ts';
import type { Org, SalesforceState } from './state.ts';

/**
 * `POST /_sandbox/limits` body: `{ orgId?, dailyApiRequests?, used? }`.
 * Without `orgId` it applies to every seeded org. `used` marks that many
 * requests as already made now (to start near the limit without making them).
 */
export const limitsBodySchema = z.strictObject({
  orgId: z.string().optional(),
  dailyApiRequests: z.number().int().positive().optional(),
  used: z.number().int().nonnegative().optional(),
});

/** How many requests the org made in the last 24 hours. */
export function apiUsed(org: Org, now: number): number {
  return org.dailyApiRequests - org.apiUsage.remaining(org.orgId, now);
}

function limitHeader(org: Org, now: number): Record<string, string> {
  return { 'Sforce-Limit-Info': `api-usage=${apiUsed(org, now)}/${org.dailyApiRequests}` };
}

/** Counts one API request; returns the header to send, or throws the 403 (with the header). */
export function takeApiRequest(org: Org, now: number): Record<string, string> {
  if (org.apiUsage.take(org.orgId, now) !== null) throw requestLimitExceeded(limitHeader(org, now));
  return limitHeader(org, now);
}

/** Applies `POST /_sandbox/limits`; returns what each org now has. */
export function configureLimits(state: SalesforceState, now: number, raw: unknown) {
  const body = limitsBodySchema.parse(raw ?? {});
  const orgs = body.orgId ? [state.orgs.get(body.orgId)] : [...state.orgs.values()];
  if (orgs.some((o) => !o)) throw new Error(`no Salesforce org ${body.orgId} is seeded`);
  return {
    ok: true,
    orgs: orgs.flatMap((org) => {
      if (!org) return [];
      if (body.dailyApiRequests !== undefined) {
        org.dailyApiRequests = body.dailyApiRequests;
        org.apiUsage.max = body.dailyApiRequests;
      }
      for (let i = 0; i < (body.used ?? 0); i++) org.apiUsage.take(org.orgId, now);
      return [{ orgId: org.orgId, dailyApiRequests: org.dailyApiRequests, used: apiUsed(org, now) }];
    }),
  };
}

/** `GET /limits` (Postman `rest/limit.json`). */
export function limitsBody(org: Org, now: number) {
  const fixed = (max: number) => ({ Max: max, Remaining: max });
  return {
    DailyApiRequests: { Max: org.dailyApiRequests, Remaining: org.apiUsage.remaining(org.orgId, now) },
    ConcurrentAsyncGetReportInstances: fixed(200),
    DailyAsyncApexExecutions: fixed(250_000),
    DailyBulkApiBatches: fixed(15_000),
    DataStorageMB: fixed(1024),
    FileStorageMB: fixed(10_240),
    SingleEmail: fixed(5000),
  };
}
