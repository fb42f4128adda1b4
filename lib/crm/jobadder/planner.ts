/**
 * The JobAdder planner (SPEC section 6, seed 003): each call becomes a note on
 * the matched contact or candidate, SMS go into a conversation note (or one
 * note each), duplicates follow the admin's choice, and the JobAdder person
 * found for a call can be copied into Aircall's contacts. The generic gates
 * (GEN-ACT, GEN-NUM) and phone matching (GEN-PHONE-1/2, JA-PHONE-1) have run
 * before, in lib/logging/plan.ts.
 *
 * JA-INST-1 (OAuth on both sides, uninstall disconnects JobAdder, synced data
 * stays) is the backend's: there is nothing to plan for it.
 */
import type { CallState, MessageState } from '../../aircall/callState.ts';
import {
  type CallPlanArgs,
  type CrmPlanner,
  type MessagePlanArgs,
  nothing,
  type PlanBody,
  writeFor,
} from '../../logging/crm-planner.ts';
import type { CrmRecord, PlannedWrite, PlannerContext } from '../../logging/plan-types.ts';
import type { TraceBuilder } from '../../logging/trace.ts';
import { crmUserFor } from '../../logging/users.ts';
import type { PhoneMatch } from '../../phone/match.ts';
import {
  isJobadderRecordKind,
  type JobadderNoteFacts,
  type JobadderRecordKind,
  readJobadderCrmFacts,
  readJobadderRecordFacts,
} from './facts.ts';
import {
  jobadderCallReference,
  jobadderSmsReference,
  mergeSmsIntoConversation,
  newSmsNote,
  smsNoteHeader,
  smsTime,
  toAircallContactFromJobadder,
  toJobadderCallNote,
  toJobadderSmsLine,
} from './mapper.ts';
import type { JobadderSettings } from './settings.ts';

/** The ref of the call's note, or of the note this SMS went into. */
export const ACTIVITY_REF = 'activity';
/** The ref of the Aircall contact written by contact sync (JA-SYNC-1). */
export const AIRCALL_CONTACT_REF = 'aircall_contact';

export const JOBADDER_TARGETS = {
  contact: 'jobadder.contactNote',
  candidate: 'jobadder.candidateNote',
  aircallContact: 'aircall.contact',
} as const;

/** JA-SMS-1: "au plus tard 72 heures après la dernière modification de la note". */
export const SMS_CONVERSATION_WINDOW_MS = 72 * 3600 * 1000;

type JobadderRecord = CrmRecord & { kind: JobadderRecordKind };

interface CommonArgs {
  settings: JobadderSettings;
  ctx: PlannerContext;
  trace: TraceBuilder;
  matches: PhoneMatch[];
  linked: boolean;
  externalE164: string | null;
}

