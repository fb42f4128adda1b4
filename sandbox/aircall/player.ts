/**
 * The scenario player: plays a scripted call or message as Aircall would.
 * It stores the call (so `GET /v1/calls/:id`, comments and tags work on it
 * afterwards), builds its webhooks with lib/aircall/scenarios.ts, and sends
 * them to the company's subscribed webhooks, each with that webhook's token.
 * On request it adds re-deliveries of random events and shuffles the order
 * with a seed (API-CONTRACTS 5.4: duplicates and out-of-order delivery;
 * GEN-IDEM-1). Every distinct event is delivered at least once whatever the
 * options.
 *
 * `POST /_sandbox/scenarios/play` body (exactly one of call, message, scenario):
 * `{ company, call?: CallScript without token, message?: MessageScript without
 * token, scenario?: name, external?, callId?, duplicates?, shuffle?: boolean |
 * seed, spacingMs? }`; `GET /_sandbox/scenarios` lists the named scenarios.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type CallScript,
  callWebhooks,
  type MessageScript,
  messageWebhooks,
  type ScenarioNumber,
  type ScenarioUser,
} from '../../lib/aircall/scenarios.ts';
import type { WebhookEnvelope } from '../../lib/aircall/webhook.ts';
import { toE164 } from '../../lib/phone/e164.ts';
import { contactsWithPhone } from './contacts.ts';
import type { SimContext } from './context.ts';
import type { DeliveryRecord, OutgoingEvent } from './delivery.ts';
import { errorBody } from './errors.ts';
import { buildScenario, SCENARIO_NAMES, SCENARIOS, startSoItEndsBy } from './named-scenarios.ts';
import { contactJson, numberOpen } from './objects.ts';
import type { CompanyState } from './state.ts';

const userSchema = z.object({ id: z.number().int().positive(), name: z.string(), email: z.string() });
const numberSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  digits: z.string(),
  country: z.string(),
  time_zone: z.string(),
  is_ivr: z.boolean().optional(),
  open: z.boolean().optional(),
});

/** A CallScript without its token (each webhook's own is used); callId, startedAt and number get defaults. */
export const callScriptInputSchema = z.object({
  callId: z.number().int().positive().optional(),
  direction: z.enum(['inbound', 'outbound']),
  external: z.string().min(1),
  /** Default: the company's first number. */
  number: numberSchema.optional(),
  /** UNIX seconds; by default the call is placed so that its last event is just before now on the simulator's clock. */
  startedAt: z.number().int().nonnegative().optional(),
  answerAfter: z.number().nonnegative().optional(),
  talk: z.number().nonnegative(),
  user: userSchema.optional(),
  transferTo: z
    .object({ user: userSchema, after: z.number().nonnegative(), answers: z.boolean() })
    .optional(),
  externalTransferTo: z.string().optional(),
  voicemail: z.boolean().optional(),
  missedCallReason: z.string().optional(),
  hangupCause: z.string().optional(),
  tags: z
    .array(z.object({ id: z.number().int().positive(), name: z.string(), by: userSchema.optional() }))
    .optional(),
  comments: z
    .array(z.object({ id: z.number().int().positive(), content: z.string(), by: userSchema }))
    .optional(),
  summary: z.string().optional(),
  topics: z.array(z.string()).optional(),
  conferenceWith: z.array(z.string()).optional(),
});

/** A MessageScript without its token; messageId, number and at get defaults. */
export const messageScriptInputSchema = z.object({
  messageId: z.string().min(1).optional(),
  direction: z.enum(['inbound', 'outbound']),
  external: z.string().min(1),
  number: numberSchema.optional(),
  body: z.string(),
  /** UNIX ms; default five seconds ago on the simulator's clock. */
  at: z.number().int().nonnegative().optional(),
  user: userSchema.optional(),
  isoTimes: z.boolean().optional(),
});

export const playRequestSchema = z
  .object({
    company: z.number().int().positive(),
    call: callScriptInputSchema.optional(),
    message: messageScriptInputSchema.optional(),
    scenario: z.enum(SCENARIO_NAMES).optional(),
    /** With `scenario`: the other party (default a French mobile) and the call id (default the next free one). */
    external: z.string().min(1).optional(),
    callId: z.number().int().positive().optional(),
    /** Extra re-deliveries of randomly chosen events. */
    duplicates: z.number().int().min(0).max(1000).default(0),
    /** Shuffle the events: true (random seed) or a seed, for a reproducible order. */
    shuffle: z.union([z.boolean(), z.number().int()]).default(false),
    /** Pause between two events. */
    spacingMs: z.number().int().min(0).max(60_000).default(0),
  })
  .refine((b) => [b.call, b.message, b.scenario].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of "call", "message" or "scenario"',
  });
export type PlayRequest = z.input<typeof playRequestSchema>;

export interface PlayResult {
  company: number;
  scenario: string | null;
  callId: number | null;
  messageId: string | null;
  /** Distinct events of the script. */
  events: number;
  /** Events sent, re-deliveries included, in the order sent. */
  sent: string[];
  /** The seed of the duplicates and shuffle, to replay the same order. */
  seed: number;
  /** First attempts of every send (retries continue in the background; see flush()). */
  deliveries: DeliveryRecord[];
}

/** A play request the simulator cannot honour: `status` and Aircall-shaped reason. */
export class PlayError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** mulberry32: a small seeded PRNG, so a shuffle can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The send order: every item once, plus `duplicates` re-deliveries of random
 * items. Unshuffled, a re-delivery comes after its original (at-least-once);
 * shuffled, everything is in a random order.
 */
