/**
 * Named mappers from a folded Aircall call or message to Salesforce fields
 * (SPEC section 5, seed 002). Pure: the planner decides who, what and whether;
 * these only shape the values. Field names and limits: API-CONTRACTS 3.3-3.4,
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm
 */
import { aircallNumberE164, lastingMediaLink } from '../../aircall/links.ts';
import type {
  AircallCommentState,
  AircallNumberRef,
  AircallUserRef,
  CallState,
  MessageState,
  MissedCallReason,
} from '../../aircall/callState.ts';
import type { CallClassification, CallType } from '../../logging/classify.ts';
import { e164Digits, toE164 } from '../../phone/e164.ts';

/** Task.Subject is a 255-character combobox (API-CONTRACTS 3.3). */
export const SUBJECT_MAX = 255;
/** Task.CallDisposition is a 255-character string (SF-DISP-1). */
export const CALL_DISPOSITION_MAX = 255;
/** Task.Description is a 32,000-character text area (SF-DESC-1). */
export const DESCRIPTION_MAX = 32_000;
/** SF-LEAD-1: the Company of Leads the integration creates (seed 002: "Société inconnue"). */
export const UNKNOWN_COMPANY = 'Unknown Company';

/** SF-STAT-1: Salesforce's standard Task Status values for "completed" and "in progress". */
export type SalesforceTaskStatus = 'Completed' | 'In Progress';

/** The reference fields of a Task, when they point at existing ids (writes of the same plan go through links). */
export type SalesforceTaskRelations = { WhoId?: string; WhatId?: string; OwnerId?: string };

/** A Task's fields as this integration writes them. */
export type SalesforceTaskFields = {
  Subject: string;
  Type?: 'Call';
  TaskSubtype?: 'Call' | 'Task';
  CallType?: 'Inbound' | 'Outbound';
  CallDurationInSeconds?: number | null;
  CallDisposition?: string;
  CallObject: string;
  ActivityDate: string;
  Status: SalesforceTaskStatus;
  Description: string | null;
  WhoId?: string;
  WhatId?: string;
  OwnerId?: string;
  aircall__Waiting_Time__c?: number | null;
  aircall__Answered_by__c?: string | null;
  aircall__Phone_number__c: string | null;
  aircall__Country__c: string | null;
  aircall__Call_Recording__c?: string | null;
  aircall__Transferred_to__c?: string | null;
  aircall__Time_Zone__c?: string | null;
  aircall__Time_of_Day__c?: string | null;
  aircall__Connection_Status__c?: 'connected' | 'not connected' | null;
  aircall__Was_Connected__c?: boolean;
};

// ---------------------------------------------------------------- Subject

export type SalesforceSubjectInput =
  | {
      kind: 'call';
      type: CallType;
      /** SF-SUBJ-1's conference rows. */
      conference: boolean;
      recordName: string;
      numberName: string;
    }
  | {
      kind: 'message';
      direction: 'inbound' | 'outbound';
      /** null for SMS/MMS, "whatsapp" for WhatsApp (API-CONTRACTS 1.3). */
      channel: string | null;
      recordName: string;
      numberName: string;
      userName: string;
    };

/**
 * SF-SUBJ-1 (calls, the English wording of the article seed 002 translates)
 * and SF-SMS-1 (messages). A WhatsApp message says "WhatsApp message" where an
 * SMS says "SMS", so the two never read alike.
 */
