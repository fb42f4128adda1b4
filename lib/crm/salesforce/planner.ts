/**
 * The Salesforce planner (SPEC section 5, seed 002): each call or SMS becomes
 * one Task, on the matched (or created) Contact, Lead, Account or Person
 * Account, owned per SF-OWN-1..4. It runs after the generic gates of
 * lib/logging/plan.ts and returns the writes, each with the rules it comes
 * from; every decision is a trace step.
 *
 * Writes (refs are stable per call, so a later plan updates, GEN-IDEM-1):
 * - `record`: the Contact/Lead/Account created for an unknown number (SF-NEW-1);
 * - `case`: the Case created for a Contact without an open one (SF-CASE-1);
 * - `activity`: the Task;
 * - `record_owner`: the record's new owner (SF-OWN-4), an update by id.
 * A record or Case created by an earlier plan is referenced by its id and not
 * written again: from then on it belongs to the users, and rewriting its
 * name or owner would undo their edits.
 */
import type { AircallUserRef, CallState, MessageState } from '../../aircall/callState.ts';
import { withinBusinessHours } from '../../logging/business-hours.ts';
import type { CallClassification } from '../../logging/classify.ts';
import {
  type CallPlanArgs,
  type CrmPlanner,
  type MessagePlanArgs,
  nothing,
  type PlanBody,
  wait,
  writeFor,
} from '../../logging/crm-planner.ts';
import type {
  CrmRecord,
  CrmUser,
  PlannedWrite,
  PlannerContext,
  WriteLink,
} from '../../logging/plan-types.ts';
import type { TraceBuilder } from '../../logging/trace.ts';
import { crmUserFor } from '../../logging/users.ts';
import type { PhoneMatch } from '../../phone/match.ts';
import {
  orgFactsOf,
  recordExtraOf,
  SALESFORCE_RECORD_KINDS,
  type SalesforceRecordExtra,
  type SalesforceRecordKind,
  salesforceKindOf,
  sobjectOf,
} from './facts.ts';
import {
  aircallNumberName,
  type SalesforceTaskFields,
  type SalesforceTaskRelations,
  type SalesforceTaskStatus,
  toSalesforceAccount,
  toSalesforceCase,
  toSalesforceContact,
  toSalesforceLead,
  toSalesforceSmsTask,
  toSalesforceTask,
  toSalesforceTaskSubject,
  UNKNOWN_COMPANY,
} from './mapper.ts';
import type { SalesforceSettings, SalesforceTaskStatusChoice } from './settings.ts';

const ACTIVITY = 'activity';
const RECORD = 'record';
const CASE = 'case';
const RECORD_OWNER = 'record_owner';
const TASK = 'salesforce.Task';
const ONE_DAY_MS = 86_400_000;

export const salesforcePlanner: CrmPlanner<SalesforceSettings> = {
  crm: 'salesforce',
  planCall: planSalesforceCall,
  planMessage: planSalesforceMessage,
};

// ---------------------------------------------------------------- calls

