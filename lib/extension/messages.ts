/**
 * The extension's one message protocol (STYLE.md 5): a single map of message
 * name to zod request and response schemas. Content scripts and the options
 * page send; the background (the only network client, EXT-AUTH-1) validates
 * what it receives and answers with the backend's reply, whose schema is the
 * REST contract's own (lib/api/contract-agent.ts): one place for each fact.
 * Only the agent routes' file: the whole contract's schemas would be built
 * each time the panel's module loads (issue 8).
 */
import { z } from 'zod';
import { AGENT_API } from '../api/contract-agent.ts';
import { CRMS } from '../logging/plan-types.ts';

/** One segment of the agent API's path: "." or ".." would climb out of it once the URL is resolved (issue 8). */
const segment = z
  .string()
  .min(1)
  .refine((s) => s !== '.' && s !== '..', 'must not be "." or ".."');
const record = z.object({ crm: z.enum(CRMS), objectType: segment, recordId: segment });
const callId = z.number().int().positive();
const none = z.object({}).strict();

export const MESSAGES = {
  /** Options page: check a backend URL and token before saving them (EXT-AUTH-1). */
  checkBackend: {
    request: z.object({ backendUrl: z.url({ protocol: /^https?$/ }), token: z.string().trim().min(1) }),
    response: AGENT_API.me.reply,
  },
  me: { request: none, response: AGENT_API.me.reply },
  recordActivity: { request: record, response: AGENT_API.recordActivity.reply },
  getCall: { request: z.object({ callId }), response: AGENT_API.getCall.reply },
  inbox: { request: none, response: AGENT_API.inbox.reply },
  linkCall: {
    request: z.object({ callId, record, addNumber: AGENT_API.linkCall.body.shape.addNumber }),
    response: AGENT_API.linkCall.reply,
  },
  addNote: {
    request: z.object({ callId, content: AGENT_API.addNote.body.shape.content }),
    response: AGENT_API.addNote.reply,
  },
  listTags: { request: none, response: AGENT_API.listTags.reply },
  addTag: {
    request: z.object({ callId, tagId: z.number().int().positive() }),
    response: AGENT_API.addTag.reply,
  },
  removeTag: {
    request: z.object({ callId, tagId: z.number().int().positive() }),
    response: AGENT_API.removeTag.reply,
  },
  listOutcomes: { request: none, response: AGENT_API.listOutcomes.reply },
  setOutcome: {
    request: z.object({ callId, outcomeId: z.string().min(1) }),
    response: AGENT_API.setOutcome.reply,
  },
  phoneFix: { request: z.object({ record, apply: z.boolean() }), response: AGENT_API.phoneFix.reply },
} as const;

export type MessageName = keyof typeof MESSAGES;
export type Req<N extends MessageName> = z.input<(typeof MESSAGES)[N]['request']>;
export type Res<N extends MessageName> = z.output<(typeof MESSAGES)[N]['response']>;

/**
 * Why a request did not succeed, in the panel's terms (EXT-OFF-1): the
 * backend cannot be reached, refuses the token, is not set up yet, or
 * answered with an error (its message and fix, API error shape); or the
 * browser stopped the service worker before it answered (`interrupted`: the
 * backend may or may not have done it).
 */
export const failureSchema = z.object({
  kind: z.enum(['offline', 'unauthorized', 'not_configured', 'api', 'extension', 'interrupted']),
  message: z.string(),
  fix: z.string().optional(),
  status: z.number().optional(),
});
export type Failure = z.infer<typeof failureSchema>;

/** What travels from a sender to the background. */
export const envelopeSchema = z.object({
  type: z.enum(Object.keys(MESSAGES) as [MessageName, ...MessageName[]]),
  payload: z.unknown(),
});

/** What the background answers: the reply, or a failure. */
export const answerSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), failure: failureSchema }),
]);
export type Answer = z.infer<typeof answerSchema>;

export type Result<T> = { ok: true; data: T } | { ok: false; failure: Failure };

/** Failures worth retrying on their own, with backoff (EXT-OFF-1): the rest need a person. */
export function isTransient(f: Failure): boolean {
  return (
    f.kind === 'offline' ||
    f.kind === 'unauthorized' ||
    f.kind === 'interrupted' ||
    (f.kind === 'api' && (f.status ?? 0) >= 500)
  );
}

/**
 * Messages that change nothing: sent again at once when the browser stopped
 * the service worker before it answered. The others (notes, tags, links...)
 * are never repeated blindly: the backend may have done them already.
 */
export const READ_ONLY: ReadonlySet<MessageName> = new Set([
  'checkBackend',
  'me',
  'recordActivity',
  'getCall',
  'inbox',
  'listTags',
  'listOutcomes',
]);