export function toSalesforceTaskSubject(input: SalesforceSubjectInput): string {
  const { recordName: r, numberName: n } = input;
  let subject: string;
  if (input.kind === 'message') {
    const what = input.channel === 'whatsapp' ? 'WhatsApp message' : 'SMS';
    subject =
      input.direction === 'outbound'
        ? `${what} sent from ${input.userName} via ${n} to ${r}`
        : `${what} received from ${r} to ${n}`;
  } else {
    switch (input.type) {
      case 'outbound_answered':
        subject = input.conference
          ? `Outbound conference call to ${r} with ${n}`
          : `Outbound answered call to ${r} with ${n}`;
        break;
      case 'outbound_unanswered':
        subject = `Outbound unanswered call to ${r} with ${n}`;
        break;
      // The conference row for inbound answered calls has the same wording.
      case 'inbound_answered':
        subject = `Inbound call from ${r} on ${n}`;
        break;
      case 'missed_no_voicemail':
        subject = `Missed call from ${r} on ${n}`;
        break;
      case 'missed_voicemail':
        subject = `Voicemail from ${r} on ${n}`;
        break;
    }
  }
  return cut(subject, SUBJECT_MAX);
}

// ---------------------------------------------------------------- CallDisposition

export interface CallDispositionInput {
  tags: string[];
  direction: 'inbound' | 'outbound';
  answered: boolean;
  /** The Aircall number in E.164 without `+`, or null when unknown. */
  numberDigits: string | null;
  /** Aircall's missed-call reason (SF-DISP-1): Aircall sets it on missed calls only. */
  missedCallReason: MissedCallReason | null;
}

/**
 * SF-DISP-1, in the format of seed 002's example
 * `[['General_Inquiries', 'aircall', 'inbound', 'answered_call', '18882406923', 'no_available_agent']]`:
 * tags, `aircall`, direction, status, Aircall number, missed-call reason.
 * (The article's prose lists `aircall` before the tags; its example, which
 * SPEC follows, puts the tags first.) Over 255 characters, whole tags are
 * dropped from the end so the value stays readable, and only then is the
 * string cut.
 */
export function toCallDisposition(input: CallDispositionInput): string {
  const tail = [
    'aircall',
    input.direction,
    input.answered ? 'answered_call' : 'unanswered_call',
    ...(input.numberDigits ? [input.numberDigits] : []),
    // Written whenever Aircall gives one (it does for missed calls only); the
    // article's example pairs it with answered_call, and is reproduced as is.
    ...(input.missedCallReason ? [input.missedCallReason] : []),
  ];
  const render = (tags: string[]): string =>
    `[[${[...tags, ...tail].map((item) => `'${item.replaceAll("'", "\\'")}'`).join(', ')}]]`;
  const tags = [...input.tags];
  let value = render(tags);
  while (value.length > CALL_DISPOSITION_MAX && tags.length > 0) {
    tags.pop();
    value = render(tags);
  }
  return cut(value, CALL_DISPOSITION_MAX);
}

// ---------------------------------------------------------------- Description

export interface DescriptionInput {
  /** SF-DESC-1's first line: the voicemail of a missed call, or the call's recording. */
  media: { kind: 'voicemail' | 'recording'; url: string } | null;
  comments: AircallCommentState[];
}

export interface SalesforceDescription {
  Description: string | null;
  /** Notes left out because the 32,000 characters were reached. */
  omittedNotes: number;
  /** A single note longer than the field was cut. */
  cutNote: boolean;
}

/**
 * SF-DESC-1: `Find voicemail here : <link>` or `Find recording here : <link>`,
 * then each note, oldest first, as `<Agent name> added a new comment:\n<content>`,
 * within the field's 32,000 characters. When notes do not all fit, the
 * earliest whole notes are kept (so a Task's text does not shift as notes are
 * added) and a last line says how many are missing and where to read them;
 * a first note that alone is too long is cut, and says so.
 */
