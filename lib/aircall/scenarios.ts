/**
 * Realistic Aircall webhook sequences for scripted calls and messages, as
 * Aircall sends them (API-CONTRACTS 1.3-1.8): every event carries the whole
 * call as it was at that moment. Used by tests, and by the sandbox's
 * scenario player to post them to the backend (with duplicates and
 * reordering on request).
 */
import { type AiEvent, type CallEvent, parseWebhook, type WebhookEnvelope } from './webhook.ts';

export interface ScenarioUser {
  id: number;
  name: string;
  email: string;
}

export interface ScenarioNumber {
  id: number;
  name: string;
  digits: string;
  country: string;
  time_zone: string;
  is_ivr?: boolean;
  open?: boolean;
}

export interface CallScript {
  callId: number;
  token: string;
  direction: 'inbound' | 'outbound';
  /** The other party, as Aircall shows it, e.g. "+33 6 12 34 56 78". */
  external: string;
  number: ScenarioNumber;
  /** UNIX seconds. */
  startedAt: number;
  /** Seconds of ringing before the answer; omit for an unanswered call. */
  answerAfter?: number;
  /** Seconds of conversation (or of ringing, unanswered). */
  talk: number;
  user?: ScenarioUser;
  /** A transfer to this user after `transferAfter` seconds of conversation; `answers` says if B picks up. */
  transferTo?: { user: ScenarioUser; after: number; answers: boolean };
  externalTransferTo?: string;
  voicemail?: boolean;
  missedCallReason?: string;
  hangupCause?: string;
  tags?: { id: number; name: string; by?: ScenarioUser }[];
  comments?: { id: number; content: string; by: ScenarioUser }[];
  summary?: string;
  topics?: string[];
  /** Extra users and externals on the line (conference). */
  conferenceWith?: string[];
}

function userJson(u: ScenarioUser) {
  return {
    id: u.id,
    direct_link: `https://api.aircall.io/v1/users/${u.id}`,
    name: u.name,
    email: u.email,
    available: true,
    availability_status: 'available',
  };
}

/** The webhooks of one call, in the order Aircall would send them. */
export function callWebhooks(s: CallScript): WebhookEnvelope[] {
  const events: WebhookEnvelope[] = [];
  const answered = s.answerAfter !== undefined;
  const answeredAt = answered ? s.startedAt + (s.answerAfter ?? 0) : null;
  const endedAt = (answeredAt ?? s.startedAt) + s.talk;
  let user: ScenarioUser | undefined = answered ? s.user : s.direction === 'outbound' ? s.user : undefined;
  let tags: { id: number; name: string }[] = [];
  let comments: { id: number; content: string; posted_at: number; posted_by: ReturnType<typeof userJson> }[] =
    [];
  const transfer: Record<string, unknown> = {};
  let recording: string | null = null;
  let voicemail: string | null = null;
  let asset: string | null = null;
  let missed: string | null = null;
  let status = 'initial';
  let ended: number | null = null;

  const snapshot = (event: string, at: number): WebhookEnvelope => ({
    resource: 'call',
    event,
    timestamp: at,
    token: s.token,
    data: {
      id: s.callId,
      direct_link: `https://api.aircall.io/v1/calls/${s.callId}`,
      call_uuid: `CA${s.callId.toString(16).padStart(30, '0')}`,
      direction: s.direction,
      status,
      missed_call_reason: missed,
      started_at: s.startedAt,
      answered_at: at >= (answeredAt ?? Number.POSITIVE_INFINITY) ? answeredAt : null,
      ended_at: ended,
      duration: ended === null ? 0 : ended - s.startedAt,
      cost: '0',
      hangup_cause: ended === null ? null : (s.hangupCause ?? null),
      voicemail,
      recording,
      asset,
      raw_digits: s.external,
      archived: false,
      participants: [
        { type: 'external', phone_number: s.external },
        ...(user ? [{ type: 'user', id: user.id, name: user.name }] : []),
        ...(s.conferenceWith ?? []).map((p) => ({ type: 'external', phone_number: p })),
      ],
      user: user ? userJson(user) : {},
      contact: {},
      number: {
        id: s.number.id,
        direct_link: `https://api.aircall.io/v1/numbers/${s.number.id}`,
        name: s.number.name,
        digits: s.number.digits,
        country: s.number.country,
        time_zone: s.number.time_zone,
        open: s.number.open ?? true,
        is_ivr: s.number.is_ivr ?? false,
        availability_status: 'open',
      },
      tags,
      comments,
      teams: [],
      ...transfer,
    },
  });

  events.push(snapshot('call.created', s.startedAt));
  if (s.user && (answered || s.direction === 'inbound')) {
    events.push(snapshot('call.ringing_on_agent', s.startedAt + 1));
  }
  if (answered && answeredAt !== null) {
    status = 'answered';
    events.push(snapshot('call.answered', answeredAt));
  }
  if (s.transferTo && answeredAt !== null) {
    const at = answeredAt + s.transferTo.after;
    Object.assign(transfer, {
      transferred_by: s.user ? userJson(s.user) : null,
      transferred_to: userJson(s.transferTo.user),
    });
    if (s.transferTo.answers) user = s.transferTo.user;
    events.push(snapshot('call.transferred', at));
  }
  if (s.externalTransferTo && answeredAt !== null) {
    Object.assign(transfer, {
      external_transferred_to: s.externalTransferTo,
      external_caller_number: s.external,
    });
    events.push(snapshot('call.external_transferred', answeredAt + 1));
  }
  status = 'done';
  ended = endedAt;
  if (!answered && s.direction === 'inbound') missed = s.missedCallReason ?? 'no_available_agent';
  events.push(snapshot('call.hungup', endedAt));
  if (s.voicemail && !answered) {
    voicemail = `https://voicemails.aircall.io/${s.callId}.mp3`;
    events.push(snapshot('call.voicemail_left', endedAt + 20));
  }
  if (answered) recording = `https://recordings.aircall.io/${s.callId}.mp3`;
  events.push(snapshot('call.ended', endedAt + 30));
  if (recording || voicemail) {
    asset = `https://assets.aircall.io/calls/${s.callId}/${voicemail ? 'voicemail' : 'recording'}`;
    events.push(snapshot('call.comm_assets_generated', endedAt + 35));
  }
  let at = endedAt + 40;
  for (const tag of s.tags ?? []) {
    const by = tag.by ?? user;
    const before = user;
    if (by) user = by;
    tags = [...tags, { id: tag.id, name: tag.name }];
    events.push(snapshot('call.tagged', at++));
    user = before;
  }
  for (const c of s.comments ?? []) {
    comments = [...comments, { id: c.id, content: c.content, posted_at: at, posted_by: userJson(c.by) }];
    events.push(snapshot('call.commented', at++));
  }
  if (s.summary) {
    events.push({
      resource: 'summary',
      event: 'summary.created',
      timestamp: at++,
      token: s.token,
      data: { call_id: s.callId, content: s.summary },
    });
  }
  if (s.topics) {
    events.push({
      resource: 'topics',
      event: 'topics.created',
      timestamp: at,
      token: s.token,
      data: { call_id: s.callId, content: s.topics },
    });
  }
  return events;
}

