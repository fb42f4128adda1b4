/**
 * What the JobAdder planner reads beyond the generic inputs: `CrmRecord.extra`
 * of a JobAdder contact or candidate, and `PlannerContext.crmFacts`. The
 * backend fills them from JobAdder's API (API-CONTRACTS 4.2); the schemas are
 * lenient (a malformed fact is dropped, never thrown) because the planner must
 * still log the call with what it has.
 */
import { z } from 'zod';
import type { CrmRecord, PlannerContext } from '../../logging/plan-types.ts';

/** `CrmRecord.kind` of a JobAdder record: notes go on contacts and candidates only (JA-CALL-1). */
export const JOBADDER_RECORD_KINDS = ['contact', 'candidate'] as const;
export type JobadderRecordKind = (typeof JOBADDER_RECORD_KINDS)[number];

export function isJobadderRecordKind(kind: string): kind is JobadderRecordKind {
  return (JOBADDER_RECORD_KINDS as readonly string[]).includes(kind);
}

/** UNIX ms, or an ISO 8601 string as JobAdder returns `updatedAt`. */
const instantMs = z.union([
  z.number(),
  z
    .string()
    .transform((s) => Date.parse(s))
    .pipe(z.number()),
]);

/**
 * A note this integration wrote and keeps writing to: the current SMS
 * conversation note of a record (JA-SMS-1), or a note named in ctx.existing.
 * From `GET /notes/{noteId}` (NoteModel: noteId, text, updatedAt, reference),
 * the note id being the one the backend recorded for its last SMS write on
 * that record; or, without it, from
 * `GET /contacts/{id}/notes?Type=<smsNoteType>&Sort=-updatedAt` (candidates
 * alike), the newest note whose `reference` starts with `aircall:sms:`.
 */
export const jobadderNoteFactsSchema = z.object({
  noteId: z.coerce.string().min(1),
  /** When the note was last changed, UNIX ms (NoteModel.updatedAt, or createdAt if never updated). */
  updatedAt: instantMs,
  /** The note's text as JobAdder holds it now. */
  text: z.string(),
  /**
   * Aircall message ids already in the note, if the backend keeps them; the
   * planner also reads them from the text's lines (mapper.ts), so this is
   * optional.
   */
  messageIds: z.array(z.coerce.string()).catch([]).default([]),
  /** The note's `reference` (our `aircall:sms:<id>` of the message that started it). */
  reference: z.string().nullish().catch(null),
});
export type JobadderNoteFacts = z.infer<typeof jobadderNoteFactsSchema>;

/**
 * `CrmRecord.extra` of a JobAdder contact or candidate. The person fields come
 * from `GET /search/phonenumber?E164=...` (MatchedByPhoneNumberModel: each
 * contact/candidate match has firstName, lastName, email, company, position,
 * updatedAt); JA-SYNC-1 copies them into Aircall. `smsConversation` is the
 * note described on `jobadderNoteFactsSchema`, or null when this integration
 * has no SMS note with the record yet.
 */
export const jobadderRecordFactsSchema = z.object({
  firstName: z.string().nullish().catch(null),
  lastName: z.string().nullish().catch(null),
  email: z.string().nullish().catch(null),
  /** The contact's company name (JobAdder gives an object with `name`; both forms are read). */
  company: z
    .union([z.string(), z.object({ name: z.string() }).transform((c) => c.name)])
    .nullish()
    .catch(null),
  position: z.string().nullish().catch(null),
  smsConversation: jobadderNoteFactsSchema.nullish().catch(null),
});
export type JobadderRecordFacts = z.infer<typeof jobadderRecordFactsSchema>;

/**
 * `PlannerContext.crmFacts` for JobAdder. `notes`: the current state of notes
 * named in ctx.existing (`GET /notes/{noteId}`), so that re-planning an SMS
 * already written into a conversation note that is no longer the record's
 * current one rewrites that note from its real text, not from the text this
 * message's last plan wrote (other SMS may have been merged in since).
 */
export const jobadderCrmFactsSchema = z.object({
  notes: z
    .array(z.unknown())
    .catch([])
    .default([])
    .transform((notes) =>
      notes.flatMap((n) => {
        const parsed = jobadderNoteFactsSchema.safeParse(n);
        return parsed.success ? [parsed.data] : [];
      }),
    ),
});
export type JobadderCrmFacts = z.infer<typeof jobadderCrmFactsSchema>;

/** The JobAdder facts of a record; malformed facts read as absent. */
export function readJobadderRecordFacts(record: CrmRecord): JobadderRecordFacts {
  const parsed = jobadderRecordFactsSchema.safeParse(record.extra ?? {});
  return parsed.success ? parsed.data : {};
}

/** The JobAdder facts of the context; malformed facts read as absent. */
export function readJobadderCrmFacts(ctx: PlannerContext): JobadderCrmFacts {
  const parsed = jobadderCrmFactsSchema.safeParse(ctx.crmFacts ?? {});
  return parsed.success ? parsed.data : { notes: [] };
}
