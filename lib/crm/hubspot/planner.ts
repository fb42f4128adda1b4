/**
 * The HubSpot planner (SPEC section 4): after the generic gates of plan.ts,
 * decides the HubSpot writes for one call or SMS: the contact to log on (or
 * create, HS-GEN-2), the call engagement with its outcome (HS-OUT-1..4) or the
 * SMS communication (HS-SMS-1), the ticket (HS-TIX-1/2) and the Aircall
 * contact sync (HS-GEN-3). Pure; every decision is a trace step.
 *
 * Writes, in the order the backend must execute them (later ones link to
 * earlier refs): 'record' (hubspot.contacts), 'activity' (hubspot.calls or
 * hubspot.communications), 'ticket' (hubspot.tickets), 'aircall_contact'
 * (aircall.contact). Links carry HUBSPOT_DEFINED association type IDs
 * (API-CONTRACTS 2.3) as "HUBSPOT_DEFINED:<id>".
 *
 * The parts live beside it: party.ts (who it is logged on), outcome.ts (the
 * call outcome), tickets.ts (the ticket).
 */
import type { AircallNumberRef, AircallUserRef, CallState } from '../../aircall/callState.ts';
import { withinBusinessHours } from '../../logging/business-hours.ts';
import {
  type CallPlanArgs,
  type CrmPlanner,
  type MessagePlanArgs,
  nothing,
  type PlanBody,
  wait,
  writeFor,
} from '../../logging/crm-planner.ts';
import type { PlannedWrite, PlannerContext } from '../../logging/plan-types.ts';
import type { TraceBuilder } from '../../logging/trace.ts';
import { crmUserFor } from '../../logging/users.ts';
import { readHubspotFacts, readHubspotRecordExtra } from './facts.ts';
import {
  HUBSPOT_ASSOCIATION_TYPES as ASSOC,
  hubspotCallTitle,
  toAircallContactFromHubspot,
  toHubspotCallProperties,
  toHubspotCommunicationProperties,
} from './mapper.ts';
import { outcomeFor, tagIdsOf } from './outcome.ts';
import { linkTo, type Party, partyFor, type Subject } from './party.ts';
import type { HubspotSettings } from './settings.ts';
import { smsTicketText, ticketContent, ticketFor } from './tickets.ts';

export { outcomeKindOf } from './outcome.ts';

const CALL: Subject = {
  what: 'call',
  rule: 'HS-OUT-1',
  activityTarget: 'hubspot.calls',
  assoc: {
    toContact: ASSOC.callToContact,
    toCompany: ASSOC.callToCompany,
    ticketToActivity: ASSOC.ticketToCall,
  },
};

const SMS: Subject = {
  what: 'SMS',
  rule: 'HS-SMS-1',
  activityTarget: 'hubspot.communications',
  assoc: {
    toContact: ASSOC.communicationToContact,
    toCompany: ASSOC.communicationToCompany,
    ticketToActivity: ASSOC.ticketToCommunication,
  },
};

/** Implements SPEC section 4 for the generic planner (lib/logging/plan.ts). */
export const hubspotPlanner: CrmPlanner<HubspotSettings> = {
  crm: 'hubspot',
  planCall: planHubspotCall,
  planMessage: planHubspotMessage,
};