function planSalesforceCall(args: CallPlanArgs<SalesforceSettings>): PlanBody {
  const { call, kind, ctx, trace, settings } = args;
  const existingTask = ctx.existing[ACTIVITY];

  // SF-HOURS-1: calls only. Once a Task exists the check was passed; the
  // number closing later in the day must not freeze its updates.
  if (!settings.onlyBusinessHours) {
    trace.skipped('SF-HOURS-1', 'Calls are logged whether or not the number is within its business hours.');
  } else if (existingTask) {
    trace.skipped('SF-HOURS-1', 'The Task was written within business hours; this event only updates it.');
  } else {
    const hours = withinBusinessHours(ctx, call.number, call.missedCallReason);
    if (!hours.within) {
      trace.stopped(
        'SF-HOURS-1',
        `The call was outside the number's business hours (from ${hours.source}), and this integration logs calls only within business hours.`,
      );
      return nothing();
    }
    trace.applied('SF-HOURS-1', `The call was within the number's business hours (from ${hours.source}).`);
  }

  // SF-WHEN-1: a Task once the call is answered, or once it ends unanswered.
  const answered = call.answeredAt !== null;
  if (existingTask) {
    trace.applied('SF-WHEN-1', `Task ${existingTask.id} exists for this call; this event updates it.`);
  } else if (answered) {
    trace.applied('SF-WHEN-1', 'The call was answered: its Task is created now; later events update it.');
  } else if (kind.ended) {
    trace.applied('SF-WHEN-1', 'The call ended unanswered: its Task is created now.');
  } else if (kind.over) {
    // call.hungup comes about 30 s before call.ended, which carries the
    // voicemail and final data (API-CONTRACTS 1.3): until then the call type
    // (missed or voicemail, hence SF-STAT-1's choice) is not final.
    trace.stopped(
      'SF-WHEN-1',
      "The call hung up unanswered; its Task is created at call.ended, once Aircall's data (voicemail included) is complete.",
    );
    return wait();
  } else {
    trace.stopped(
      'SF-WHEN-1',
      'The call is neither answered nor over yet; its Task is created when it is answered or ends.',
    );
    return wait();
  }

  const status = taskStatusFor(settings.taskStatus[kind.type], label(kind), trace, existingTask?.id);
  if (status === null) return nothing();
  if (!existingTask && taskBlocked(ctx, trace)) return nothing();

  const env: Env = { ...args, orgTaskFields: orgFactsOf(ctx).taskFields };
  const party = resolveParty(env);
  const xfer = transferOutcome(call, trace);

  // SF-OWN-4 first, so the Task's owner below reads the record's owner as it will be.
  const ownerChange = recordOwnerChange(env, party, callUserOf(call, xfer));
  const owner = answered
    ? answeredOwner(env, party, xfer.answeredBy, ownerChange, 'answered the call')
    : unansweredOwner(env, party, ownerChange, 'The call was not answered');

  const recordName = party.name;
  const subject = toSalesforceTaskSubject({
    kind: 'call',
    type: kind.type,
    conference: kind.conference,
    recordName,
    numberName: aircallNumberName(call.number),
  });
  const related = relateTo(env, party, subject);
  const { relations, links } = relationsOf(trace, party, related, owner);

  const op = existingTask ? 'update' : 'create';
  const fields = toSalesforceTask({
    call,
    classification: kind,
    status,
    recordName,
    externalE164: env.externalE164,
    defaultCountry: ctx.defaultCountry,
    answeredBy: xfer.answeredBy,
    transferredTo: xfer.transferredTo,
    tags: xfer.tags,
    relations,
    op,
  });
  traceCallFields(trace, call, kind, fields, op);
  if (existingTask) {
    trace.applied(
      'SF-UPD-1',
      `Task ${existingTask.id} is updated with the call's current tags (${xfer.tags.length}) and notes (${call.comments.length}).`,
    );
  }

  const rules = [
    'SF-WHEN-1',
    'SF-TYPE-1',
    'SF-SUBJ-1',
    'SF-DISP-1',
    'SF-CT-1',
    'SF-DATE-1',
    'SF-WHO-1',
    'SF-STAT-1',
    'SF-FLD-1',
    'SF-DESC-1',
    'SF-MISC-1',
    owner.rule,
    ...(call.transfers.length > 0 ? ['SF-XFER-1'] : []),
    ...(existingTask ? ['SF-UPD-1'] : []),
  ];
  const task = writeFor(ctx, ACTIVITY, TASK, onlyOrgFields(env, fields), rules, links);
  return body(party, related, task, ownerChange);
}

// ---------------------------------------------------------------- messages

function planSalesforceMessage(args: MessagePlanArgs<SalesforceSettings>): PlanBody {
  const { message, type, ctx, trace, settings } = args;
  const existingTask = ctx.existing[ACTIVITY];

  if (!settings.logSms) {
    trace.stopped('SF-SMS-1', 'SMS logging is turned off for this integration.');
    return nothing();
  }
  trace.applied('SF-SMS-1', 'SMS are logged as Salesforce Tasks.');
  trace.skipped(
    'SF-HOURS-1',
    'Business hours apply to calls only; messages are logged whenever they are sent or received.',
  );

  const what = type === 'sms_outbound' ? 'outbound SMS' : 'inbound SMS';
  const status = taskStatusFor(settings.taskStatus[type], what, trace, existingTask?.id);
  if (status === null) return nothing();
  if (!existingTask && taskBlocked(ctx, trace)) return nothing();

  const env: Env = { ...args, orgTaskFields: orgFactsOf(ctx).taskFields };
  const party = resolveParty(env);
  // SF-OWN-4 concerns calls; an SMS sender is the Task's owner under the rules below.
  const owner =
    message.direction === 'outbound'
      ? answeredOwner(env, party, message.user, null, 'sent the SMS')
      : unansweredOwner(env, party, null, 'The SMS was received, not sent by a user');

  const recordName = party.name;
  const subject = toSalesforceTaskSubject({
    kind: 'message',
    direction: message.direction,
    channel: message.channel,
    recordName,
    numberName: aircallNumberName(message.number),
    userName: message.user?.name?.trim() || 'an Aircall user',
  });
  const related = relateTo(env, party, subject);
  const { relations, links } = relationsOf(trace, party, related, owner);
  const op = existingTask ? 'update' : 'create';
  const fields = toSalesforceSmsTask({
    message,
    status,
    recordName,
    externalE164: env.externalE164,
    defaultCountry: ctx.defaultCountry,
    relations,
    op,
  });
  trace.applied('SF-SMS-1', `Subject "${fields.Subject}"; the message text is the Description.`);
  traceMessageFields(trace, message, fields);

  const rules = ['SF-SMS-1', 'SF-STAT-1', 'SF-WHO-1', 'SF-MISC-1', owner.rule];
  const task = writeFor(ctx, ACTIVITY, TASK, onlyOrgFields(env, fields), rules, links);
  return body(party, related, task, null);
}

