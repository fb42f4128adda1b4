/**
 * Lenient zod schemas for Aircall's REST answers (API-CONTRACTS 1.4-1.9),
 * built on the object schemas of schemas.ts: unknown keys kept, most fields
 * nullable (API-CONTRACTS 5.4). The Call API names two fields differently
 * from the webhooks (`sid` / `call_uuid`, `conference_participants` /
 * `participants`, API-CONTRACTS 1.3); `fromApiCall` gives calls read through
 * the API the webhook names too, so the rest of the product reads one shape.
 */
import { z } from 'zod';
import {
  aircallCallSchema,
  aircallContactSchema,
  aircallNumberSchema,
  aircallTagSchema,
  aircallUserSchema,
} from './schemas.ts';

/** Page-number pagination meta; only `next_page_link` is relied on (API-CONTRACTS 1.6). */
export const pageMetaSchema = z.looseObject({
  next_page_link: z.string().nullish(),
  previous_page_link: z.string().nullish(),
  total: z.number().nullish(),
  count: z.number().nullish(),
  current_page: z.number().nullish(),
  per_page: z.number().nullish(),
});

/** The webhook field names for a call read through the API (a named mapper, STYLE.md 7). */
export function fromApiCall(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const call = raw as Record<string, unknown>;
  return {
    ...call,
    call_uuid: call.call_uuid ?? call.sid ?? null,
    participants: call.participants ?? call.conference_participants ?? null,
  };
}

/** A call from `GET /v1/calls/:id` or a calls page, in webhook naming. */
export const apiCallSchema = z.preprocess(fromApiCall, aircallCallSchema);

/** A company tag (`{id, name, color, description}`, API-CONTRACTS 1.4). */
export const apiTagSchema = aircallTagSchema.extend({
  color: z.string().nullish(),
  description: z.string().nullish(),
});
export type AircallTag = z.infer<typeof apiTagSchema>;

/** A webhook subscription (API-CONTRACTS 1.3; fields beyond `webhook_id` are [unverified]). */
export const apiWebhookSchema = z.looseObject({
  webhook_id: z.string().min(1),
  token: z.string().nullish(),
  url: z.string().nullish(),
  events: z.array(z.string()).nullish(),
  active: z.boolean().nullish(),
  custom_name: z.string().nullish(),
  created_at: z.string().nullish(),
});
export type AircallWebhook = z.infer<typeof apiWebhookSchema>;

/** A webhook just created: its token is the only proof of origin of its events (API-CONTRACTS 1.3), so it must be there. */
export const createdWebhookSchema = apiWebhookSchema.extend({ token: z.string().min(1) });
export type AircallCreatedWebhook = z.infer<typeof createdWebhookSchema>;

/**
 * `GET /v1/calls/:id/summary`: "a single content string" (API-CONTRACTS
 * 1.8). Anything else in `content` is kept as JSON text rather than refused.
 */
export const apiSummarySchema = z.looseObject({
  call_id: z.number().int().nullish(),
  content: z.unknown().transform((v) => (typeof v === 'string' ? v : JSON.stringify(v ?? null))),
});
export type AircallSummary = z.infer<typeof apiSummarySchema>;

/** A one-object answer, `{<key>: object}`. */
export function single<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.looseObject({ [key]: schema } as Record<K, T>);
}

/** A page of a list, `{<key>: [...], meta}`. */
export function page<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.looseObject({ [key]: z.array(schema), meta: pageMetaSchema.nullish() } as Record<
    K,
    z.ZodArray<T>
  > & { meta: z.ZodOptional<z.ZodNullable<typeof pageMetaSchema>> });
}

export const callResponse = single('call', apiCallSchema);
export const callsPage = page('calls', apiCallSchema);
export const tagsPage = page('tags', apiTagSchema);
export const summaryResponse = single('summary', apiSummarySchema);
export const contactResponse = single('contact', aircallContactSchema);
export const contactsPage = page('contacts', aircallContactSchema);
export const numberResponse = single('number', aircallNumberSchema);
export const numbersPage = page('numbers', aircallNumberSchema);
export const userResponse = single('user', aircallUserSchema);
export const usersPage = page('users', aircallUserSchema);
export const webhookResponse = single('webhook', createdWebhookSchema);
export const webhooksPage = page('webhooks', apiWebhookSchema);

/** Aircall's error body (API-CONTRACTS 1.9): some of error, troubleshoot, message, errors{field: [...]}. */
export const apiErrorSchema = z.looseObject({
  error: z.string().nullish(),
  troubleshoot: z.string().nullish(),
  message: z.string().nullish(),
  success: z.boolean().nullish(),
  errors: z.record(z.string(), z.unknown()).nullish(),
});