function planHubspotCall(args: CallPlanArgs<HubspotSettings>): PlanBody {
  const { settings, ctx, trace, call, kind } = args;
  nameStep(settings, trace);
  if (!businessHoursAllow(settings, ctx, trace, call.number, call.missedCallReason, 'call')) return nothing();
  if (!kind.ended) {
    trace.skipped(
      'HS-OUT-1',
      `Call ${call.id} is not logged yet: HubSpot calls are logged once Aircall sends call.ended, with the call's full data (API-CONTRACTS 1.3).`,
    );
    return wait();
  }
  if (activityBlocked(ctx, trace, CALL)) return nothing();

  const facts = readHubspotFacts(ctx);
  const ownerId = ownerFor(call.user ?? call.firstAnsweredBy, settings, ctx, trace, CALL);
  const previous = ctx.existing.activity?.fields?.hs_call_callee_object_id;
  const party = partyFor(args, CALL, ownerId, typeof previous === 'string' ? previous : null);
  const outcomeId = outcomeFor(call, kind, settings, facts, ctx, trace);

  const callee =
    party.target && 'id' in party.target
      ? { id: party.target.id, type: party.kind === 'company' ? ('COMPANY' as const) : ('CONTACT' as const) }
      : null;
  const props = toHubspotCallProperties(call, {
    kind,
    externalE164: args.externalE164,
    recordName: party.name,
    outcomeId,
    ownerId,
    callee,
    defaultCountry: settings.defaultCountry,
  });
  const activity = { ...activityWrite(ctx, trace, CALL, party, props), basis: { tagIds: tagIdsOf(call) } };
  const title = hubspotCallTitle(call, { kind, externalE164: args.externalE164, recordName: party.name });
  const ticket = ticketFor(args, CALL, kind.type, facts, party, ownerId, {
    subject: title,
    content: ticketContent(
      title,
      call.ai.summary,
      call.comments.map((c) => c.content),
    ),
  });
  const sync = aircallContactFor(args, party);
  return body([...party.writes, activity, ...ticket, ...sync], party);
}

function planHubspotMessage(args: MessagePlanArgs<HubspotSettings>): PlanBody {
  const { settings, ctx, trace, message } = args;
  nameStep(settings, trace);
  if (!businessHoursAllow(settings, ctx, trace, message.number, null, 'SMS')) return nothing();
  if (activityBlocked(ctx, trace, SMS)) return nothing();

  const facts = readHubspotFacts(ctx);
  const ownerId = ownerFor(message.user, settings, ctx, trace, SMS);
  const party = partyFor(args, SMS, ownerId, null);
  const props = toHubspotCommunicationProperties(message, {
    externalE164: args.externalE164,
    recordName: party.name,
    ownerId,
  });
  const activity = activityWrite(ctx, trace, SMS, party, props);
  const ticket = ticketFor(args, SMS, args.type, facts, party, ownerId, smsTicketText(message, party, args));
  // HS-GEN-3 concerns numbers called (seeds 000/001: "que vous appelez"), so SMS do not sync contacts.
  return body([...party.writes, activity, ...ticket], party);
}

function body(writes: PlannedWrite[], party: Party): PlanBody {
  return { outcome: 'write', writes, recordId: party.recordId, unmatched: party.target === null };
}

/** HS-GEN-5: name the integration in its trace, so traces of several integrations can be told apart. */
function nameStep(settings: HubspotSettings, trace: TraceBuilder): void {
  if (settings.name) trace.applied('HS-GEN-5', `HubSpot integration "${settings.name}".`);
}

/** HS-GEN-1 (calls and SMS alike, seeds 000/001): only within business hours, or always. */
function businessHoursAllow(
  settings: HubspotSettings,
  ctx: PlannerContext,
  trace: TraceBuilder,
  number: AircallNumberRef | null,
  missedCallReason: CallState['missedCallReason'],
  what: 'call' | 'SMS',
): boolean {
  if (!settings.onlyBusinessHours) {
    trace.skipped(
      'HS-GEN-1',
      `${what === 'call' ? 'Calls' : 'SMS'} are logged at any hour (setting "always").`,
    );
    return true;
  }
  if (ctx.existing.activity) {
    trace.applied(
      'HS-GEN-1',
      `This ${what} is already logged (${ctx.existing.activity.id}); later events update it whatever the hour.`,
    );
    return true;
  }
  const hours = withinBusinessHours(ctx, number, missedCallReason);
  if (!hours.within) {
    trace.stopped(
      'HS-GEN-1',
      `The ${what} was outside the business hours of ${number?.name ?? 'its Aircall number'} (from ${hours.source}), and this integration logs only within business hours.`,
    );
    return false;
  }
  trace.applied('HS-GEN-1', `The ${what} was within business hours (from ${hours.source}).`);
  return true;
}

/** GEN-REQ-1: HubSpot refused the activity itself: nothing can be logged. */
function activityBlocked(ctx: PlannerContext, trace: TraceBuilder, subject: Subject): boolean {
  if (ctx.existing.activity) return false;
  const blocked = ctx.blockedCreates?.find((b) => b.target === subject.activityTarget);
  if (!blocked) return false;
  trace.stopped(
    'GEN-REQ-1',
    `HubSpot refuses to create the ${subject.what} activity because the required property "${blocked.field}" has no value; make it optional in HubSpot to log ${subject.what}s.`,
  );
  return true;
}