// ---------------------------------------------------------------- shared steps

interface Env {
  settings: SalesforceSettings;
  ctx: PlannerContext;
  trace: TraceBuilder;
  externalE164: string | null;
  matches: PhoneMatch[];
  linked: boolean;
  orgTaskFields: string[] | undefined;
}

/** Where the Task goes: a record that exists, one created by this plan, or none. */
type Party =
  | {
      state: 'existing';
      kind: SalesforceRecordKind;
      id: string;
      name: string;
      ownerId: string | null;
      extra: SalesforceRecordExtra;
      /** Created by an earlier plan of this call (SF-OWN-4 then waits for the next call). */
      createdForThisCall: boolean;
    }
  | {
      state: 'creating';
      kind: 'Contact' | 'Lead' | 'Account';
      name: string;
      ownerId: string | null;
      write: PlannedWrite;
    }
  | { state: 'none'; name: string };

/** SF-STAT-1: the Task's Status, or null (after a trace step) when this type is not logged. */
function taskStatusFor(
  choice: SalesforceTaskStatusChoice,
  what: string,
  trace: TraceBuilder,
  existingTaskId: string | undefined,
): SalesforceTaskStatus | null {
  if (choice === 'nothing') {
    trace.stopped(
      'SF-STAT-1',
      `The Task status of ${what} is set to "do nothing", so no Task is written${existingTaskId ? ` (Task ${existingTaskId}, written earlier, is left as it is)` : ''}.`,
    );
    return null;
  }
  const status: SalesforceTaskStatus = choice === 'completed' ? 'Completed' : 'In Progress';
  trace.applied(
    'SF-STAT-1',
    `${capitalise(what)} are logged with Status "${status}" (${status === 'Completed' ? "the record's past activities" : "the record's next steps"}).`,
  );
  return status;
}

/** GEN-REQ-1: Salesforce refuses Tasks without a required field: nothing can be logged. */
function taskBlocked(ctx: PlannerContext, trace: TraceBuilder): boolean {
  const field = blockedField(ctx, TASK);
  if (field === null) return false;
  trace.stopped(
    'GEN-REQ-1',
    `Salesforce refuses to create Tasks without the required field ${field}; make it optional or give it a default, then the call can be logged.`,
  );
  return true;
}

function blockedField(ctx: PlannerContext, target: string): string | null {
  return ctx.blockedCreates?.find((b) => b.target === target)?.field ?? null;
}

/**
 * SF-MATCH-1, EXT-LINK-1, SF-NEW-1, GEN-REQ-1, SF-OWN-3: the record the
 * Task goes on.
 */
