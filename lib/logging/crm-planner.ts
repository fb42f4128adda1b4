/**
 * What each CRM's planner (lib/crm/<crm>/planner.ts) implements. The generic
 * planner (plan.ts) applies the rules of SPEC section 3 first, then hands the
 * call over with its classification and phone matches.
 */
import type { CallState, MessageState } from '../aircall/callState.ts';
import type { PhoneMatch } from '../phone/match.ts';
import type { CallClassification, MessageType } from './classify.ts';
import type { Crm, PlannedWrite, PlannerContext, PlanOutcome } from './plan-types.ts';
import type { TraceBuilder } from './trace.ts';

export interface PlanBody {
  outcome: PlanOutcome;
  writes: PlannedWrite[];
  recordId: string | null;
  unmatched: boolean;
}

interface CommonArgs<S> {
  settings: S;
  ctx: PlannerContext;
  trace: TraceBuilder;
  /** The other party in E.164, or null when it cannot be read (anonymous, garbage). */
  externalE164: string | null;
  /** Records whose phones equal `externalE164` (GEN-PHONE-1/2), or the agent-linked record (EXT-LINK-1). */
  matches: PhoneMatch[];
  /** True when `matches` is the record an agent linked the call to (EXT-LINK-1). */
  linked: boolean;
}

export interface CallPlanArgs<S> extends CommonArgs<S> {
  call: CallState;
  kind: CallClassification;
}

export interface MessagePlanArgs<S> extends CommonArgs<S> {
  message: MessageState;
  type: MessageType;
}

export interface CrmPlanner<S> {
  crm: Crm;
  planCall(args: CallPlanArgs<S>): PlanBody;
  planMessage(args: MessagePlanArgs<S>): PlanBody;
}

/** Helpers for CRM planners: create what does not exist yet, update what does (GEN-IDEM-1). */
export function writeFor(
  ctx: PlannerContext,
  ref: string,
  target: string,
  fields: Record<string, unknown>,
  rules: string[],
  links: PlannedWrite['links'] = [],
): PlannedWrite {
  const existing = ctx.existing[ref];
  return existing
    ? { ref, op: 'update', target, id: existing.id, fields, links, rules }
    : { ref, op: 'create', target, fields, links, rules };
}

/** Nothing to write, for good. */
export function nothing(): PlanBody {
  return { outcome: 'nothing', writes: [], recordId: null, unmatched: false };
}

/** Nothing yet: a later event of the same call may change that. */
export function wait(): PlanBody {
  return { outcome: 'wait', writes: [], recordId: null, unmatched: false };
}