/** GEN-EMAIL-1 then HS-GEN-4: the agent's HubSpot owner, else the default owner, else none. */
function ownerFor(
  user: AircallUserRef | null,
  settings: HubspotSettings,
  ctx: PlannerContext,
  trace: TraceBuilder,
  subject: Subject,
): string | null {
  const owner = crmUserFor(user, ctx.users);
  if (user && owner) {
    trace.applied(
      'GEN-EMAIL-1',
      `Aircall user ${user.name ?? user.id} is HubSpot owner ${owner.id} (${owner.name}) by email ${user.email}.`,
    );
    return owner.id;
  }
  trace.skipped(
    'GEN-EMAIL-1',
    user
      ? `No active HubSpot owner has the email of Aircall user ${user.name ?? user.id} (${user.email ?? 'no email in Aircall'}).`
      : `No Aircall user is on this ${subject.what}, so no owner is found by email.`,
  );
  if (settings.defaultOwnerId) {
    trace.applied('HS-GEN-4', `No owner found: the default owner ${settings.defaultOwnerId} is used.`);
    return settings.defaultOwnerId;
  }
  trace.applied('HS-GEN-4', 'No owner found and the default owner is "Nobody": no owner is set.');
  return null;
}

/** The call engagement or SMS communication, associated with the party (HS-OUT-1, HS-SMS-1, GEN-IDEM-1). */
function activityWrite(
  ctx: PlannerContext,
  trace: TraceBuilder,
  subject: Subject,
  party: Party,
  props: Record<string, string>,
): PlannedWrite {
  const links = party.target
    ? [linkTo(party.target, party.kind, subject.assoc.toContact, subject.assoc.toCompany)]
    : [];
  const rules =
    subject.rule === 'HS-OUT-1' ? ['HS-OUT-1', 'HS-OUT-2', 'HS-OUT-3', 'HS-GEN-4'] : ['HS-SMS-1', 'HS-GEN-4'];
  const write = writeFor(ctx, 'activity', subject.activityTarget, props, rules, links);
  const object = subject.what === 'call' ? 'call activity' : 'SMS communication';
  const on = party.target
    ? `associated with ${party.kind} ${'id' in party.target ? party.target.id : 'created above'}`
    : 'without a contact association';
  trace.applied(
    subject.rule,
    write.op === 'update'
      ? `The ${object} ${write.id} already logged for this ${subject.what} is updated, ${on}.`
      : `A HubSpot ${object} is created, ${on}.`,
  );
  return write;
}

/** HS-GEN-3: the Aircall contact gets the HubSpot contact's details, for numbers already in HubSpot. */
function aircallContactFor(args: CallPlanArgs<HubspotSettings>, party: Party): PlannedWrite[] {
  const { settings, ctx, trace, externalE164 } = args;
  if (!settings.syncContactsToAircall) {
    trace.skipped('HS-GEN-3', 'Contact sync to Aircall is off.');
    return [];
  }
  if (!externalE164 || !party.record || !party.numberOnRecord || party.kind !== 'contact') {
    trace.skipped(
      'HS-GEN-3',
      `${externalE164 ?? 'The number'} was not on a HubSpot contact before this call, so there is nothing to sync to Aircall.`,
    );
    return [];
  }
  const fields = toAircallContactFromHubspot(
    party.record,
    readHubspotRecordExtra(party.record),
    externalE164,
    settings.defaultCountry,
  );
  const rules = ['HS-GEN-3'];
  const existingId =
    ctx.existing.aircall_contact?.id ?? (ctx.aircallContact ? String(ctx.aircallContact.id) : null);
  trace.applied(
    'HS-GEN-3',
    existingId
      ? `Aircall contact ${existingId} is updated with HubSpot contact ${party.record.id}'s details.`
      : `An Aircall contact is created from HubSpot contact ${party.record.id}.`,
  );
  return [
    existingId
      ? {
          ref: 'aircall_contact',
          op: 'update',
          target: 'aircall.contact',
          id: existingId,
          fields,
          links: [],
          rules,
        }
      : { ref: 'aircall_contact', op: 'create', target: 'aircall.contact', fields, links: [], rules },
  ];
}