function resolveParty(env: Env): Party {
  const { ctx, trace, settings } = env;
  const fallbackName = env.externalE164 ?? 'an unknown number';

  if (env.linked) {
    const record = env.matches[0]?.record;
    const kind = record ? salesforceKindOf(record) : null;
    if (record && kind) {
      trace.applied(
        'SF-MATCH-1',
        `An agent linked the call to ${kind} ${record.id} (${record.name}); it wins.`,
      );
      return existingParty(record, kind, false);
    }
    trace.applied(
      'SF-MATCH-1',
      `The linked record is not a Salesforce ${SALESFORCE_RECORD_KINDS.join(', ')}; it is ignored.`,
    );
  }

  const created = ctx.existing[RECORD];
  if (created) {
    const kind = kindOfTarget(created.target);
    if (kind) {
      const fresh = env.matches.find((m) => m.record.id === created.id)?.record;
      trace.applied(
        'SF-MATCH-1',
        `The call stays on ${kind} ${created.id}, which the integration created for it earlier.`,
      );
      if (fresh) return existingParty(fresh, kind, true);
      const f = created.fields ?? {};
      const name = stringOr(f.LastName, stringOr(f.Name, fallbackName));
      return {
        state: 'existing',
        kind,
        id: created.id,
        name,
        ownerId: stringOr(f.OwnerId, ctx.installerUserId),
        extra: {},
        createdForThisCall: true,
      };
    }
  }

  const best = bestMatch(env.matches, trace);
  if (best) return existingParty(best.record, best.kind, false);

  // SF-NEW-1: the number matches nothing.
  if (settings.newRecord === 'none') {
    trace.applied('SF-NEW-1', 'The number matches no record and creating records is turned off.');
    return unmatchedParty(trace, fallbackName, 'record creation is off');
  }
  if (env.externalE164 === null) {
    trace.skipped(
      'SF-NEW-1',
      'The caller withheld the number (or it cannot be read): no record can be created.',
    );
    return unmatchedParty(trace, fallbackName, 'no record could be created');
  }
  const kind =
    settings.newRecord === 'contact' ? 'Contact' : settings.newRecord === 'lead' ? 'Lead' : 'Account';
  const target = `salesforce.${kind}`;
  const field = blockedField(ctx, target);
  if (field !== null) {
    trace.applied(
      'GEN-REQ-1',
      `Salesforce refuses to create a ${kind} without the required field ${field}; the call is logged without a record, as an unmatched call.`,
    );
    return unmatchedParty(trace, fallbackName, `the ${kind} could not be created`);
  }
  const ownerId = ctx.installerUserId;
  const input = { e164: env.externalE164, ownerId };
  const fields =
    kind === 'Contact'
      ? toSalesforceContact(input)
      : kind === 'Lead'
        ? toSalesforceLead(input)
        : toSalesforceAccount(input);
  const rules = ['SF-NEW-1', 'SF-OWN-3', ...(kind === 'Lead' ? ['SF-LEAD-1'] : [])];
  trace.applied('SF-NEW-1', `The number matches no record: a ${kind} is created for ${env.externalE164}.`);
  if (kind === 'Lead') {
    const personAccounts = orgFactsOf(ctx).personAccountsEnabled;
    trace.applied(
      'SF-LEAD-1',
      `The new Lead's Company is "${UNKNOWN_COMPANY}"${personAccounts === false ? ' (Person Accounts are off, so Salesforce requires it)' : ' (Salesforce requires it unless Person Accounts are on)'}.`,
    );
  }
  trace.applied(
    'SF-OWN-3',
    ownerId
      ? `The new ${kind} is owned by the installer (${ownerId}).`
      : `The new ${kind} is owned by the API user, the installer (its id is not known here).`,
  );
  return {
    state: 'creating',
    kind,
    name: env.externalE164,
    ownerId,
    write: writeFor(ctx, RECORD, target, fields, rules),
  };
}

function existingParty(record: CrmRecord, kind: SalesforceRecordKind, createdForThisCall: boolean): Party {
  return {
    state: 'existing',
    kind,
    id: record.id,
    name: record.name.trim() || record.id,
    ownerId: record.ownerId,
    extra: recordExtraOf(record),
    createdForThisCall,
  };
}

function unmatchedParty(trace: TraceBuilder, name: string, why: string): Party {
  trace.applied(
    'SF-OWN-3',
    `The call matches no Salesforce record and ${why}: the Task gets no WhoId, WhatId or OwnerId (Salesforce makes the API user, the installer, its owner).`,
  );
  return { state: 'none', name };
}

/** SF-MATCH-1: Contact, then Lead, then Account, then Person Account; among one kind, Salesforce's (ctx.records) order. */
function bestMatch(
  matches: PhoneMatch[],
  trace: TraceBuilder,
): { record: CrmRecord; kind: SalesforceRecordKind } | null {
  const candidates: { record: CrmRecord; kind: SalesforceRecordKind }[] = [];
  const ignored: string[] = [];
  for (const m of matches) {
    const kind = salesforceKindOf(m.record);
    if (kind === null) ignored.push(`${m.record.kind} ${m.record.id} (not a Salesforce record kind)`);
    else if (kind === 'Lead' && recordExtraOf(m.record).IsConverted === true)
      ignored.push(`Lead ${m.record.id} (converted: Salesforce refuses Tasks on it)`);
    else candidates.push({ record: m.record, kind });
  }
  const rank = (k: SalesforceRecordKind): number => SALESFORCE_RECORD_KINDS.indexOf(k);
  // Array.prototype.sort is stable: within a kind, the order Salesforce returned stays.
  candidates.sort((a, b) => rank(a.kind) - rank(b.kind));
  const best = candidates[0] ?? null;
  const skipped = ignored.length > 0 ? ` Ignored: ${ignored.join('; ')}.` : '';
  if (best === null) {
    trace.skipped('SF-MATCH-1', `No Salesforce record holds the number.${skipped}`);
    return null;
  }
  const others = candidates.length - 1;
  trace.applied(
    'SF-MATCH-1',
    others > 0
      ? `${candidates.length} records hold the number; ${best.kind} ${best.record.id} (${best.record.name}) wins (priority Contact, Lead, Account, Person Account; first returned by Salesforce within a kind).${skipped}`
      : `The call is on ${best.kind} ${best.record.id} (${best.record.name}).${skipped}`,
  );
  return best;
}

/** What the Task is related to (WhatId) beyond its record: a Case or Opportunity (SF-CASE-1/2). */
type Related = { id: string; object: 'Case' | 'Opportunity' } | { write: PlannedWrite } | null;