export function toSalesforceDescription(input: DescriptionInput): SalesforceDescription {
  const head =
    input.media === null
      ? []
      : [`Find ${input.media.kind === 'voicemail' ? 'voicemail' : 'recording'} here : ${input.media.url}`];
  const notes = [...input.comments]
    .sort((a, b) => a.postedAt - b.postedAt || a.id - b.id)
    .map((c) => `${c.postedBy?.name?.trim() || 'Aircall API'} added a new comment:\n${c.content}`);
  const SEP = '\n\n';
  const all = [...head, ...notes].join(SEP);
  if (all.length <= DESCRIPTION_MAX) {
    return { Description: all === '' ? null : all, omittedNotes: 0, cutNote: false };
  }
  const notice = (n: number): string =>
    `[${n} more comment${n === 1 ? '' : 's'} not shown: Salesforce keeps at most ${DESCRIPTION_MAX} characters here; read them on the call in Aircall.]`;
  const kept = [...head];
  let cutNote = false;
  let i = 0;
  for (; i < notes.length; i++) {
    const note = notes[i] ?? '';
    // Room for this note plus the notice about the notes after it (if any).
    const rest = notes.length - i - 1;
    const reserve = rest > 0 ? SEP.length + notice(rest).length : 0;
    const used = kept.join(SEP).length + (kept.length > 0 ? SEP.length : 0);
    if (used + note.length + reserve <= DESCRIPTION_MAX) {
      kept.push(note);
      continue;
    }
    if (kept.length === head.length) {
      // Not even the first note fits whole: keep its beginning rather than nothing.
      const marker = ' [comment cut: too long for Salesforce]';
      const room = DESCRIPTION_MAX - used - reserve - marker.length;
      kept.push(`${note.slice(0, Math.max(0, room))}${marker}`);
      cutNote = true;
      i++;
    }
    break;
  }
  const omittedNotes = notes.length - i;
  if (omittedNotes > 0) kept.push(notice(omittedNotes));
  return { Description: cut(kept.join(SEP), DESCRIPTION_MAX), omittedNotes, cutNote };
}

// ---------------------------------------------------------------- Task (calls)

export interface SalesforceCallTaskInput {
  call: CallState;
  classification: CallClassification;
  status: SalesforceTaskStatus;
  /** SF-SUBJ-1's [Record Name]. */
  recordName: string;
  /** The other party in E.164, or null. */
  externalE164: string | null;
  defaultCountry: string;
  /** SF-XFER-1: who answered, after transfers. */
  answeredBy: AircallUserRef | null;
  /** SF-XFER-1: the user the call was last transferred to. */
  transferredTo: AircallUserRef | null;
  /** SF-XFER-1: the tag names kept. */
  tags: string[];
  relations: SalesforceTaskRelations;
  /** TaskSubtype can be set on create only (API-CONTRACTS 3.3). */
  op: 'create' | 'update';
}

/**
 * The Task for a call (seed 002, field by field). `Priority` is never set:
 * Salesforce's default (Normal) applies (SF-MISC-1).
 */
export function toSalesforceTask(input: SalesforceCallTaskInput): SalesforceTaskFields {
  const { call, classification } = input;
  const answered = call.answeredAt !== null;
  const inbound = call.direction === 'inbound';
  const numberDigits = aircallNumberDigits(call.number, input.defaultCountry);
  const link = mediaLinkOf(call, classification.type);
  const description = toSalesforceDescription({ media: link, comments: call.comments });
  const fields: SalesforceTaskFields = {
    Subject: toSalesforceTaskSubject({
      kind: 'call',
      type: classification.type,
      conference: classification.conference,
      recordName: input.recordName,
      numberName: aircallNumberName(call.number),
    }),
    // SF-TYPE-1.
    Type: 'Call',
    ...(input.op === 'create' ? { TaskSubtype: 'Call' as const } : {}),
    // SF-CT-1.
    CallType: inbound ? 'Inbound' : 'Outbound',
    // SF-FLD-1: conversation only; inbound waiting is in Waiting_Time.
    CallDurationInSeconds: callDurationOf(call),
    CallDisposition: toCallDisposition({
      tags: input.tags,
      direction: call.direction,
      answered,
      numberDigits,
      missedCallReason: call.missedCallReason,
    }),
    // The Aircall call id: the key later writes of the same call are found by (GEN-IDEM-1).
    CallObject: String(call.id),
    // SF-DATE-1: the UTC date the call was created in Aircall.
    ActivityDate: utcDate(call.startedAt * 1000),
    Status: input.status,
    Description: description.Description,
    ...input.relations,
    aircall__Waiting_Time__c: inbound ? (answered ? nonNegative(waitOf(call)) : null) : 0,
    aircall__Answered_by__c: input.answeredBy?.name ?? null,
    aircall__Phone_number__c: numberDigits,
    aircall__Country__c: countryNameOf(input.externalE164),
    aircall__Call_Recording__c: link?.url ?? null,
    aircall__Transferred_to__c: input.transferredTo?.name ?? null,
    aircall__Time_Zone__c: validZone(call.number?.timeZone ?? null),
    aircall__Time_of_Day__c: timeOfDay(call.startedAt * 1000, call.number?.timeZone ?? null),
    aircall__Connection_Status__c: inbound ? (answered ? 'connected' : 'not connected') : null,
    aircall__Was_Connected__c: inbound && answered,
  };
  return fields;
}

