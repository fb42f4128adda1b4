/**
 * The planner: (settings, folded call, records found, CRM users) -> the CRM
 * writes to make and the decision trace (GEN-TRACE-1). Pure: same inputs,
 * same plan. The rules of SPEC section 3 are applied here, in the order a
 * person would check them (troubleshooting article, seed 004); the CRM's own
 * rules follow in lib/crm/<crm>/planner.ts.
 */
import type { CallState, MessageState } from '../aircall/callState.ts';
import { planCallFor, planMessageFor } from '../crm/planners.ts';
import { toE164 } from '../phone/e164.ts';
import { matchRecordsByPhone, type PhoneMatch } from '../phone/match.ts';
import { classifyCall, classifyMessage } from './classify.ts';
import type { PlanBody } from './crm-planner.ts';
import type { Plan, PlannedWrite, PlannerContext } from './plan-types.ts';
import type { IntegrationSettings } from './settings-union.ts';
import { TraceBuilder } from './trace.ts';

export function planCall(settings: IntegrationSettings, call: CallState, ctx: PlannerContext): Plan {
  const trace = new TraceBuilder();
  const kind = classifyCall(call);
  const gate = generalGates(settings, trace, {
    startedAtMs: call.startedAt * 1000,
    numberId: call.number?.id ?? null,
    ctx,
    what: 'call',
  });
  if (gate) return finish(settings, gate, trace);
  const who = matchParty(call.rawDigits, settings.defaultCountry, ctx, trace);
  const body = planCallFor(settings, { call, kind, ctx, trace, ...who });
  return finish(settings, body, trace);
}

export function planMessage(settings: IntegrationSettings, message: MessageState, ctx: PlannerContext): Plan {
  const trace = new TraceBuilder();
  const gate = generalGates(settings, trace, {
    startedAtMs: message.createdAt,
    numberId: message.number?.id ?? null,
    ctx,
    what: 'message',
  });
  if (gate) return finish(settings, gate, trace);
  const who = matchParty(message.externalNumber, settings.defaultCountry, ctx, trace);
  const type = classifyMessage(message);
  const body = planMessageFor(settings, { message, type, ctx, trace, ...who });
  return finish(settings, body, trace);
}

interface GateInput {
  startedAtMs: number;
  numberId: number | null;
  ctx: PlannerContext;
  what: 'call' | 'message';
}

/** GEN-ACT-1, GEN-ACT-2(b), GEN-NUM-1, GEN-NUM-2: returns a final body when logging stops here. */
function generalGates(settings: IntegrationSettings, trace: TraceBuilder, input: GateInput): PlanBody | null {
  const stop = (): PlanBody => ({ outcome: 'nothing', writes: [], recordId: null, unmatched: false });
  if (!settings.active) {
    const why = settings.inactiveReason ? ` (GEN-ADM-1: ${settings.inactiveReason})` : '';
    trace.stopped(
      'GEN-ACT-1',
      `The integration is inactive${why}: nothing is logged and no contact is synced.`,
    );
    return stop();
  }
  trace.applied('GEN-ACT-1', 'The integration is active.');

  const { activatedAt } = settings;
  const backfill = input.ctx.backfill;
  if (activatedAt !== null && input.startedAtMs < activatedAt) {
    if (backfill && input.startedAtMs >= backfill.from && input.startedAtMs <= backfill.to) {
      trace.applied(
        'GEN-ACT-2b',
        `The ${input.what} happened while the integration was inactive; an admin backfill of ${iso(backfill.from)} to ${iso(backfill.to)} logs it now.`,
      );
    } else {
      trace.stopped(
        'GEN-ACT-2',
        `The ${input.what} happened at ${iso(input.startedAtMs)}, before the integration was reactivated at ${iso(activatedAt)}; such ${input.what}s are not logged unless an admin backfills them.`,
      );
      return stop();
    }
  } else {
    trace.skipped('GEN-ACT-2', `The ${input.what} happened while the integration was active.`);
  }

  if (input.numberId === null) {
    trace.stopped(
      'GEN-NUM-1',
      `The ${input.what} names no Aircall number, so it cannot be on a connected number.`,
    );
    return stop();
  }
  if (!settings.connectedNumbers.includes(input.numberId)) {
    trace.stopped(
      'GEN-NUM-1',
      `Aircall number ${input.numberId} is not connected to this integration; connect it in the integration's numbers to log its ${input.what}s.`,
    );
    return stop();
  }
  trace.applied('GEN-NUM-1', `Aircall number ${input.numberId} is connected.`);

  const route = input.ctx.ivrRoute;
  if (route) {
    const missing = [route.ivrNumberId, route.destinationNumberId].filter(
      (id): id is number => id !== null && !settings.connectedNumbers.includes(id),
    );
    if (missing.length > 0) {
      trace.stopped(
        'GEN-NUM-2',
        `The call came through IVR number ${route.ivrNumberId} to number ${route.destinationNumberId ?? 'unknown'}; both must be connected, and ${missing.join(' and ')} is not.`,
      );
      return stop();
    }
    trace.applied(
      'GEN-NUM-2',
      route.destinationNumberId === null
        ? `IVR number ${route.ivrNumberId} is connected; the number it routed to is not known, so only the IVR number was checked.`
        : `IVR number ${route.ivrNumberId} and its destination number ${route.destinationNumberId} are both connected.`,
    );
  }
  return null;
}