function relateTo(env: Env, party: Party, subject: string): Related {
  const { ctx, trace, settings } = env;
  if (party.state === 'none') return null;
  if (party.kind !== 'Contact') {
    trace.skipped(
      'SF-CASE-2',
      `Only a Contact's calls go on its Case or Opportunity; this one is on a ${party.kind}.`,
    );
    return null;
  }
  const createdCase = ctx.existing[CASE];
  if (createdCase) {
    trace.applied('SF-CASE-1', `The Task stays on Case ${createdCase.id}, created for this call earlier.`);
    return { id: createdCase.id, object: 'Case' };
  }
  if (settings.relateTo === 'none') {
    trace.skipped('SF-CASE-2', 'This integration does not relate calls to Cases or Opportunities.');
    return null;
  }
  const extra = party.state === 'existing' ? party.extra : {};
  if (settings.relateTo === 'opportunity') {
    const opportunity = extra.openOpportunities?.[0];
    trace.skipped('SF-CASE-1', 'Opportunities are never created.');
    if (opportunity) {
      trace.applied(
        'SF-CASE-2',
        `The Task is related to the Contact's open Opportunity ${opportunity.Id}${opportunity.Name ? ` (${opportunity.Name})` : ''}, the first Salesforce returned.`,
      );
      return { id: opportunity.Id, object: 'Opportunity' };
    }
    trace.skipped('SF-CASE-2', 'The Contact has no open Opportunity.');
    return null;
  }
  const open = extra.openCases?.[0];
  if (open) {
    trace.applied(
      'SF-CASE-2',
      `The Task is related to the Contact's open Case ${open.Id}${open.Name ? ` (${open.Name})` : ''}, the first Salesforce returned.`,
    );
    return { id: open.Id, object: 'Case' };
  }
  if (!settings.createCase) {
    trace.skipped('SF-CASE-2', 'The Contact has no open Case, and creating Cases is turned off (SF-CASE-1).');
    return null;
  }
  const field = blockedField(ctx, 'salesforce.Case');
  if (field !== null) {
    trace.applied(
      'GEN-REQ-1',
      `Salesforce refuses to create a Case without the required field ${field}; the Task stays on the Contact alone.`,
    );
    return null;
  }
  const fields = toSalesforceCase({
    subject,
    contactId: party.state === 'existing' ? party.id : null,
    accountId: extra.AccountId ?? null,
    ownerId: ctx.installerUserId,
  });
  const links: WriteLink[] = party.state === 'creating' ? [{ ref: RECORD, as: 'ContactId' }] : [];
  trace.applied(
    'SF-CASE-1',
    `The Contact has no open Case: one is created (Origin Phone, owned like records the integration creates) and the Task is related to it.`,
  );
  return { write: writeFor(ctx, CASE, 'salesforce.Case', fields, ['SF-CASE-1', 'SF-CASE-2'], links) };
}

/** SF-WHO-1 and the owner: reference fields by id, or links to writes of this plan. */
function relationsOf(
  trace: TraceBuilder,
  party: Party,
  related: Related,
  owner: Owner,
): { relations: SalesforceTaskRelations; links: WriteLink[] } {
  const relations: SalesforceTaskRelations = {};
  const links: WriteLink[] = [];
  if (party.state === 'none') {
    trace.applied('SF-WHO-1', 'WhoId and WhatId stay empty: the call is on no Salesforce record.');
    return { relations, links };
  }
  // Leads and Contacts are "who"; an Account (a Person Account too) is "what".
  const who = party.kind === 'Contact' || party.kind === 'Lead';
  const as = who ? 'WhoId' : 'WhatId';
  const record = party.state === 'existing' ? `${party.kind} ${party.id}` : `the ${party.kind} created now`;
  if (party.state === 'existing') relations[as] = party.id;
  else links.push({ ref: RECORD, as });
  let what = '';
  if (related && 'write' in related) {
    links.push({ ref: CASE, as: 'WhatId' });
    what = '; WhatId is the Case created now';
  } else if (related) {
    relations.WhatId = related.id;
    what = `; WhatId is ${related.object} ${related.id}`;
  } else if (party.kind === 'Lead') {
    what = "; WhatId stays empty (Salesforce allows none on a Lead's Task)";
  } else if (who) {
    what = '; WhatId stays empty';
  }
  trace.applied(
    'SF-WHO-1',
    who
      ? `WhoId is ${record}${what}.`
      : `WhatId is ${record}; WhoId stays empty, as the call is on an Account.`,
  );
  if (owner.id) relations.OwnerId = owner.id;
  return { relations, links };
}

interface Owner {
  id: string | null;
  rule: string;
}

/**
 * SF-OWN-1 (and an outbound SMS's sender): the user, if a Salesforce user
 * has the same email (GEN-EMAIL-1) and has existed for a day; else the
 * record's owner; else the installer.
 */