// ---------------------------------------------------------------- Task (messages)

export interface SalesforceMessageTaskInput {
  message: MessageState;
  status: SalesforceTaskStatus;
  recordName: string;
  externalE164: string | null;
  defaultCountry: string;
  relations: SalesforceTaskRelations;
  op: 'create' | 'update';
}

/**
 * SF-SMS-1: the Task for an SMS. It is not a call, so it carries none of the
 * call fields: `TaskSubtype` is `Task` and `Type` is left to the org's
 * default (its picklist values are org-defined). `CallObject` holds
 * `message:<id>` so an SMS id can never collide with a call id.
 */
export function toSalesforceSmsTask(input: SalesforceMessageTaskInput): SalesforceTaskFields {
  const { message } = input;
  const body = [message.body, ...message.mediaUrls.map((url) => `Attachment: ${url}`)]
    .filter((line) => line !== '')
    .join('\n');
  return {
    Subject: toSalesforceTaskSubject({
      kind: 'message',
      direction: message.direction,
      channel: message.channel,
      recordName: input.recordName,
      numberName: aircallNumberName(message.number),
      userName: message.user?.name?.trim() || 'an Aircall user',
    }),
    ...(input.op === 'create' ? { TaskSubtype: 'Task' as const } : {}),
    CallObject: `message:${message.id}`,
    ActivityDate: utcDate(message.createdAt),
    Status: input.status,
    Description: body === '' ? null : cut(body, DESCRIPTION_MAX),
    ...input.relations,
    aircall__Phone_number__c: aircallNumberDigits(message.number, input.defaultCountry),
    aircall__Country__c: countryNameOf(input.externalE164),
  };
}

// ---------------------------------------------------------------- records

export interface NewRecordInput {
  /** The unknown number in E.164: the record's phone and, lacking any name, its name. */
  e164: string;
  /** SF-OWN-3: the installer; absent when unknown (Salesforce then makes the API user, the installer, owner). */
  ownerId: string | null;
}

/** SF-NEW-1 / SF-OWN-3: a Contact for an unknown number. LastName is required; the number is all we know. */
export function toSalesforceContact(input: NewRecordInput): Record<string, unknown> {
  return { LastName: input.e164, Phone: input.e164, ...owner(input.ownerId) };
}

/** SF-NEW-1 / SF-LEAD-1 / SF-OWN-3: a Lead; `Company` is required without Person Accounts, so always filled. */
export function toSalesforceLead(input: NewRecordInput): Record<string, unknown> {
  return { LastName: input.e164, Company: UNKNOWN_COMPANY, Phone: input.e164, ...owner(input.ownerId) };
}

