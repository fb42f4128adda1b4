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
import type { CallState, MessageState } from '../../aircall/callState.ts';
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
import type { PlannedWrite, PlannerContext } from '../../logging/plan-types.ts';
import type { TraceBuilder } from '../../logging/trace.ts';
import { orgFactsOf } from './facts.ts';
import {
  aircallNumberName,
  type SalesforceTaskFields,
  type SalesforceTaskStatus,
  toSalesforceSmsTask,
  toSalesforceTask,
  toSalesforceTaskSubject,
} from './mapper.ts';
import {
  answeredOwner,
  callUserOf,
  type Env,
  type OwnerChange,
  recordOwnerChange,
  unansweredOwner,
} from './owner.ts';
import { blockedField, type Party, type Related, relateTo, relationsOf, resolveParty } from './party.ts';
import type { SalesforceSettings, SalesforceTaskStatusChoice } from './settings.ts';
import { transferOutcome } from './transfer.ts';

const ACTIVITY = 'activity';
const TASK = 'salesforce.Task';

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

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
