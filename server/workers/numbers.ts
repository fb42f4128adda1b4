/**
 * What the planner needs to know about the call's Aircall number beyond the
 * payload: its business hours (HS-GEN-1, SF-HOURS-1) and, for an IVR number,
 * where it routes (GEN-NUM-2). Aircall's public API publishes neither; the
 * sandbox exposes them as `sandbox_business_hours` and
 * `sandbox_ivr_destinations` on the number. Numbers are cached for a minute
 * per company: Aircall allows 60 requests a minute (API-CONTRACTS 1.2).
 */
import type { PlannerContext } from '../../lib/logging/plan-types.ts';
import type { Services } from '../services.ts';
import type { Integration } from '../store/companies.ts';
import { withinSchedule } from './hours.ts';
import { type Folded, startedAtMsOf } from './subject.ts';

const TTL_MS = 60_000;
const cache = new WeakMap<Services, Map<string, { at: number; value: Record<string, unknown> | null }>>();

async function numberOf(
  svc: Services,
  companyId: string,
  id: number,
): Promise<Record<string, unknown> | null> {
  let byKey = cache.get(svc);
  if (!byKey) {
    byKey = new Map();
    cache.set(svc, byKey);
  }
  const key = `${companyId}:${id}`;
  const now = Date.now();
  const hit = byKey.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const aircall = await svc.aircall(companyId);
  if (!aircall) return null;
  try {
    const value = (await aircall.getNumber(id)) as unknown as Record<string, unknown>;
    byKey.set(key, { at: now, value });
    return value;
  } catch (err) {
    svc.log.warn({ number: id, err: (err as Error).message }, 'Aircall number unknown');
    return null;
  }
}

/** HS-GEN-1 / SF-HOURS-1 from the number's schedule; null when not needed or not known. */
export async function businessHours(
  svc: Services,
  companyId: string,
  folded: Folded,
  settings: Integration['settings'],
): Promise<boolean | null> {
  // Only integrations that log within business hours read them.
  if (!('onlyBusinessHours' in settings) || !settings.onlyBusinessHours) return null;
  const number = folded.kind === 'call' ? folded.call.number : folded.message.number;
  if (!number) return null;
  const full = await numberOf(svc, companyId, number.id);
  return full ? withinSchedule(full.sandbox_business_hours, startedAtMsOf(folded)) : null;
}

/**
 * GEN-NUM-2: an inbound call on an IVR number, with the number it routes
 * to. With several destinations the branch taken is not in the call's
 * webhooks, so the destination is unknown (null) and only the IVR number is
 * checked; the trace says so.
 */
export async function ivrRoute(
  svc: Services,
  companyId: string,
  folded: Folded,
): Promise<PlannerContext['ivrRoute']> {
  if (folded.kind !== 'call') return null;
  const { number, direction } = folded.call;
  if (!number?.isIvr || direction !== 'inbound') return null;
  const full = await numberOf(svc, companyId, number.id);
  const raw = full?.sandbox_ivr_destinations;
  const destinations = Array.isArray(raw) ? raw.filter((d): d is number => typeof d === 'number') : [];
  return {
    ivrNumberId: number.id,
    destinationNumberId: destinations.length === 1 ? (destinations[0] ?? null) : null,
  };
}