export interface MessageScript {
  messageId: string;
  token: string;
  direction: 'inbound' | 'outbound';
  external: string;
  number: ScenarioNumber;
  body: string;
  /** UNIX ms. */
  at: number;
  user?: ScenarioUser;
  /** Send timestamps as ISO strings instead of UNIX ms (both occur, API-CONTRACTS 1.7). */
  isoTimes?: boolean;
}

/** The webhooks of one SMS: sent/received, then a status update. */
export function messageWebhooks(m: MessageScript): WebhookEnvelope[] {
  const time = (ms: number) => (m.isoTimes ? new Date(ms).toISOString() : ms);
  const data = (status: string) => ({
    id: m.messageId,
    direct_link: `https://api.aircall.io/v1/messages/${m.messageId}`,
    direction: m.direction,
    external_number: m.external,
    body: m.body,
    status,
    channel: null,
    created_at: time(m.at),
    sent_at: time(m.at),
    updated_at: time(m.at + 1000),
    number: { id: m.number.id, name: m.number.name, digits: m.number.digits, country: m.number.country },
    ...(m.user ? { user: userJson(m.user) } : {}),
    contact: null,
    media_url: [],
  });
  const first = m.direction === 'inbound' ? 'message.received' : 'message.sent';
  const seconds = Math.floor(m.at / 1000);
  return [
    {
      resource: 'message',
      event: first,
      timestamp: seconds,
      token: m.token,
      data: data(m.direction === 'inbound' ? 'received' : 'sent'),
    },
    {
      resource: 'message',
      event: 'message.status_updated',
      timestamp: seconds + 2,
      token: m.token,
      data: data(m.direction === 'inbound' ? 'received' : 'delivered'),
    },
  ];
}

/** The cast of the scripted scenarios: two agents and a French support line. */
export const ALICE: ScenarioUser = { id: 11, name: 'Alice Martin', email: 'alice@example.com' };
export const BOB: ScenarioUser = { id: 12, name: 'Bob Durand', email: 'bob@example.com' };
export const SUPPORT_LINE: ScenarioNumber = {
  id: 1,
  name: 'Support FR',
  digits: '+33 1 76 36 06 95',
  country: 'FR',
  time_zone: 'Europe/Paris',
};

/** An inbound call from +33 6 12 34 56 78 answered by Alice on the support line (12 s ringing, 95 s talk). */
export function inboundAnsweredScript(overrides: Partial<CallScript> = {}): CallScript {
  return {
    callId: 1001,
    token: 'tok',
    direction: 'inbound',
    external: '+33 6 12 34 56 78',
    number: SUPPORT_LINE,
    startedAt: 1_790_000_000,
    answerAfter: 12,
    talk: 95,
    user: ALICE,
    ...overrides,
  };
}