/** SF-NEW-1 / SF-OWN-3: an Account named after the number. */
export function toSalesforceAccount(input: NewRecordInput): Record<string, unknown> {
  return { Name: input.e164, Phone: input.e164, ...owner(input.ownerId) };
}

export interface NewCaseInput {
  subject: string;
  /** The Contact, when it exists already (a Contact created in the same plan is linked instead). */
  contactId: string | null;
  accountId: string | null;
  ownerId: string | null;
}

/** SF-CASE-1: a Case for a Contact without an open one; Origin `Phone`, Status left to the org's default. */
export function toSalesforceCase(input: NewCaseInput): Record<string, unknown> {
  return {
    Subject: cut(input.subject, SUBJECT_MAX),
    Origin: 'Phone',
    ...(input.contactId ? { ContactId: input.contactId } : {}),
    ...(input.accountId ? { AccountId: input.accountId } : {}),
    ...owner(input.ownerId),
  };
}

// ---------------------------------------------------------------- helpers

/** SF-SUBJ-1's [Aircall number Name]: its name, else its digits. */
export function aircallNumberName(number: AircallNumberRef | null): string {
  return number?.name?.trim() || number?.digits?.trim() || 'an Aircall number';
}

/** The Aircall number in E.164 without `+` (SF-DISP-1, SF-FLD-1), or null when it has none. */
export function aircallNumberDigits(number: AircallNumberRef | null, defaultCountry: string): string | null {
  if (!number?.digits) return null;
  const e164 = aircallNumberE164(number, defaultCountry);
  if (e164) return e164Digits(e164);
  const digits = number.digits.replace(/\D/g, '');
  return digits === '' ? null : digits;
}

/**
 * The link for Call_Recording and Description (SF-DESC-1): the voicemail of
 * a missed call with voicemail, else the recording. Aircall's `asset` page is
 * preferred: the direct MP3 links expire within hours (API-CONTRACTS 1.4),
 * and a Task keeps its link for years.
 */
export function mediaLinkOf(
  call: CallState,
  type: CallType,
): { kind: 'voicemail' | 'recording'; url: string } | null {
  const kind = type === 'missed_voicemail' ? 'voicemail' : 'recording';
  const url = lastingMediaLink(call, kind);
  return url ? { kind, url } : null;
}

/**
 * SF-FLD-1 CallDurationInSeconds: inbound, from answer to end (waiting
 * excluded; 0 when missed); outbound, the whole call. null while the call is
 * still going (a later event fills it in).
 */
export function callDurationOf(call: CallState): number | null {
  if (call.direction === 'inbound') {
    if (call.answeredAt === null) return 0;
    return call.endedAt === null ? null : nonNegative(call.endedAt - call.answeredAt);
  }
  if (call.endedAt !== null) return nonNegative(call.endedAt - call.startedAt);
  return call.duration;
}

function waitOf(call: CallState): number {
  return (call.answeredAt ?? call.startedAt) - call.startedAt;
}

/** SF-FLD-1 Country: the English name of the country of the other party's number. */
export function countryNameOf(e164: string | null): string | null {
  if (!e164) return null;
  const parsed = toE164(e164, 'US');
  if (!parsed.ok || !parsed.country) return null;
  return new Intl.DisplayNames(['en'], { type: 'region' }).of(parsed.country) ?? null;
}

/** SF-FLD-1 Time of Day: the local time `HH:mm` (24 h) in the number's zone; null when the zone is unknown. */
export function timeOfDay(ms: number, timeZone: string | null): string | null {
  const zone = validZone(timeZone);
  if (!zone) return null;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

function validZone(timeZone: string | null): string | null {
  if (!timeZone) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return null;
  }
}

/** `YYYY-MM-DD` of a UNIX ms instant, in UTC (SF-DATE-1). */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function owner(ownerId: string | null): { OwnerId?: string } {
  return ownerId ? { OwnerId: ownerId } : {};
}

function nonNegative(n: number): number {
  return Math.max(0, n);
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