export const jobadderPlanner: CrmPlanner<JobadderSettings> = {
  crm: 'jobadder',

  planCall(args: CallPlanArgs<JobadderSettings>): PlanBody {
    const { call, kind, ctx, settings, trace } = args;
    const chosen = chooseRecord(args, 'call');
    if ('body' in chosen) return chosen.body;
    const { record } = chosen;

    const writes: PlannedWrite[] = [];
    const sync = contactSyncWrite(args, record);
    if (sync) writes.push(sync);

    // JA-CALL-1 with API-CONTRACTS 1.3: `call.ended` comes ~30 s after the
    // hang-up, once duration, recording and tags are known; the note is
    // written then, and every later event (tags, comments, AI) updates it.
    if (!kind.ended && !ctx.existing[ACTIVITY_REF]) {
      trace.skipped(
        'JA-CALL-1',
        `The call has not ended yet (no call.ended): the note on ${describe(record)} is written once it has.`,
      );
      return writes.length > 0
        ? { outcome: 'write', writes, recordId: record.id, unmatched: false }
        : { outcome: 'wait', writes: [], recordId: record.id, unmatched: false };
    }

    const target = JOBADDER_TARGETS[record.kind];
    if (!ctx.existing[ACTIVITY_REF] && requiredFieldBlocks(ctx, target, record, trace)) {
      return writes.length > 0
        ? { outcome: 'write', writes, recordId: record.id, unmatched: false }
        : { outcome: 'nothing', writes: [], recordId: record.id, unmatched: false };
    }

    const text = toJobadderCallNote(call, kind, { recordName: record.name, settings });
    const note = writeFor(
      ctx,
      ACTIVITY_REF,
      target,
      {
        ...recordIdField(record),
        text,
        type: settings.noteType,
        reference: jobadderCallReference(call),
        ...createdBy(args, call.user ?? call.firstAnsweredBy, 'call'),
      },
      ['JA-CALL-1'],
    );
    trace.applied(
      'JA-CALL-1',
      `${note.op === 'create' ? 'A new' : 'The existing'} "${settings.noteType}" note on ${describe(record)} holds the call: ${insightsSentence(call, settings)}`,
    );
    writes.unshift(note);
    return { outcome: 'write', writes, recordId: record.id, unmatched: false };
  },

  planMessage(args: MessagePlanArgs<JobadderSettings>): PlanBody {
    const { message, ctx, settings, trace } = args;
    if (settings.smsMode === 'none') {
      trace.stopped('JA-SMS-1', 'SMS logging is set to "do not log SMS": this SMS is not logged.');
      return nothing();
    }
    const chosen = chooseRecord(args, 'message');
    if ('body' in chosen) return chosen.body;
    const { record } = chosen;
    if (settings.contactSync) {
      trace.skipped(
        'JA-SYNC-1',
        'Contact sync runs on calls ("chaque fois qu\'il y a un appel", seed 003), not on SMS.',
      );
    }

    const target = JOBADDER_TARGETS[record.kind];
    const line = toJobadderSmsLine(message, { recordName: record.name });
    // `createdBy` only for a note this SMS starts: a note it joins was
    // started by an earlier SMS, and PUT /notes/{id} takes only type and text.
    const fields = (text: string, reference: string, starts: boolean): Record<string, unknown> => ({
      ...recordIdField(record),
      text,
      type: settings.smsNoteType,
      reference,
      ...(starts ? createdBy(args, message.user, 'SMS') : {}),
    });
    const rules = ['JA-SMS-1'];
    const header = smsNoteHeader(record.name, settings.smsMode);
    const facts = readJobadderRecordFacts(record);
    const conversation = facts.smsConversation ?? null;

    // GEN-IDEM-1: this SMS was already written into a note; whatever the mode
    // and the window, later events of the same SMS update that note.
    const existing = ctx.existing[ACTIVITY_REF];
    if (existing) {
      const current =
        conversation?.noteId === existing.id
          ? conversation
          : readJobadderCrmFacts(ctx).notes.find((n) => n.noteId === existing.id);
      // Without the note's current text, the text this SMS's last plan wrote
      // is the best base; it may lack SMS merged since, so the backend should
      // pass the note in crmFacts.notes (facts.ts).
      const lastWritten = typeof existing.fields?.text === 'string' ? existing.fields.text : null;
      const base = current?.text ?? lastWritten;
      const text = base
        ? mergeSmsIntoConversation(base, line, {
            maxNoteLength: settings.maxNoteLength,
            messageIds: current?.messageIds ?? [],
          }).text
        : newSmsNote(header, line, settings.maxNoteLength);
      const reference =
        current?.reference ??
        (typeof existing.fields?.reference === 'string'
          ? existing.fields.reference
          : jobadderSmsReference(message));
      trace.applied(
        'JA-SMS-1',
        `This SMS is already in note ${existing.id} on ${describe(record)}; that note is updated, no new note is started.`,
      );
      return {
        outcome: 'write',
        writes: [writeFor(ctx, ACTIVITY_REF, target, fields(text, reference, false), rules)],
        recordId: record.id,
        unmatched: false,
      };
    }

    const startNote = (why: string): PlanBody => {
      if (requiredFieldBlocks(ctx, target, record, trace)) {
        return { outcome: 'nothing', writes: [], recordId: record.id, unmatched: false };
      }
      trace.applied('JA-SMS-1', why);
      const text = newSmsNote(header, line, settings.maxNoteLength);
      return {
        outcome: 'write',
        writes: [
          writeFor(ctx, ACTIVITY_REF, target, fields(text, jobadderSmsReference(message), true), rules),
        ],
        recordId: record.id,
        unmatched: false,
      };
    };

    if (settings.smsMode === 'note_per_sms') {
      return startNote(`SMS logging is set to "one note per SMS": a new note on ${describe(record)}.`);
    }
    if (!conversation) {
      return startNote(
        `SMS logged as a conversation; ${describe(record)} has no SMS conversation note yet, so one starts.`,
      );
    }

    const merge = mergeSmsIntoConversation(conversation.text, line, {
      maxNoteLength: settings.maxNoteLength,
      messageIds: conversation.messageIds,
    });
    const updateConversation = (why: string): PlanBody => {
      trace.applied('JA-SMS-1', why);
      const update: PlannedWrite = {
        ref: ACTIVITY_REF,
        op: 'update',
        target,
        id: conversation.noteId,
        fields: fields(merge.text, conversation.reference ?? jobadderSmsReference(message), false),
        links: [],
        rules,
      };
      return { outcome: 'write', writes: [update], recordId: record.id, unmatched: false };
    };

    if (merge.status === 'already_in') {
      // A repeated webhook whose first write's id was not recorded: the note
      // itself shows the SMS is in, so it is not added twice.
      return updateConversation(
        `This SMS is already in the conversation note ${conversation.noteId} on ${describe(record)}; it is not added twice.`,
      );
    }
    // The window is measured from the SMS's own time (sent_at, else
    // created_at), never from ctx.now: the article speaks of when the SMS "a
    // été envoyé ou reçu", and webhooks may arrive late or be retried for
    // hours (API-CONTRACTS 1.3), which must not decide where an SMS goes nor
    // make a retry land in another note than the first attempt.
    const sentAt = smsTime(message);
    const windowEnd = conversation.updatedAt + SMS_CONVERSATION_WINDOW_MS;
    if (sentAt > windowEnd) {
      return startNote(
        `The SMS was sent or received at ${iso(sentAt)}, ${hoursAfter(sentAt, conversation)} after the conversation note ${conversation.noteId} was last changed (${iso(conversation.updatedAt)}), more than 72 hours: a new conversation note starts.`,
      );
    }
    if (merge.status === 'too_long') {
      return startNote(
        `Adding the SMS to the conversation note ${conversation.noteId} would pass the maximum note length of ${settings.maxNoteLength} characters: a new conversation note starts.`,
      );
    }
    return updateConversation(
      `The SMS (${iso(sentAt)}) is within 72 hours of the last change of the conversation note ${conversation.noteId} (${iso(conversation.updatedAt)}) and the note stays within ${settings.maxNoteLength} characters: it goes into that note, in time order.`,
    );
  },
};

