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
 */
import type { AircallNumberRef, AircallUserRef, CallState, MessageState } from '../../aircall/callState.ts';
import { withinBusinessHours } from '../../logging/business-hours.ts';
import type { ActivityType, CallClassification } from '../../logging/classify.ts';
import {
  type CallPlanArgs,
  type CrmPlanner,
  type MessagePlanArgs,
  nothing,
  type PlanBody,
  wait,
  writeFor,
} from '../../logging/crm-planner.ts';
import type { CrmRecord, PlannedWrite, PlannerContext, WriteLink } from '../../logging/plan-types.ts';
import type { TraceBuilder } from '../../logging/trace.ts';
import { crmUserFor } from '../../logging/users.ts';
import type { PhoneMatch } from '../../phone/match.ts';
import { type HubspotFacts, readHubspotFacts, readHubspotRecordExtra } from './facts.ts';
import {
  HUBSPOT_ASSOCIATION_TYPES as ASSOC,
  defaultOutcomeLabel,
  HUBSPOT_DEFAULT_OUTCOME_IDS,
  hubspotAssociation,
  hubspotCallTitle,
  toAircallContactFromHubspot,
  toHubspotCallProperties,
  toHubspotCommunicationProperties,
  toHubspotContactProperties,
  toHubspotTicketProperties,
} from './mapper.ts';
import {
  HUBSPOT_OUTCOME_KIND_LABELS,
  HUBSPOT_TICKET_TYPE_LABELS,
  type HubspotOutcomeKind,
  type HubspotSettings,
} from './settings.ts';

/** What the call or SMS is logged on in HubSpot. */
interface Party {
  /** Association target: a record created in this plan, an existing one, or none (unmatched). */
  target: { ref: 'record' } | { id: string; object: 'contacts' | 'companies' } | null;
  kind: 'contact' | 'company';
  /** The matched HubSpot record, when it was found (its extra holds tickets and details). */
  record: CrmRecord | null;
  /** The number is on the record in HubSpot already (HS-GEN-3 syncs only those). */
  numberOnRecord: boolean;
  name: string | null;
  /** The contact creation, if any (HS-GEN-2). */
  writes: PlannedWrite[];
  recordId: string | null;
}

interface Subject {
  what: 'call' | 'SMS';
  /** The rule the activity write comes from. */
  rule: 'HS-OUT-1' | 'HS-SMS-1';
  activityTarget: 'hubspot.calls' | 'hubspot.communications';
  /** Association type ids from the activity and from a ticket. */
  assoc: { toContact: number; toCompany: number; ticketToActivity: number };
}

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
  const activity = activityWrite(ctx, trace, CALL, party, props);
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

/**
 * Who the call/SMS is logged on: the record an agent linked it to
 * (EXT-LINK-1), the contact this integration created for it earlier, the
 * record it was logged on before, the most recently updated matching contact
 * (then company), or a new contact (HS-GEN-2), or nobody (unmatched).
 */