function answeredOwner(
  env: Env,
  party: Party,
  user: AircallUserRef | null,
  ownerChange: OwnerChange | null,
  did: string,
): Owner {
  const { trace, ctx } = env;
  if (party.state === 'none') return { id: null, rule: 'SF-OWN-3' };
  const sfUser = eligibleUser(env, user, did);
  if (sfUser) {
    trace.applied('SF-OWN-1', `The Task is owned by ${sfUser.name} (${sfUser.id}), who ${did}.`);
    return { id: sfUser.id, rule: 'SF-OWN-1' };
  }
  const recordOwner = usableRecordOwner(env, party, ownerChange);
  if (recordOwner) {
    trace.applied('SF-OWN-1', `The Task is owned by the ${party.kind}'s owner ${recordOwner}.`);
    return { id: recordOwner, rule: 'SF-OWN-1' };
  }
  trace.applied(
    'SF-OWN-1',
    ctx.installerUserId
      ? `The ${party.kind} has no usable owner: the Task is owned by the installer (${ctx.installerUserId}).`
      : `The ${party.kind} has no usable owner: the Task is left to Salesforce, which makes the API user (the installer) its owner.`,
  );
  return { id: ctx.installerUserId, rule: 'SF-OWN-1' };
}

/**
 * SF-OWN-2 (and an inbound SMS): the record's owner; else the setting "when a
 * call does not match a Salesforce user, assign it to"; else the installer.
 */
function unansweredOwner(env: Env, party: Party, ownerChange: OwnerChange | null, why: string): Owner {
  const { trace, ctx, settings } = env;
  if (party.state === 'none') return { id: null, rule: 'SF-OWN-3' };
  const recordOwner = usableRecordOwner(env, party, ownerChange);
  if (recordOwner) {
    trace.applied('SF-OWN-2', `${why}: the Task is owned by the ${party.kind}'s owner ${recordOwner}.`);
    return { id: recordOwner, rule: 'SF-OWN-2' };
  }
  const chosen = settings.unmatchedOwnerId ?? ctx.installerUserId;
  trace.applied(
    'SF-OWN-2',
    `${why} and the ${party.kind} has no usable owner: the Task goes to ${
      settings.unmatchedOwnerId
        ? `${settings.unmatchedOwnerId}, chosen in "when a call does not match a Salesforce user, assign it to"`
        : chosen
          ? `the installer (${chosen}), as "when a call does not match a Salesforce user, assign it to" is not set`
          : 'the API user (the installer), as no owner is set'
    }.`,
  );
  return { id: chosen, rule: 'SF-OWN-2' };
}

/**
 * The record's owner as it will be after this plan, when a Task may be
 * assigned to it: a User (key prefix 005; a Lead owned by a queue, 00G,
 * cannot pass its owner to a Task) not known to be inactive.
 */
function usableRecordOwner(env: Env, party: Party, ownerChange: OwnerChange | null): string | null {
  if (party.state === 'none') return null;
  const ownerId = ownerChange?.userId ?? party.ownerId;
  if (!ownerId?.startsWith('005')) return null;
  const known = env.ctx.users.find((u) => u.id === ownerId);
  return known && !known.active ? null : ownerId;
}

/** GEN-EMAIL-1 + SF-OWN-1's "has existed for at least one day". */
function eligibleUser(env: Env, user: AircallUserRef | null, did: string): CrmUser | null {
  const { trace, ctx } = env;
  if (!user) return null;
  const who = user.name ?? `Aircall user ${user.id}`;
  const sfUser = crmUserFor(user, ctx.users);
  if (!sfUser) {
    trace.applied(
      'GEN-EMAIL-1',
      `${who}, who ${did}, matches no active Salesforce user by email${user.email ? ` (${user.email}, compared case-insensitively)` : ' (Aircall gives no email)'}.`,
    );
    return null;
  }
  trace.applied(
    'GEN-EMAIL-1',
    `${who} is Salesforce user ${sfUser.id} (same email, compared case-insensitively).`,
  );
  const created = sfUser.createdAt ? Date.parse(sfUser.createdAt) : Number.NaN;
  if (!Number.isNaN(created) && ctx.now - created < ONE_DAY_MS) {
    trace.applied(
      'SF-OWN-1',
      `Salesforce user ${sfUser.id} was created at ${sfUser.createdAt}, less than a day ago, so cannot own the Task yet.`,
    );
    return null;
  }
  return sfUser;
}

interface OwnerChange {
  userId: string;
  write: PlannedWrite;
}

/** The Aircall user who made or received the call: the answerer, or the caller of an outbound call. */
function callUserOf(call: CallState, xfer: TransferOutcome): AircallUserRef | null {
  if (xfer.answeredBy) return xfer.answeredBy;
  return call.direction === 'outbound' ? call.user : null;
}