// ---------------------------------------------------------------- record choice

type Choice = { record: JobadderRecord } | { body: PlanBody };

/**
 * Which contact or candidate the call or SMS is logged on (JA-DUP-1).
 *
 * Seed 003 speaks of "2 contacts ou 2 candidats" sharing the number. One
 * contact plus one candidate is not that case: in recruitment the same person
 * is often both (a client's hiring manager who is also a candidate), so they
 * are not duplicates and the "do nothing" setting does not apply to them. The
 * call is still logged once (one note, one `Plan.recordId`): on the more
 * recently updated of the two, the same tie-break the article uses for
 * duplicates. When there are duplicates of one kind, the setting decides for
 * the whole call: "most recent" logs into the most recently updated of all
 * the matches, "nothing" logs nothing.
 */
function chooseRecord(args: CommonArgs, what: 'call' | 'message'): Choice {
  const { ctx, trace, matches, linked, settings } = args;
  const noun = what === 'call' ? 'call' : 'SMS';

  const eligible: JobadderRecord[] = [];
  const others: CrmRecord[] = [];
  for (const m of matches) {
    if (isJobadderRecordKind(m.record.kind)) eligible.push({ ...m.record, kind: m.record.kind });
    else others.push(m.record);
  }
  if (others.length > 0) {
    const names = others.map((r) => `${r.kind} ${r.id}`).join(', ');
    trace.skipped(
      'JA-CALL-1',
      linked
        ? `An agent linked the ${noun} to ${names}; JobAdder notes are written on contacts and candidates only.`
        : `${names} also hold the number; JobAdder notes are written on contacts and candidates only.`,
    );
  }

  if (eligible.length === 0) {
    trace.stopped(
      what === 'call' ? 'JA-CALL-1' : 'JA-SMS-1',
      args.externalE164
        ? `No JobAdder contact or candidate holds ${args.externalE164}: the ${noun} is not logged; an agent can link it to a record from the unmatched inbox.`
        : `The other party's number is unknown, so no JobAdder contact or candidate can be found: the ${noun} is not logged.`,
    );
    return { body: { outcome: 'nothing', writes: [], recordId: null, unmatched: true } };
  }

  if (linked) {
    const [record] = eligible;
    if (record) {
      trace.skipped('JA-DUP-1', `An agent linked the ${noun} to ${describe(record)}: no duplicate check.`);
      return { record };
    }
  }

  // GEN-IDEM-1: once the note exists, later events keep writing it on the
  // same record, even if another record has been updated since.
  const prior = ctx.existing[ACTIVITY_REF];
  const priorRecord = prior
    ? eligible.find((r) => prior.target === JOBADDER_TARGETS[r.kind] && r.id === priorId(prior))
    : undefined;
  if (priorRecord) {
    trace.skipped(
      'JA-DUP-1',
      `The ${noun} is already logged on ${describe(priorRecord)}; later events update it there.`,
    );
    return { record: priorRecord };
  }

  const ordered = [...eligible].sort(mostRecentFirst);
  const [first] = ordered;
  if (!first) return { body: nothing() };
  if (ordered.length === 1) {
    trace.skipped('JA-DUP-1', `Only ${describe(first)} holds the number.`);
    return { record: first };
  }

  const contacts = eligible.filter((r) => r.kind === 'contact');
  const candidates = eligible.filter((r) => r.kind === 'candidate');
  const dupGroups = [contacts, candidates].filter((g) => g.length > 1);
  const list = ordered.map((r) => `${describe(r)} updated ${r.updatedAt}`).join('; ');
  if (dupGroups.length === 0) {
    trace.applied(
      'JA-DUP-1',
      `A contact and a candidate hold the number (${list}); they are not duplicates of each other, so the ${noun} is logged once, on the more recently updated: ${describe(first)}.`,
    );
    return { record: first };
  }
  const dupText = dupGroups.map((g) => `${g.length} ${g[0]?.kind}s`).join(' and ');
  if (settings.duplicates === 'nothing') {
    trace.stopped(
      'JA-DUP-1',
      `${dupText} share the number (${list}) and duplicate handling is set to "do nothing": the ${noun} is not logged.`,
    );
    return { body: { outcome: 'nothing', writes: [], recordId: null, unmatched: false } };
  }
  trace.applied(
    'JA-DUP-1',
    `${dupText} share the number (${list}); duplicate handling is set to "most recent": logged on ${describe(first)}.`,
  );
  return { record: first };
}