export function arrange<T>(items: T[], duplicates: number, shuffle: boolean, random: () => number): T[] {
  const out = [...items];
  if (items.length === 0) return out;
  for (let i = 0; i < duplicates; i++) {
    const index = Math.floor(random() * items.length);
    const item = items[index] as T;
    const after = out.indexOf(item);
    const at = after + 1 + Math.floor(random() * (out.length - after));
    out.splice(at, 0, item);
  }
  if (shuffle) {
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
  }
  return out;
}

function firstNumber(company: CompanyState, nowMs: number): ScenarioNumber {
  const n = company.numbers.values().next().value;
  if (!n) throw new PlayError(400, `company ${company.id} has no number: seed one first`);
  return {
    id: n.id,
    name: n.name,
    digits: n.digits,
    country: n.country,
    time_zone: n.time_zone,
    is_ivr: n.is_ivr,
    open: numberOpen(n, nowMs),
  };
}

function users(company: CompanyState): ScenarioUser[] {
  return [...company.users.values()].map((u) => ({ id: u.id, name: u.name, email: u.email }));
}

/** The Aircall contact of `external`, attached to events as Aircall does for a known number. */
function contactFor(
  company: CompanyState,
  external: string,
  country: string,
): Record<string, unknown> | null {
  const parsed = toE164(external, country);
  if (!parsed.ok) return null;
  const match = contactsWithPhone(company, parsed.e164)[0];
  return match ? contactJson(match) : null;
}

function outgoing(e: WebhookEnvelope): OutgoingEvent {
  return { resource: e.resource, event: e.event, timestamp: e.timestamp, data: e.data };
}

/** Build, store and send one play request. */
export async function play(ctx: SimContext, input: PlayRequest): Promise<PlayResult> {
  const req = playRequestSchema.parse(input);
  const company = ctx.state.company(req.company);
  if (!company) throw new PlayError(404, `company ${req.company} is not seeded`);
  const nowMs = ctx.clock.now();
  let call: CallScript | null = null;
  let message: MessageScript | null = null;

  if (req.scenario) {
    const built = buildScenario(req.scenario, {
      number: firstNumber(company, nowMs),
      users: users(company),
      ...(req.external === undefined ? {} : { external: req.external }),
      callId: req.callId ?? ctx.state.callId(),
      messageId: `sandbox-msg-${nowMs.toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`,
      nowMs,
    });
    if ('error' in built) throw new PlayError(400, built.error);
    if (built.kind === 'call') call = built.script;
    else message = built.script;
  } else if (req.call) {
    const { callId, number, startedAt, ...rest } = req.call;
    const script: CallScript = {
      ...rest,
      token: 'sandbox',
      callId: callId ?? ctx.state.callId(),
      number: number ?? firstNumber(company, nowMs),
      startedAt: startedAt ?? 0,
    };
    call = startedAt === undefined ? { ...script, startedAt: startSoItEndsBy(script, nowMs) } : script;
  } else if (req.message) {
    const { messageId, number, at, ...rest } = req.message;
    message = {
      ...rest,
      token: 'sandbox',
      messageId: messageId ?? `sandbox-msg-${nowMs.toString(36)}`,
      number: number ?? firstNumber(company, nowMs),
      at: at ?? nowMs - 5_000,
    };
  }

  let envelopes: WebhookEnvelope[];
  if (call) {
    ctx.state.noteIds('call', call.callId);
    envelopes = callWebhooks(call);
    const contact = contactFor(company, call.external, call.number.country);
    if (contact) for (const e of envelopes) if (e.resource === 'call') e.data.contact = contact;
    storeCall(company, call, envelopes);
  } else if (message) {
    envelopes = messageWebhooks(message);
    const contact = contactFor(company, message.external, message.number.country);
    if (contact) for (const e of envelopes) e.data.contact = contact;
    const last = envelopes[envelopes.length - 1];
    if (last) company.messages.set(message.messageId, structuredClone(last.data));
  } else {
    throw new PlayError(400, 'give exactly one of "call", "message" or "scenario"');
  }

  const seed = typeof req.shuffle === 'number' ? req.shuffle : Math.floor(Math.random() * 2 ** 31);
  const order = arrange(envelopes, req.duplicates, req.shuffle !== false, seededRandom(seed));
  const deliveries: DeliveryRecord[] = [];
  for (const [i, envelope] of order.entries()) {
    if (i > 0 && req.spacingMs > 0) await new Promise((r) => setTimeout(r, req.spacingMs));
    deliveries.push(...(await ctx.deliverer.emit(company, outgoing(envelope))));
  }
  return {
    company: company.id,
    scenario: req.scenario ?? null,
    callId: call?.callId ?? null,
    messageId: message?.messageId ?? null,
    events: envelopes.length,
    sent: order.map((e) => e.event),
    seed,
    deliveries,
  };
}

/** The call as its last call event shows it, and its AI summary, for the REST routes. */
function storeCall(company: CompanyState, script: CallScript, envelopes: WebhookEnvelope[]): void {
  const lastCall = envelopes.filter((e) => e.resource === 'call').at(-1);
  if (!lastCall) return;
  company.calls.set(script.callId, { ...structuredClone(lastCall.data), id: script.callId });
  if (script.summary !== undefined) company.summaries.set(script.callId, script.summary);
}

export function registerPlayerRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/_sandbox/scenarios', async () => ({
    scenarios: SCENARIO_NAMES.map((name) => ({ name, description: SCENARIOS[name].description })),
  }));

  app.post('/_sandbox/scenarios/play', async (req, reply) => {
    const parsed = playRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send(errorBody(400, z.prettifyError(parsed.error).replace(/\n/g, '; ')));
    }
    try {
      return await play(ctx, parsed.data);
    } catch (err) {
      if (err instanceof PlayError) return reply.code(err.status).send(errorBody(err.status, err.message));
      throw err;
    }
  });
}
