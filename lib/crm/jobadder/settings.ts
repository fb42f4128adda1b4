/**
 * Settings of a JobAdder integration (SPEC section 6, seed 003 "Explication des
 * paramètres d'intégration"): call logging, SMS logging, duplicates, contact
 * sync, plus what JobAdder's API needs to write a note (API-CONTRACTS 4.2).
 */
import { z } from 'zod';
import { choice, generalSettingsShape } from '../../logging/settings.ts';

/** JA-SMS-1: the three SMS modes of seed 003 ("conversation", "une note pour chaque SMS", "ne pas enregistrer"). */
export const SMS_MODES = ['conversation', 'note_per_sms', 'none'] as const;
export type SmsMode = (typeof SMS_MODES)[number];

/** JA-DUP-1: "enregistrer le contenu dans l'élément le plus récent" or "ne rien faire". */
export const DUPLICATE_MODES = ['most_recent', 'nothing'] as const;
export type DuplicateMode = (typeof DUPLICATE_MODES)[number];

/**
 * JobAdder's note `type` is capped at 50 characters (AddContactNoteCommand,
 * API-CONTRACTS 4.2) and must be one of the account's note type names
 * (`GET /contacts/lists/notetype`, `GET /candidates/lists/notetype`): the
 * dashboard offers that list; the engine only checks the length.
 */
const noteTypeName = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must name one of the account's JobAdder note types`)
    .max(50, `${what} must be at most 50 characters (JobAdder's limit on a note type)`);

export const jobadderSettingsSchema = z.object({
  crm: z.literal('jobadder'),
  ...generalSettingsShape,
  /** JA-CALL-1: put the AI summary and key topics (Aircall AI) into the call note. */
  logAiInsights: z.boolean().default(true),
  /** JA-CALL-1: put the link to the call recording into the call note. */
  logRecordingLink: z.boolean().default(true),
  /** JA-SMS-1: one conversation note, one note per SMS, or no SMS at all. */
  smsMode: choice(SMS_MODES, 'SMS logging', 'JA-SMS-1').default('conversation'),
  /** JA-DUP-1: what to do when two contacts or two candidates share the number. */
  duplicates: choice(DUPLICATE_MODES, 'duplicate handling', 'JA-DUP-1').default('most_recent'),
  /** JA-SYNC-1: copy the JobAdder contact/candidate found for a call into Aircall's contacts. */
  contactSync: z.boolean().default(false),
  /**
   * JA-SMS-1 "la note ne dépasse pas la limite maximale de caractères de
   * JobAdder": JobAdder publishes no such limit (its OpenAPI gives `text` no
   * maxLength, API-CONTRACTS 4.3), so it is a setting. 10,000 is a defensive
   * guess that keeps notes readable; raise it once a sandbox shows more is
   * accepted. Call notes are cut to it too.
   */
  maxNoteLength: z
    .number()
    .int('maxNoteLength must be a whole number of characters')
    .positive('maxNoteLength must be positive')
    .default(10_000),
  /** JA-CALL-1: the JobAdder note type of call notes. */
  noteType: noteTypeName('noteType').default('Call'),
  /** JA-SMS-1: the JobAdder note type of SMS notes (JobAdder flags one type as its SMS default). */
  smsNoteType: noteTypeName('smsNoteType').default('SMS'),
});

/** A JobAdder integration's settings, defaults filled in. */
export type JobadderSettings = z.infer<typeof jobadderSettingsSchema>;