function partyFor(
  args: CallPlanArgs<HubspotSettings> | MessagePlanArgs<HubspotSettings>,
  subject: Subject,
  ownerId: string | null,
  previousRecordId: string | null,
): Party {
  const { settings, ctx, trace, matches, linked, externalE164 } = args;
  const linkedMatch = linked ? matches[0] : undefined;
  if (linkedMatch) {
    trace.applied(
      subject.rule,
      `The ${subject.what} is logged on ${linkedMatch.record.kind} ${linkedMatch.record.id}, which an agent linked it to.`,
    );
    return partyOfMatch(linkedMatch);
  }

  const created = ctx.existing.record;
  if (created) {
    const match = matches.find((m) => m.record.id === created.id);
    trace.applied(
      'HS-GEN-2',
      `Contact ${created.id} was created by this integration for this ${subject.what}; the ${subject.what} stays on it.`,
    );
    return {
      target: { id: created.id, object: 'contacts' },
      kind: 'contact',
      record: match?.record ?? null,
      numberOnRecord: false,
      name: match?.record.name ?? null,
      writes: [],
      recordId: created.id,
    };
  }

  const contacts = byMostRecent(matches.filter((m) => m.record.kind === 'contact'));
  const companies = byMostRecent(matches.filter((m) => m.record.kind === 'company'));
  const candidates = contacts.length > 0 ? contacts : companies;
  const previous = candidates.find((m) => m.record.id === previousRecordId);
  if (previous) {
    trace.applied(
      subject.rule,
      `The ${subject.what} was logged on ${previous.record.kind} ${previous.record.id} (${previous.record.name}) before; it stays there.`,
    );
    return partyOfMatch(previous);
  }
  const [best, ...others] = candidates;
  if (best) {
    trace.applied(
      subject.rule,
      others.length > 0
        ? `${candidates.length} HubSpot ${best.record.kind}s hold ${externalE164}; the ${subject.what} is logged on the most recently updated, ${best.record.id} (${best.record.name}, updated ${best.record.updatedAt}), not on ${others.map((o) => o.record.id).join(', ')}.`
        : `The ${subject.what} is logged on HubSpot ${best.record.kind} ${best.record.id} (${best.record.name}).`,
    );
    return partyOfMatch(best);
  }

  const unmatched: Party = {
    target: null,
    kind: 'contact',
    record: null,
    numberOnRecord: false,
    name: null,
    writes: [],
    recordId: null,
  };
  const inbox = () =>
    trace.applied(
      'EXT-LINK-1',
      `The ${subject.what} is logged without a contact association and listed in the unmatched inbox, where an agent can link it to a record.`,
    );
  if (!externalE164) {
    trace.skipped(
      'HS-GEN-2',
      `The other party's number is withheld or unreadable, so no contact can be found or created.`,
    );
    inbox();
    return unmatched;
  }
  if (!settings.createContacts) {
    trace.applied(
      'HS-GEN-2',
      `No HubSpot contact holds ${externalE164} and contact creation is off: no contact is created.`,
    );
    inbox();
    return unmatched;
  }
  const blocked = ctx.blockedCreates?.find((b) => b.target === 'hubspot.contacts');
  if (blocked) {
    trace.applied(
      'GEN-REQ-1',
      `HubSpot refuses to create a contact for ${externalE164} because the required property "${blocked.field}" has no value; the ${subject.what} is logged without a contact. Make "${blocked.field}" optional in HubSpot to create contacts again.`,
    );
    inbox();
    return unmatched;
  }
  trace.applied(
    'HS-GEN-2',
    `No HubSpot contact holds ${externalE164}: a contact is created with that number${ownerId ? `, owned by ${ownerId}` : ', without owner'}.`,
  );
  return {
    target: { ref: 'record' },
    kind: 'contact',
    record: null,
    numberOnRecord: false,
    name: null,
    writes: [
      writeFor(
        ctx,
        'record',
        'hubspot.contacts',
        toHubspotContactProperties({ e164: externalE164, ownerId }),
        ['HS-GEN-2', 'HS-GEN-4'],
      ),
    ],
    recordId: null,
  };
}

function partyOfMatch(match: PhoneMatch): Party {
  const kind = match.record.kind === 'company' ? 'company' : 'contact';
  return {
    target: { id: match.record.id, object: kind === 'company' ? 'companies' : 'contacts' },
    kind,
    record: match.record,
    numberOnRecord: match.fields.length > 0,
    name: match.record.name,
    writes: [],
    recordId: match.record.id,
  };
}

/** Most recently updated first; ties by id so the plan is deterministic. */
function byMostRecent(matches: PhoneMatch[]): PhoneMatch[] {
  return [...matches].sort(
    (a, b) => time(b.record.updatedAt) - time(a.record.updatedAt) || a.record.id.localeCompare(b.record.id),
  );
}

function time(iso: string | null | undefined): number {
  const t = Date.parse(iso ?? '');
  return Number.isNaN(t) ? 0 : t;
}