/** GEN-PHONE-1/2, EXT-LINK-1: who the other party is in the CRM. */
function matchParty(
  raw: string | null,
  defaultCountry: string,
  ctx: PlannerContext,
  trace: TraceBuilder,
): { externalE164: string | null; matches: PhoneMatch[]; linked: boolean } {
  const parsed = toE164(raw, defaultCountry);
  const externalE164 = parsed.ok ? parsed.e164 : null;
  if (parsed.ok)
    trace.applied('GEN-PHONE-1', `The other party's number ${parsed.input} is ${parsed.e164} in E.164.`);
  else trace.applied('GEN-PHONE-1', `The other party's number cannot be matched: ${parsed.message}.`);

  if (ctx.linkedRecord) {
    trace.applied(
      'EXT-LINK-1',
      `An agent linked this call to ${ctx.linkedRecord.kind} ${ctx.linkedRecord.id} (${ctx.linkedRecord.name}).`,
    );
    return { externalE164, matches: [{ record: ctx.linkedRecord, fields: [] }], linked: true };
  }
  if (!externalE164) return { externalE164, matches: [], linked: false };

  const { matches, unreadable } = matchRecordsByPhone(externalE164, ctx.records, defaultCountry);
  const found = matches.map((m) => `${m.record.kind} ${m.record.id} (${m.fields.join(', ')})`).join('; ');
  trace.applied(
    'GEN-PHONE-2',
    matches.length > 0
      ? `All phone fields searched; ${matches.length} record(s) hold ${externalE164}: ${found}.`
      : `All phone fields searched; no record holds ${externalE164}.`,
  );
  if (unreadable.length > 0) {
    const examples = unreadable
      .slice(0, 3)
      .map((u) => `${u.recordId}.${u.field}="${u.value}"`)
      .join(', ');
    trace.applied(
      'GEN-PHONE-1',
      `${unreadable.length} stored number(s) could not be read and were not matched (${examples}); rewrite them in E.164.`,
    );
  }
  return { externalE164, matches, linked: false };
}

function finish(settings: IntegrationSettings, body: PlanBody, trace: TraceBuilder): Plan {
  if (body.outcome === 'write') {
    trace.applied('GEN-TRACE-1', `Written: ${body.writes.map(describeWrite).join('; ')}.`);
  } else {
    const last = [...trace.steps].reverse().find((s) => s.outcome === 'stopped');
    trace.applied(
      'GEN-TRACE-1',
      body.outcome === 'wait'
        ? 'Nothing written yet: waiting for a later event of this call.'
        : `Nothing written${last ? `: see ${last.rule}` : ''}.`,
    );
  }
  return {
    crm: settings.crm,
    outcome: body.outcome,
    writes: body.writes,
    trace: trace.steps,
    recordId: body.recordId,
    unmatched: body.unmatched,
  };
}

function describeWrite(w: PlannedWrite): string {
  return `${w.op} ${w.target}${w.id ? ` ${w.id}` : ''} (${w.ref})`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