/**
 * SF-OWN-4: a record owned by the installer (e.g. one the integration
 * created) passes to the first other user who makes or receives a call with
 * it. Not on the call that created it (seed 002: "as soon as another user
 * calls"). The user must qualify as SF-OWN-1 asks (same email, existed for a
 * day), so the record never goes to someone who could not own the Task.
 */
function recordOwnerChange(env: Env, party: Party, user: AircallUserRef | null): OwnerChange | null {
  const { ctx, trace } = env;
  const installer = ctx.installerUserId;
  if (party.state !== 'existing' || installer === null || party.ownerId !== installer) {
    return null;
  }
  if (party.createdForThisCall) {
    trace.skipped(
      'SF-OWN-4',
      `The ${party.kind} was created for this call; it passes to the next other user who calls it.`,
    );
    return null;
  }
  const sfUser = eligibleUser(env, user, `is on the call`);
  if (!sfUser || sfUser.id === installer) {
    trace.skipped(
      'SF-OWN-4',
      `The ${party.kind} is owned by the installer and no other Salesforce user made or received this call; its owner stays.`,
    );
    return null;
  }
  trace.applied(
    'SF-OWN-4',
    `The ${party.kind} ${party.id} was owned by the installer; it now belongs to ${sfUser.name} (${sfUser.id}), the first other user on a call with it.`,
  );
  // An update of the record itself, by its id: the same write whichever plan of the call makes it.
  const write: PlannedWrite = {
    ref: RECORD_OWNER,
    op: 'update',
    target: `salesforce.${sobjectOf(party.kind)}`,
    id: party.id,
    fields: { OwnerId: sfUser.id },
    links: [],
    rules: ['SF-OWN-4'],
  };
  return { userId: sfUser.id, write };
}

interface TransferOutcome {
  answeredBy: AircallUserRef | null;
  transferredTo: AircallUserRef | null;
  tags: string[];
}

/**
 * SF-XFER-1: on a transfer from A to B, "Answered by" is B when B answered,
 * else A, and when B answered only B's tags stay. B answered when B later
 * transferred the call on, or, for the last transfer, when the call ended
 * with B (`user` of the latest snapshot) without an unsuccessful transfer
 * after it. Tags whose author is unknown are kept. Transfers to external
 * numbers change none of this: Aircall logs that leg as a separate call.
 */
function transferOutcome(call: CallState, trace: TraceBuilder): TransferOutcome {
  const answered = call.answeredAt !== null;
  const first = answered ? (call.firstAnsweredBy ?? call.user) : null;
  const allTags = call.tags.map((t) => t.name);
  const external = call.transfers.filter((t) => t.kind === 'external');
  if (external.length > 0) {
    trace.applied(
      'SF-XFER-1',
      `The transfer to ${external.map((t) => t.toNumber ?? 'an external number').join(', ')} changes neither Answered by, Transferred to nor the tags; that leg is logged as a separate call.`,
    );
  }
  const toUsers = call.transfers
    .filter((t): t is typeof t & { to: AircallUserRef } => t.kind === 'user' && t.to !== null)
    .sort((a, b) => a.at - b.at);
  const last = toUsers[toUsers.length - 1];
  if (!last) {
    if (external.length === 0) trace.skipped('SF-XFER-1', 'The call was not transferred.');
    return { answeredBy: first, transferredTo: null, tags: allTags };
  }
  let holder: AircallUserRef | null = first ?? toUsers[0]?.by ?? null;
  let byTransfer = false;
  toUsers.forEach((t, i) => {
    const later = toUsers.slice(i + 1);
    const failed = call.transfers.some(
      (u) => u.kind === 'unsuccessful' && u.at >= t.at && (u.to === null || u.to.id === t.to.id),
    );
    const tookIt =
      later.some((l) => l.by?.id === t.to.id) || (later.length === 0 && !failed && call.user?.id === t.to.id);
    if (tookIt) {
      holder = t.to;
      byTransfer = true;
    }
  });
  const answeredBy = answered ? holder : null;
  const receiver: AircallUserRef | null = holder;
  const tags =
    byTransfer && receiver !== null
      ? call.tags
          .filter((t) => t.addedByUserId === null || t.addedByUserId === receiver.id)
          .map((t) => t.name)
      : allTags;
  const dropped = allTags.length - tags.length;
  trace.applied(
    'SF-XFER-1',
    byTransfer && receiver
      ? `The call was transferred to ${last.to.name ?? `user ${last.to.id}`}; ${receiver.name ?? `user ${receiver.id}`} answered it, so Answered by is that user and only their tags are kept${dropped > 0 ? ` (${dropped} earlier tag(s) dropped)` : ''}.`
      : `The call was transferred to ${last.to.name ?? `user ${last.to.id}`}, who did not answer: Answered by stays ${answeredBy?.name ?? 'empty'} and all tags are kept.`,
  );
  return { answeredBy, transferredTo: last.to, tags };
}