function linkTo(
  target: NonNullable<Party['target']>,
  kind: Party['kind'],
  toContact: number,
  toCompany: number,
): WriteLink {
  const as = hubspotAssociation(kind === 'company' ? toCompany : toContact);
  return 'ref' in target ? { ref: target.ref, as } : { id: target.id, object: target.object, as };
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

/** HS-OUT-1's row for a call: the call type, with busy and wrong-number outbound calls apart (HS-OUT-2). */
export function outcomeKindOf(kind: CallClassification): HubspotOutcomeKind {
  if (kind.type === 'outbound_unanswered') {
    if (kind.outboundFailure === 'busy') return 'outbound_busy';
    if (kind.outboundFailure === 'wrong_number') return 'outbound_wrong_number';
  }
  return kind.type;
}

/**
 * The call's outcome id, or null for "None". Order: the agent's pick (HS-OUT-4),
 * the outcome already logged (HS-OUT-3: a mapping change does not alter calls
 * already logged), a single mapped tag (HS-OUT-3), the per-type setting (HS-OUT-1).
 */
function outcomeFor(
  call: CallState,
  kind: CallClassification,
  settings: HubspotSettings,
  facts: HubspotFacts,
  ctx: PlannerContext,
  trace: TraceBuilder,
): string | null {
  const outcomeKind = outcomeKindOf(kind);
  explainClassification(call, kind, trace);
  const known = facts.outcomes;
  const inPortal = (id: string) => !known || known.some((o) => o.id === id);
  const labelOf = (id: string) => known?.find((o) => o.id === id)?.label ?? defaultOutcomeLabel(id) ?? id;

  const picked = facts.agentOutcomeId;
  if (picked) {
    if (inPortal(picked)) {
      trace.applied(
        'HS-OUT-4',
        `An agent picked the outcome "${labelOf(picked)}" for this call in the panel; it wins over the settings${ctx.existing.activity ? ' and is applied to the call already logged' : ''}.`,
      );
      return picked;
    }
    trace.skipped(
      'HS-OUT-4',
      `The outcome ${picked} an agent picked is not one of the portal's outcomes any more; it is ignored.`,
    );
  }

  const logged = ctx.existing.activity?.fields;
  if (logged) {
    const value = logged.hs_call_disposition;
    const id = typeof value === 'string' && value !== '' ? value : null;
    trace.applied(
      'HS-OUT-3',
      `The call was logged with the outcome "${id ? labelOf(id) : 'None'}"; it stays: later changes of the tag mapping or of the outcome settings do not alter calls already logged.`,
    );
    return id;
  }

  const mapped = call.tags.flatMap((tag) => {
    const mapping = settings.tagOutcomes.find((m) => m.tagId === tag.id);
    return mapping ? [{ tag: tag.name, outcomeId: mapping.outcomeId }] : [];
  });
  const usable = mapped.filter((m) => inPortal(m.outcomeId));
  for (const m of mapped.filter((x) => !inPortal(x.outcomeId))) {
    trace.skipped(
      'HS-OUT-3',
      `Tag "${m.tag}" is mapped to outcome ${m.outcomeId}, which the portal no longer has; the mapping is ignored.`,
    );
  }
  const [only, ...more] = usable;
  if (only && more.length === 0) {
    trace.applied('HS-OUT-3', `Tag "${only.tag}" is mapped to the outcome "${labelOf(only.outcomeId)}".`);
    return only.outcomeId;
  }
  if (only) {
    trace.applied(
      'HS-OUT-3',
      `Several tags of the call are mapped to outcomes (${usable.map((m) => `"${m.tag}"`).join(', ')}); a call has one outcome, so the setting for ${HUBSPOT_OUTCOME_KIND_LABELS[outcomeKind]} applies.`,
    );
  } else if (settings.tagOutcomes.length > 0) {
    trace.skipped('HS-OUT-3', 'No tag of the call is mapped to an outcome.');
  }

  const label = settings.outcomes[outcomeKind];
  if (label === 'None') {
    trace.applied(
      'HS-OUT-1',
      `Outcome for ${HUBSPOT_OUTCOME_KIND_LABELS[outcomeKind]}: "None", so no outcome is set.`,
    );
    return null;
  }
  const id = outcomeIdForLabel(label, known);
  trace.applied('HS-OUT-1', `Outcome for ${HUBSPOT_OUTCOME_KIND_LABELS[outcomeKind]}: "${label}" (${id}).`);
  return id;
}

/**
 * A default outcome's id: HubSpot's GUID, which every portal has; if the
 * portal's list lacks it but has an outcome of that label, that one.
 */
function outcomeIdForLabel(
  label: keyof typeof HUBSPOT_DEFAULT_OUTCOME_IDS,
  known: HubspotFacts['outcomes'],
): string {
  const guid = HUBSPOT_DEFAULT_OUTCOME_IDS[label];
  if (!known || known.some((o) => o.id === guid)) return guid;
  return known.find((o) => o.label.trim().toLowerCase() === label.toLowerCase())?.id ?? guid;
}

/** HS-OUT-2: how an outbound call was read (answered / unanswered / busy / wrong number). */
function explainClassification(call: CallState, kind: CallClassification, trace: TraceBuilder): void {
  if (call.direction !== 'outbound') return;
  const cause = call.hangupCause ? `hangup_cause "${call.hangupCause}"` : 'no hangup_cause';
  if (kind.type === 'outbound_answered') {
    trace.applied(
      'HS-OUT-2',
      'Outbound call answered (Aircall set answered_at): reaching the contact, an automated message or a voicemail counts as answered.',
    );
  } else if (kind.outboundFailure === 'busy') {
    trace.applied(
      'HS-OUT-2',
      `Outbound call not answered; ${cause} means the contact was already on a call (busy).`,
    );
  } else if (kind.outboundFailure === 'wrong_number') {
    trace.applied(
      'HS-OUT-2',
      `Outbound call not answered; ${cause} means the number is invalid or does not exist.`,
    );
  } else {
    trace.applied(
      'HS-OUT-2',
      `Outbound call not answered, with ${cause}, which means neither busy nor wrong number: unanswered.`,
    );
  }
}

/**
 * HS-TIX-1 (with HS-TIX-2 at plan time): create a ticket, or update the
 * party's most recently modified open ticket of the pipeline (moved to the
 * stage, activity associated), or nothing.
 */
function ticketFor(
  args: CallPlanArgs<HubspotSettings> | MessagePlanArgs<HubspotSettings>,
  subject: Subject,
  type: ActivityType,
  facts: HubspotFacts,
  party: Party,
  ownerId: string | null,
  text: { subject: string; content: string },
): PlannedWrite[] {
  const { settings, ctx, trace } = args;
  const { pipelineId } = settings.tickets;
  const { action, stageId } = settings.tickets.types[type];
  const typeLabel = HUBSPOT_TICKET_TYPE_LABELS[type];
  if (action === 'none' || pipelineId === null || stageId === null) {
    trace.skipped('HS-TIX-1', `Tickets for ${typeLabel} are set to "do nothing".`);
    return [];
  }

  const pipelines = facts.ticketPipelines;
  const pipeline = pipelines?.find((p) => p.id === pipelineId && !p.archived);
  if (pipelines && !pipeline) {
    trace.skipped(
      'HS-TIX-2',
      `Ticket pipeline ${pipelineId} no longer exists in HubSpot, so tickets for ${typeLabel} do nothing; the dashboard asks for another pipeline.`,
    );
    return [];
  }
  if (pipeline && !pipeline.stages.some((s) => s.id === stageId && !s.archived)) {
    trace.skipped(
      'HS-TIX-2',
      `Stage ${stageId} no longer exists in ticket pipeline "${pipeline.label || pipeline.id}", so tickets for ${typeLabel} do nothing; the dashboard asks for another stage.`,
    );
    return [];
  }

  const links: WriteLink[] = [{ ref: 'activity', as: hubspotAssociation(subject.assoc.ticketToActivity) }];
  if (party.target)
    links.push(linkTo(party.target, party.kind, ASSOC.ticketToContact, ASSOC.ticketToCompany));

  const already = ctx.existing.ticket;
  if (already) {
    // The ticket was created or moved when the call/SMS was first logged; later
    // events must not move it back to the stage if someone has moved it since.
    trace.applied(
      'HS-TIX-1',
      `Ticket ${already.id} was already written for this ${subject.what}; only its associations are kept up to date.`,
    );
    return [
      {
        ref: 'ticket',
        op: 'update',
        target: 'hubspot.tickets',
        id: already.id,
        fields: {},
        links,
        rules: ['HS-TIX-1'],
      },
    ];
  }

  if (action === 'update') {
    const open = openTickets(party.record, pipelineId, facts);
    const [latest] = open;
    if (latest) {
      trace.applied(
        'HS-TIX-1',
        `Tickets for ${typeLabel}: "update". Ticket ${latest.id}, the most recently modified open ticket of ${party.kind} ${party.record?.id} in pipeline ${pipelineId} (of ${open.length}), is moved to stage ${stageId} and associated with the ${subject.what}.`,
      );
      return [
        {
          ref: 'ticket',
          op: 'update',
          target: 'hubspot.tickets',
          id: latest.id,
          fields: { hs_pipeline_stage: stageId },
          links,
          rules: ['HS-TIX-1'],
        },
      ];
    }
  }

  const blocked = ctx.blockedCreates?.find((b) => b.target === 'hubspot.tickets');
  if (blocked) {
    trace.applied(
      'GEN-REQ-1',
      `HubSpot refuses to create a ticket because the required property "${blocked.field}" has no value; the ${subject.what} is logged without a ticket.`,
    );
    return [];
  }
  trace.applied(
    'HS-TIX-1',
    action === 'update'
      ? `Tickets for ${typeLabel}: "update", but ${noOpenTicket(party, pipelineId)}: a ticket is created in stage ${stageId}.`
      : `Tickets for ${typeLabel}: "create". A ticket is created in pipeline ${pipelineId}, stage ${stageId}.`,
  );
  const fields = toHubspotTicketProperties({ ...text, pipelineId, stageId, ownerId });
  return [
    {
      ref: 'ticket',
      op: 'create',
      target: 'hubspot.tickets',
      fields,
      links,
      rules: ['HS-TIX-1', 'HS-GEN-4'],
    },
  ];
}

/** Why HS-TIX-1 "update" found no ticket to update, for the trace. */
function noOpenTicket(party: Party, pipelineId: string): string {
  if (!party.record) return `there is no existing HubSpot ${party.kind} whose tickets could be updated`;
  if (readHubspotRecordExtra(party.record).tickets === undefined) {
    return `the tickets of ${party.kind} ${party.record.id} are not known (not looked up)`;
  }
  return `${party.kind} ${party.record.id} has no open ticket in pipeline ${pipelineId}`;
}

/** The record's open tickets of the pipeline, most recently modified first (HS-TIX-1 "update"). */
function openTickets(record: CrmRecord | null, pipelineId: string, facts: HubspotFacts) {
  if (!record) return [];
  const tickets = readHubspotRecordExtra(record).tickets ?? [];
  const stages = facts.ticketPipelines?.find((p) => p.id === pipelineId)?.stages ?? [];
  const closedStage = (stageId: string) =>
    stages.find((s) => s.id === stageId)?.metadata?.ticketState?.toUpperCase() === 'CLOSED';
  return tickets
    .filter((t) => t.pipelineId === pipelineId && !(t.closed ?? closedStage(t.stageId)))
    .sort((a, b) => time(b.updatedAt) - time(a.updatedAt) || a.id.localeCompare(b.id));
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

function ticketContent(title: string, summary: string | null, notes: string[]): string {
  return [title, summary ? `AI summary: ${summary}` : null, ...notes].filter(Boolean).join('\n\n');
}

function smsTicketText(
  message: MessageState,
  party: Party,
  args: MessagePlanArgs<HubspotSettings>,
): { subject: string; content: string } {
  const who = party.name ?? args.externalE164 ?? 'an unknown number';
  const line = message.number?.name ?? 'Aircall';
  const subject =
    message.direction === 'outbound' ? `SMS to ${who} via ${line}` : `SMS from ${who} on ${line}`;
  return { subject, content: message.body };
}