/** A script's webhooks, parsed as the backend parses them (throws on a scenario bug). */
export function parsedCallEvents(script: CallScript): (CallEvent | AiEvent)[] {
  return callWebhooks(script).map((e) => {
    const r = parseWebhook(e);
    if (!r.ok || (r.event.family !== 'call' && r.event.family !== 'ai')) {
      throw new Error(`scenario event ${e.event} did not parse: ${r.ok ? r.event.family : r.message}`);
    }
    return r.event;
  });
}

/*
 * More scripted calls and messages, one per call type of SPEC.md section 2
 * (and the transfer and conference variants). Each takes overrides like
 * `inboundAnsweredScript`; the sandbox's named scenarios fill them with a
 * seeded company's own number and users.
 */

/** A missed inbound call that rang on Alice for 25 s, then the caller left a voicemail. */
export function missedVoicemailScript(overrides: Partial<CallScript> = {}): CallScript {
  return {
    callId: 1002,
    token: 'tok',
    direction: 'inbound',
    external: '+33 6 12 34 56 78',
    number: SUPPORT_LINE,
    startedAt: 1_790_000_000,
    talk: 25,
    user: ALICE,
    voicemail: true,
    missedCallReason: 'agents_did_not_answer',
    ...overrides,
  };
}

/** A missed inbound call with no voicemail: nobody was available (no_available_agent). */
export function missedNoVoicemailScript(overrides: Partial<CallScript> = {}): CallScript {
  return {
    callId: 1003,
    token: 'tok',
    direction: 'inbound',
    external: '+33 6 12 34 56 78',
    number: SUPPORT_LINE,
    startedAt: 1_790_000_000,
    talk: 18,
    missedCallReason: 'no_available_agent',
    ...overrides,
  };
}

/** Alice calls +33 6 98 76 54 32 from the support line; answered after 8 s, 140 s of talk. */
export function outboundAnsweredScript(overrides: Partial<CallScript> = {}): CallScript {
  return {
    callId: 1004,
    token: 'tok',
    direction: 'outbound',
    external: '+33 6 98 76 54 32',
    number: SUPPORT_LINE,
    startedAt: 1_790_000_000,
    answerAfter: 8,
    talk: 140,
    user: ALICE,
    ...overrides,
  };
}

/** Alice calls +33 6 98 76 54 32 and nobody answers within 30 s (outbound misses carry no reason, API-CONTRACTS 1.4). */
export function outboundUnansweredScript(overrides: Partial<CallScript> = {}): CallScript {
  return {
    callId: 1005,
    token: 'tok',
    direction: 'outbound',
    external: '+33 6 98 76 54 32',
    number: SUPPORT_LINE,
    startedAt: 1_790_000_000,
    talk: 30,
    user: ALICE,
    ...overrides,
  };
}

/** An inbound call answered by Alice, who transfers it to Bob after 30 s; Bob picks up (210 s in all). */
export function transferScript(overrides: Partial<CallScript> = {}): CallScript {
  return {
    callId: 1006,
    token: 'tok',
    direction: 'inbound',
    external: '+33 6 12 34 56 78',
    number: SUPPORT_LINE,
    startedAt: 1_790_000_000,
    answerAfter: 10,
    talk: 210,
    user: ALICE,
    transferTo: { user: BOB, after: 30, answers: true },
    ...overrides,
  };
}

/** An outbound call by Alice that becomes a conference with a second external party. */
export function conferenceScript(overrides: Partial<CallScript> = {}): CallScript {
  return {
    callId: 1007,
    token: 'tok',
    direction: 'outbound',
    external: '+33 6 98 76 54 32',
    number: SUPPORT_LINE,
    startedAt: 1_790_000_000,
    answerAfter: 6,
    talk: 300,
    user: ALICE,
    conferenceWith: ['+33 6 55 44 33 22'],
    ...overrides,
  };
}

/** An SMS from +33 6 12 34 56 78 to the support line. */
export function smsInboundScript(overrides: Partial<MessageScript> = {}): MessageScript {
  return {
    messageId: 'msg-inbound-1',
    token: 'tok',
    direction: 'inbound',
    external: '+33 6 12 34 56 78',
    number: SUPPORT_LINE,
    body: 'Bonjour, pouvez-vous me rappeler ?',
    at: 1_790_000_000_000,
    ...overrides,
  };
}

/** An SMS Alice sends from the support line to +33 6 12 34 56 78. */
export function smsOutboundScript(overrides: Partial<MessageScript> = {}): MessageScript {
  return {
    messageId: 'msg-outbound-1',
    token: 'tok',
    direction: 'outbound',
    external: '+33 6 12 34 56 78',
    number: SUPPORT_LINE,
    body: 'Bonjour, je vous rappelle demain à 10 h.',
    at: 1_790_000_000_000,
    user: ALICE,
    ...overrides,
  };
}