function updatedMs(r: CrmRecord): number {
  const t = Date.parse(r.updatedAt);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** Most recently updated first; ties by kind then id, so the choice never depends on the lookup's order. */
function mostRecentFirst(a: JobadderRecord, b: JobadderRecord): number {
  const byTime = updatedMs(b) - updatedMs(a);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function idFieldOf(record: JobadderRecord): 'contactId' | 'candidateId' {
  return record.kind === 'contact' ? 'contactId' : 'candidateId';
}

/** The record id as the note write carries it (`POST /contacts/{contactId}/notes`, `/candidates/{candidateId}/notes`). */
function recordIdField(record: JobadderRecord): Record<string, string> {
  return { [idFieldOf(record)]: record.id };
}

function priorId(prior: { fields?: Record<string, unknown> }): string | null {
  const value = prior.fields?.contactId ?? prior.fields?.candidateId;
  return value === undefined || value === null ? null : String(value);
}

// ---------------------------------------------------------------- writes

/**
 * JA-SYNC-1: on each call, the JobAdder person found for the number is copied
 * into Aircall. Aircall allows one contact per number (seed 003), so an Aircall
 * contact already holding the number is overwritten, never duplicated. The
 * sync runs from the call's first event, so the agent sees the name while the
 * call is live (seed 003's install test: the contact shows in Aircall's cards).
 */
function contactSyncWrite(args: CallPlanArgs<JobadderSettings>, record: JobadderRecord): PlannedWrite | null {
  const { settings, ctx, trace, linked, call } = args;
  if (!settings.contactSync) {
    trace.skipped('JA-SYNC-1', 'Contact sync is off.');
    return null;
  }
  if (linked) {
    trace.skipped(
      'JA-SYNC-1',
      `The call was linked by an agent, not found by its number in JobAdder: ${describe(record)} is not copied into Aircall.`,
    );
    return null;
  }
  const fields = toAircallContactFromJobadder(record, readJobadderRecordFacts(record), {
    defaultCountry: settings.defaultCountry,
    externalE164: args.externalE164,
  });
  const rules = ['JA-SYNC-1'];
  const holder = ctx.aircallContact ?? null;
  if (holder) {
    trace.applied(
      'JA-SYNC-1',
      `Aircall contact ${holder.id} already holds the number; Aircall allows no duplicates, so it is overwritten with the details of ${describe(record)}.`,
    );
    return {
      ref: AIRCALL_CONTACT_REF,
      op: 'update',
      target: JOBADDER_TARGETS.aircallContact,
      id: String(holder.id),
      fields: { ...fields },
      links: [],
      rules,
    };
  }
  const write = writeFor(ctx, AIRCALL_CONTACT_REF, JOBADDER_TARGETS.aircallContact, { ...fields }, rules);
  trace.applied(
    'JA-SYNC-1',
    write.op === 'create'
      ? `No Aircall contact holds the number yet: one is created from ${describe(record)} (call ${call.id}).`
      : // The contact may have been created or overwritten by this call's first run: say neither.
        `Aircall contact ${write.id}, already synced for this call, is updated from ${describe(record)}.`,
  );
  return write;
}

/**
 * GEN-EMAIL-1: the note is credited to the JobAdder user whose email is the
 * Aircall agent's (case-insensitive); otherwise JobAdder credits the API user,
 * i.e. the installer.
 */
function createdBy(
  args: CommonArgs,
  agent: CallState['user'] | MessageState['user'],
  noun: string,
): { createdBy?: { userId: string; email: string | null } } {
  const user = crmUserFor(agent, args.ctx.users);
  if (user) {
    args.trace.applied(
      'GEN-EMAIL-1',
      `Aircall user ${agent?.name ?? agent?.id} matches JobAdder user ${user.name} by email: the ${noun} note is credited to them.`,
    );
    return { createdBy: { userId: user.id, email: user.email } };
  }
  args.trace.skipped(
    'GEN-EMAIL-1',
    agent
      ? `No active JobAdder user has the email of Aircall user ${agent.name ?? agent.id} (${agent.email ?? 'no email'}): the note is credited to the installer.`
      : `No Aircall user on this ${noun}: the note is credited to the installer.`,
  );
  return {};
}

/**
 * GEN-REQ-1: required custom fields stop record creates and updates. This
 * integration never creates nor updates a JobAdder contact or candidate, only
 * adds notes to existing ones, so they do not concern it; should JobAdder
 * still refuse a note on this record for a required field (ctx.blockedCreates),
 * there is no other place in JobAdder for it: the trace names the field, and
 * the doctor does too. True when the note cannot be created.
 */
function requiredFieldBlocks(
  ctx: PlannerContext,
  target: string,
  record: JobadderRecord,
  trace: TraceBuilder,
): boolean {
  const blocked = ctx.blockedCreates?.filter((b) => b.target === target) ?? [];
  if (blocked.length === 0) {
    trace.skipped(
      'GEN-REQ-1',
      'Only a note is added to an existing JobAdder record, which is never created or updated here, so its required custom fields do not stop logging.',
    );
    return false;
  }
  trace.stopped(
    'GEN-REQ-1',
    `JobAdder refuses notes on ${describe(record)} because the required field ${blocked.map((b) => b.field).join(', ')} is empty; JobAdder has no other place for the note, so it is not written. Fill the field or make it optional.`,
  );
  return true;
}

// ---------------------------------------------------------------- words

function describe(record: JobadderRecord): string {
  return `${record.kind} ${record.id} (${record.name})`;
}

function insightsSentence(call: CallState, settings: JobadderSettings): string {
  const parts: string[] = [];
  if (!call.recording) parts.push('no recording');
  else
    parts.push(
      settings.logRecordingLink ? 'recording link included' : 'recording link left out (setting off)',
    );
  const hasAi = call.ai.summary !== null || call.ai.topics.length > 0;
  if (!settings.logAiInsights) parts.push('AI insights left out (setting off)');
  else parts.push(hasAi ? 'AI summary and key topics included' : 'no AI insights for this call');
  return `${parts.join('; ')}.`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function hoursAfter(sentAt: number, note: JobadderNoteFacts): string {
  return `${Math.round(((sentAt - note.updatedAt) / 3600_000) * 10) / 10} h`;
}