/** Trace steps for the Task's fields (each rule, what it set). */
function traceCallFields(
  trace: TraceBuilder,
  call: CallState,
  kind: CallClassification,
  f: SalesforceTaskFields,
  op: 'create' | 'update',
): void {
  trace.applied(
    'SF-TYPE-1',
    op === 'create'
      ? 'Type and TaskSubtype are Call.'
      : 'Type is Call; TaskSubtype was set to Call on create (Salesforce allows it on create only).',
  );
  trace.applied(
    'SF-SUBJ-1',
    `Subject "${f.Subject}" (call type ${kind.type}${kind.conference ? ', conference' : ''}).`,
  );
  trace.applied('SF-CT-1', `CallType is ${f.CallType}.`);
  trace.applied(
    'SF-DATE-1',
    `ActivityDate is ${f.ActivityDate}, the UTC date the call started (${new Date(call.startedAt * 1000).toISOString()}).`,
  );
  trace.applied('SF-DISP-1', `CallDisposition is ${f.CallDisposition}.`);
  trace.applied(
    'SF-FLD-1',
    `Waiting ${f.aircall__Waiting_Time__c ?? 'n/a'} s, conversation ${f.CallDurationInSeconds ?? 'not over yet'} s, answered by ${f.aircall__Answered_by__c ?? 'nobody'}, other party in ${f.aircall__Country__c ?? 'an unknown country'}, ${f.aircall__Time_of_Day__c ?? 'unknown time'} in ${f.aircall__Time_Zone__c ?? 'an unknown time zone'}${f.aircall__Connection_Status__c ? `, ${f.aircall__Connection_Status__c}` : ''}.`,
  );
  const notes = call.comments.length;
  trace.applied(
    'SF-DESC-1',
    f.Description === null
      ? 'The Description is empty: no recording, voicemail or note yet.'
      : `The Description holds ${f.aircall__Call_Recording__c ? 'the media link and ' : ''}${notes} note(s)${f.Description.length >= 31_000 ? `, within Salesforce's 32,000 characters` : ''}.`,
  );
  trace.applied(
    'SF-MISC-1',
    "Priority is left to Salesforce's default (Normal); CreatedBy and LastModifiedBy are the API user, and the record type is the installer's default.",
  );
}

function traceMessageFields(trace: TraceBuilder, message: MessageState, f: SalesforceTaskFields): void {
  trace.applied(
    'SF-DATE-1',
    `ActivityDate is ${f.ActivityDate}, the UTC date of the message (${new Date(message.createdAt).toISOString()}).`,
  );
  trace.applied('SF-MISC-1', "Priority is left to Salesforce's default (Normal).");
}

/** Drops Task fields the org's Task does not have (facts `taskFields`), naming them in the trace. */
function onlyOrgFields(env: Env, fields: SalesforceTaskFields): Record<string, unknown> {
  const all: Record<string, unknown> = { ...fields };
  const allowed = env.orgTaskFields;
  if (!allowed) return all;
  const known = new Set(allowed);
  const missing = Object.keys(all).filter((k) => !known.has(k));
  if (missing.length === 0) return all;
  for (const k of missing) delete all[k];
  env.trace.applied(
    missing.includes('Type') ? 'SF-TYPE-1' : 'SF-FLD-1',
    `The org's Task lacks or hides ${missing.join(', ')}, so the Task is written without ${missing.length === 1 ? 'it' : 'them'}; add the field (or make it visible to the installer) to have it filled.`,
  );
  return all;
}

function body(party: Party, related: Related, task: PlannedWrite, ownerChange: OwnerChange | null): PlanBody {
  const writes: PlannedWrite[] = [];
  if (party.state === 'creating') writes.push(party.write);
  if (related && 'write' in related) writes.push(related.write);
  writes.push(task);
  if (ownerChange) writes.push(ownerChange.write);
  return {
    outcome: 'write',
    writes,
    recordId: party.state === 'existing' ? party.id : null,
    unmatched: party.state === 'none',
  };
}

function kindOfTarget(target: string): SalesforceRecordKind | null {
  const object = target.startsWith('salesforce.') ? target.slice('salesforce.'.length) : '';
  return SALESFORCE_RECORD_KINDS.find((k) => k === object) ?? null;
}

function label(kind: CallClassification): string {
  switch (kind.type) {
    case 'outbound_answered':
      return 'outbound answered calls';
    case 'outbound_unanswered':
      return 'outbound unanswered calls';
    case 'inbound_answered':
      return 'inbound answered calls';
    case 'missed_no_voicemail':
      return 'missed calls without voicemail';
    case 'missed_voicemail':
      return 'voicemails';
  }
}

function stringOr(value: unknown, fallback: string): string;
function stringOr(value: unknown, fallback: string | null): string | null;
function stringOr(value: unknown, fallback: string | null): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : fallback;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
