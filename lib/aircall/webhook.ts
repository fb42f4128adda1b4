/**
 * The Aircall webhook envelope and the events the product uses
 * (API-CONTRACTS 1.3). `parseWebhook` tells a malformed body apart from an
 * event we simply ignore, and names the field that is wrong.
 */
import { z } from 'zod';
import {
  type AircallAi,
  type AircallCall,
  type AircallContact,
  type AircallMessage,
  type AircallNumber,
  type AircallUser,
  aircallAiSchema,
  aircallCallSchema,
  aircallContactSchema,
  aircallEndedCallSchema,
  aircallMessageSchema,
  aircallNumberSchema,
  aircallUserSchema,
} from './schemas.ts';

/** Call events (19, API-CONTRACTS 1.3). */
export const CALL_EVENTS = [
  'call.created',
  'call.ringing_on_agent',
  'call.agent_declined',
  'call.answered',
  'call.transferred',
  'call.external_transferred',
  'call.unsuccessful_transfer',
  'call.hungup',
  'call.ended',
  'call.hold',
  'call.unhold',
  'call.ivr_option_selected',
  'call.comm_assets_generated',
  'call.voicemail_left',
  'call.assigned',
  'call.archived',
  'call.tagged',
  'call.untagged',
  'call.commented',
] as const;
export type CallEventName = (typeof CALL_EVENTS)[number];

export const MESSAGE_EVENTS = ['message.sent', 'message.received', 'message.status_updated'] as const;
export type MessageEventName = (typeof MESSAGE_EVENTS)[number];

/** Conversation Intelligence events that carry a `call_id` (API-CONTRACTS 1.3, 1.8). */
export const AI_EVENTS = [
  'summary.created',
  'topics.created',
  'sentiment.created',
  'action_item.created',
  'transcription.created',
  'custom_summary.result_created',
  'custom_summary.result_updated',
] as const;
export type AiEventName = (typeof AI_EVENTS)[number];

export const CONTACT_EVENTS = ['contact.created', 'contact.updated', 'contact.deleted'] as const;
export const NUMBER_EVENTS = ['number.created', 'number.opened', 'number.closed', 'number.deleted'] as const;
/** User events, v2 (preferred) and v1 (deprecated) names. */
export const USER_EVENTS = [
  'user.created',
  'user.deleted',
  'user.connected',
  'user.disconnected',
  'user.opened',
  'user.closed',
  'user.wut_start',
  'user.wut_end',
].flatMap((e) => [e, `${e}.v2`]);

export const webhookEnvelopeSchema = z.looseObject({
  resource: z.string().min(1),
  event: z.string().regex(/^[a-z_]+(\.[a-z_0-9]+)+$/, 'expected an Aircall event name such as "call.ended"'),
  /** UNIX seconds (UTC) when the payload was built. */
  timestamp: z.number().int().nonnegative(),
  /** The token of the webhook that sent the event: our only proof of origin (no signature exists). */
  token: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

interface Meta<E extends string> {
  event: E;
  timestamp: number;
  token: string;
}

export type CallEvent = Meta<CallEventName> & { family: 'call'; data: AircallCall };
export type MessageEvent = Meta<MessageEventName> & { family: 'message'; data: AircallMessage };
export type AiEvent = Meta<AiEventName> & { family: 'ai'; data: AircallAi };
export type ContactEvent = Meta<string> & { family: 'contact'; data: AircallContact };
export type NumberEvent = Meta<string> & { family: 'number'; data: AircallNumber };
export type UserEvent = Meta<string> & { family: 'user'; data: AircallUser };
/** Any other well-formed event (analytics, group messages, ...): accepted, stored, not used. */
export type OtherEvent = Meta<string> & { family: 'other'; data: Record<string, unknown> };

export type WebhookEvent =
  CallEvent | MessageEvent | AiEvent | ContactEvent | NumberEvent | UserEvent | OtherEvent;

export interface WebhookProblem {
  /** Dotted path of the wrong field, e.g. "data.started_at". */
  field: string;
  message: string;
}

export type WebhookParse =
  { ok: true; event: WebhookEvent } | { ok: false; problems: WebhookProblem[]; message: string };

function includes<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** Validate an Aircall webhook body. */
export function parseWebhook(body: unknown): WebhookParse {
  const envelope = webhookEnvelopeSchema.safeParse(body);
  if (!envelope.success) return failure(envelope.error, []);
  const { event, timestamp, token, data } = envelope.data;
  const meta = { timestamp, token };

  const parsed = parseData(event, data);
  if (!parsed) return { ok: true, event: { family: 'other', event, ...meta, data } };
  if (!parsed.result.success) return failure(parsed.result.error, ['data']);
  return {
    ok: true,
    event: { family: parsed.family, event, ...meta, data: parsed.result.data } as WebhookEvent,
  };
}

function parseData(event: string, data: Record<string, unknown>) {
  if (event === 'call.ended')
    return { family: 'call' as const, result: aircallEndedCallSchema.safeParse(data) };
  if (includes(CALL_EVENTS, event))
    return { family: 'call' as const, result: aircallCallSchema.safeParse(data) };
  if (includes(MESSAGE_EVENTS, event))
    return { family: 'message' as const, result: aircallMessageSchema.safeParse(data) };
  if (includes(AI_EVENTS, event)) return { family: 'ai' as const, result: aircallAiSchema.safeParse(data) };
  if (includes(CONTACT_EVENTS, event))
    return { family: 'contact' as const, result: aircallContactSchema.safeParse(data) };
  if (includes(NUMBER_EVENTS, event))
    return { family: 'number' as const, result: aircallNumberSchema.safeParse(data) };
  if (USER_EVENTS.includes(event))
    return { family: 'user' as const, result: aircallUserSchema.safeParse(data) };
  return null;
}

function failure(error: z.ZodError, prefix: string[]): WebhookParse {
  const problems = error.issues.map((issue) => ({
    field: [...prefix, ...issue.path.map(String)].join('.') || '(body)',
    message: issue.message,
  }));
  const message = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return { ok: false, problems, message };
}

/** The call an event belongs to, for grouping events before folding. */
export function callIdOf(event: WebhookEvent): number | null {
  if (event.family === 'call') return event.data.id;
  if (event.family === 'ai') return event.data.call_id;
  return null;
}
