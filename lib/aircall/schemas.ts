/**
 * zod schemas for the Aircall objects the product reads (API-CONTRACTS 1.4,
 * 1.6, 1.7, 1.8). Lenient on fields the product ignores (unknown keys are
 * kept, most fields nullable: API-CONTRACTS 5.4), strict on the ones it
 * relies on: a call's `id`, `direction`, `started_at`; a message's `id`,
 * `direction`; an AI event's `call_id`.
 */
import { z } from 'zod';

const epochSeconds = z.number().int().nonnegative();
const text = z.string().nullish();

/**
 * Aircall sends `"user": {}` (and contact, number) when there is none
 * (API-CONTRACTS 1.4 example): an object without an id means "none".
 */
function optionalRef<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (v) => (v && typeof v === 'object' && !Array.isArray(v) && !('id' in v) ? null : v),
    schema.nullish(),
  );
}

export const aircallUserSchema = z.looseObject({
  id: z.number().int(),
  name: text,
  email: text,
  time_zone: text,
});
export type AircallUser = z.infer<typeof aircallUserSchema>;

export const aircallNumberSchema = z.looseObject({
  id: z.number().int(),
  name: text,
  digits: text,
  country: text,
  time_zone: text,
  open: z.boolean().nullish(),
  is_ivr: z.boolean().nullish(),
});
export type AircallNumber = z.infer<typeof aircallNumberSchema>;

const labelledValue = z.looseObject({ id: z.number().int().nullish(), label: text, value: z.string() });

export const aircallContactSchema = z.looseObject({
  id: z.number().int(),
  first_name: text,
  last_name: text,
  company_name: text,
  information: text,
  phone_numbers: z.array(labelledValue).nullish(),
  emails: z.array(labelledValue).nullish(),
  // In contact payloads these are UTC strings, not integers (API-CONTRACTS 1.3).
  created_at: z.union([z.string(), z.number()]).nullish(),
  updated_at: z.union([z.string(), z.number()]).nullish(),
});
export type AircallContact = z.infer<typeof aircallContactSchema>;

export const aircallTagSchema = z.looseObject({ id: z.number().int(), name: z.string() });

export const aircallCommentSchema = z.looseObject({
  id: z.number().int(),
  content: z.string(),
  posted_at: epochSeconds.nullish(),
  posted_by: optionalRef(aircallUserSchema),
});

export const aircallParticipantSchema = z.looseObject({
  type: z.string(),
  id: z.union([z.number(), z.string()]).nullish(),
  name: text,
  phone_number: text,
});

export const aircallCallSchema = z.looseObject({
  id: z.number().int().positive(),
  call_uuid: text,
  sid: text,
  direction: z.enum(['inbound', 'outbound']),
  status: text,
  started_at: epochSeconds,
  answered_at: epochSeconds.nullish(),
  ended_at: epochSeconds.nullish(),
  duration: z.number().nullish(),
  missed_call_reason: text,
  hangup_cause: text,
  raw_digits: text,
  recording: text,
  recording_short_url: text,
  voicemail: text,
  voicemail_short_url: text,
  asset: text,
  archived: z.boolean().nullish(),
  number: optionalRef(aircallNumberSchema),
  user: optionalRef(aircallUserSchema),
  contact: optionalRef(aircallContactSchema),
  transferred_by: optionalRef(aircallUserSchema),
  transferred_to: optionalRef(aircallUserSchema),
  external_transferred_to: text,
  comments: z.array(aircallCommentSchema).nullish(),
  tags: z.array(aircallTagSchema).nullish(),
  participants: z.array(aircallParticipantSchema).nullish(),
});
export type AircallCall = z.infer<typeof aircallCallSchema>;

/** `call.ended` is the event calls are logged on: it must say when the call ended (API-CONTRACTS 5.4). */
export const aircallEndedCallSchema = aircallCallSchema.extend({ ended_at: epochSeconds });

/**
 * Message timestamps come as UNIX milliseconds or ISO strings
 * (API-CONTRACTS 1.7). Read both into UNIX ms; a small number is taken as
 * seconds, since some payloads of the same family use seconds.
 */
export const messageTime = z.union([z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v < 100_000_000_000 ? v * 1000 : v;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is neither UNIX milliseconds nor an ISO 8601 date` });
    return z.NEVER;
  }
  return ms;
});

const mediaItem = z.union([
  z.string(),
  z.looseObject({ presigned_url: text, file_name: text, file_type: text }),
]);

export const aircallMessageSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number().int()]).transform(String),
  direction: z.enum(['inbound', 'outbound']),
  body: text,
  status: text,
  channel: text,
  external_number: text,
  raw_digits: text,
  number: optionalRef(aircallNumberSchema),
  user: optionalRef(aircallUserSchema),
  contact: optionalRef(aircallContactSchema),
  created_at: messageTime.nullish(),
  sent_at: messageTime.nullish(),
  updated_at: messageTime.nullish(),
  media_url: z.array(z.string()).nullish(),
  media: z.array(mediaItem).nullish(),
});
export type AircallMessage = z.infer<typeof aircallMessageSchema>;

/**
 * Conversation Intelligence events (`summary.created`, `topics.created`,
 * `sentiment.created`, `action_item.created`...): `call_id` and `content`
 * (API-CONTRACTS 1.8). Only the summary's shape is documented; the others'
 * content is read leniently (string, list of strings, or objects with a
 * name/title/content/value).
 */
export const aircallAiSchema = z.looseObject({
  call_id: z.number().int().positive(),
  content: z.unknown().optional(),
});
export type AircallAi = z.infer<typeof aircallAiSchema>;
