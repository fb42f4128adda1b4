/**
 * Whether a call or message happened within its Aircall number's business
 * hours (HS-GEN-1, SF-HOURS-1). The backend computes it from the number's
 * schedule on the injected clock and passes it in the context; without that,
 * the payload's own evidence is used: Aircall sends `number.open` in every
 * payload, and a missed call with reason `out_of_opening_hours` was outside.
 */
import type { AircallNumberRef, MissedCallReason } from '../aircall/callState.ts';
import type { PlannerContext } from './plan-types.ts';

export function withinBusinessHours(
  ctx: PlannerContext,
  number: AircallNumberRef | null,
  missedCallReason: MissedCallReason | null = null,
): { within: boolean; source: string } {
  if (ctx.withinBusinessHours !== null) {
    return { within: ctx.withinBusinessHours, source: "the number's business hours" };
  }
  if (missedCallReason === 'out_of_opening_hours') {
    return { within: false, source: 'missed call reason out_of_opening_hours' };
  }
  if (number?.open !== null && number?.open !== undefined) {
    return { within: number.open, source: `Aircall's number.open=${number.open}` };
  }
  return { within: true, source: 'no business hours known for the number' };
}
