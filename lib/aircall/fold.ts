/**
 * Folding all webhooks of one call (or one message) into one state, whatever
 * their order and however often each arrives (GEN-IDEM-1; Aircall delivers
 * at least once and unordered, API-CONTRACTS 1.3).
 *
 * How: the state is a function of the *set* of distinct events. Events are
 * deduplicated and put in one canonical order (envelope timestamp, then the
 * call's lifecycle, then content), and reduced in that order. Any reordering
 * or repetition of the same events therefore gives the same state.
 */
import {
  type AiInsights,
  type AircallNumberRef,
  type AircallUserRef,
  type CallState,
  type MessageState,
  MISSED_CALL_REASONS,
  type MissedCallReason,
} from './callState.ts';
import type { AircallNumber, AircallUser } from './schemas.ts';
import type { AiEvent, CallEvent, MessageEvent } from './webhook.ts';

/** Where an event sits in a call's life, to order events built in the same second. */
const LIFECYCLE: Record<string, number> = {
  'call.created': 0,
  'call.ivr_option_selected': 1,
  'call.ringing_on_agent': 2,
  'call.agent_declined': 3,
  'call.answered': 4,
  'call.hold': 5,
  'call.unhold': 6,
  'call.transferred': 7,
  'call.external_transferred': 7,
  'call.unsuccessful_transfer': 7,
  'call.hungup': 8,
  'call.voicemail_left': 9,
  'call.ended': 10,
  'call.comm_assets_generated': 11,
  'call.assigned': 12,
  'call.tagged': 12,
  'call.untagged': 12,
  'call.commented': 12,
  'call.archived': 13,
  'message.received': 0,
  'message.sent': 0,
  'message.status_updated': 1,
};
const AI_RANK = 20;

/** JSON with sorted keys: equal content gives an equal string whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface Keyed<E> {
  event: E;
  key: string;
  rank: number;
  timestamp: number;
}

/** Deduplicate and sort into the canonical order. */
function canonical<E extends { event: string; timestamp: number; data: unknown }>(events: E[]): E[] {
  const byKey = new Map<string, Keyed<E>>();
  for (const event of events) {
    const key = `${event.event}|${event.timestamp}|${canonicalJson(event.data)}`;
    if (!byKey.has(key)) {
      byKey.set(key, { event, key, rank: LIFECYCLE[event.event] ?? AI_RANK, timestamp: event.timestamp });
    }
  }
  return [...byKey.values()]
    .sort(
      (a, b) => a.timestamp - b.timestamp || a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    )
    .map((k) => k.event);
}

function userRef(user: AircallUser | null | undefined): AircallUserRef | null {
  return user ? { id: user.id, name: user.name ?? null, email: user.email ?? null } : null;
}

function numberRef(number: AircallNumber | null | undefined): AircallNumberRef | null {
  if (!number) return null;
  return {
    id: number.id,
    name: number.name ?? null,
    digits: number.digits ?? null,
    country: number.country ?? null,
    timeZone: number.time_zone ?? null,
    isIvr: number.is_ivr ?? false,
    open: number.open ?? null,
  };
}

const STATUS_RANK: Record<string, number> = { initial: 0, answered: 1, done: 2 };

function missedReason(value: string | null | undefined): MissedCallReason | null {
  return (MISSED_CALL_REASONS as readonly string[]).includes(value ?? '')
    ? (value as MissedCallReason)
    : null;
}

/** Text out of an AI event's `content`, whatever its shape. */
function aiTexts(content: unknown): string[] {
  if (typeof content === 'string') return content.trim() ? [content] : [];
  if (Array.isArray(content)) return content.flatMap(aiTexts);
  if (content && typeof content === 'object') {
    const o = content as Record<string, unknown>;
    for (const k of ['content', 'name', 'title', 'value', 'text', 'label']) {
      if (typeof o[k] === 'string') return aiTexts(o[k]);
    }
  }
  return [];
}

/**
 * Fold one call's events (call.* and AI events with its id). Returns null
 * while no call.* event has arrived (an AI event can come first).
 */
export function foldCallEvents(events: (CallEvent | AiEvent)[]): CallState | null {
  const ordered = canonical(events);
  const callEvents = ordered.filter((e): e is CallEvent => e.family === 'call');
  const first = callEvents[0];
  if (!first) return null;

  const state: CallState = {
    id: first.data.id,
    uuid: null,
    direction: first.data.direction,
    status: 'initial',
    startedAt: first.data.started_at,
    answeredAt: null,
    endedAt: null,
    duration: null,
    missedCallReason: null,
    hangupCause: null,
    rawDigits: null,
    number: null,
    user: null,
    firstAnsweredBy: null,
    transfers: [],
    tags: [],
    comments: [],
    recording: null,
    voicemail: null,
    asset: null,
    participants: [],
    ai: { summary: null, topics: [], sentiment: null, actionItems: [] },
    archived: false,
    aircallContactId: null,
    events: [...new Set(ordered.map((e) => e.event))].sort(),
    lastEventAt: Math.max(...ordered.map((e) => e.timestamp)),
  };

  const comments = new Map<number, CallState['comments'][number]>();
  const tagFirstUser = new Map<number, number | null>();
  const transfers = new Map<string, CallState['transfers'][number]>();

  for (const { event, data, timestamp } of callEvents) {
    const d = data;
    // Latest non-null wins for snapshot fields; first-known for facts fixed at creation.
    state.uuid ??= d.call_uuid ?? d.sid ?? null;
    state.startedAt = Math.min(state.startedAt, d.started_at);
    if (d.status && (STATUS_RANK[d.status] ?? -1) > (STATUS_RANK[state.status] ?? 0)) {
      state.status = d.status as CallState['status'];
    }
    if (d.answered_at != null) state.answeredAt = Math.min(state.answeredAt ?? d.answered_at, d.answered_at);
    if (d.ended_at != null) state.endedAt = Math.max(state.endedAt ?? d.ended_at, d.ended_at);
    if (d.duration != null) state.duration = d.duration;
    state.missedCallReason = missedReason(d.missed_call_reason) ?? state.missedCallReason;
    state.hangupCause = d.hangup_cause ?? state.hangupCause;
    state.rawDigits = d.raw_digits ?? state.rawDigits;
    state.number = numberRef(d.number) ?? state.number;
    state.user = userRef(d.user) ?? state.user;
    if (event === 'call.answered' && !state.firstAnsweredBy) state.firstAnsweredBy = userRef(d.user);
    state.recording = d.recording ?? d.recording_short_url ?? state.recording;
    state.voicemail = d.voicemail ?? d.voicemail_short_url ?? state.voicemail;
    state.asset = d.asset ?? state.asset;
    if (d.archived != null) state.archived = d.archived;
    state.aircallContactId = d.contact?.id ?? state.aircallContactId;
    if (d.participants && d.participants.length > 0) {
      state.participants = d.participants.map((p) => ({
        type: p.type,
        id: p.id == null ? null : Number(p.id),
        name: p.name ?? null,
        phoneNumber: p.phone_number ?? null,
      }));
    }
    if (d.tags) {
      // The latest snapshot's tag list is the call's tag list (tagged/untagged).
      for (const tag of d.tags) if (!tagFirstUser.has(tag.id)) tagFirstUser.set(tag.id, d.user?.id ?? null);
      state.tags = d.tags.map((t) => ({ id: t.id, name: t.name, addedByUserId: null }));
    }
    for (const c of d.comments ?? []) {
      comments.set(c.id, {
        id: c.id,
        content: c.content,
        postedAt: c.posted_at ?? timestamp,
        postedBy: userRef(c.posted_by),
      });
    }
    if (
      event === 'call.transferred' ||
      event === 'call.external_transferred' ||
      event === 'call.unsuccessful_transfer'
    ) {
      const kind =
        event === 'call.transferred'
          ? 'user'
          : event === 'call.external_transferred'
            ? 'external'
            : 'unsuccessful';
      const to = kind === 'external' ? null : userRef(d.transferred_to);
      const toNumber = kind === 'external' ? (d.external_transferred_to ?? null) : null;
      const key = `${kind}|${timestamp}|${to?.id ?? ''}|${toNumber ?? ''}`;
      transfers.set(key, { kind, at: timestamp, by: userRef(d.transferred_by), to, toNumber });
    }
  }

  if (!state.firstAnsweredBy && state.answeredAt !== null) {
    // No call.answered received (yet): the earliest snapshot that shows the call answered tells who.
    const answered = callEvents.find((e) => e.data.answered_at != null && e.data.user);
    state.firstAnsweredBy = userRef(answered?.data.user);
  }
  state.tags = state.tags
    .map((t) => ({ ...t, addedByUserId: tagFirstUser.get(t.id) ?? null }))
    .sort((a, b) => a.id - b.id);
  state.comments = [...comments.values()].sort((a, b) => a.postedAt - b.postedAt || a.id - b.id);
  state.transfers = [...transfers.values()].sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind));
  state.ai = foldAi(ordered.filter((e): e is AiEvent => e.family === 'ai'));
  return state;
}

function foldAi(events: AiEvent[]): AiInsights {
  const ai: AiInsights = { summary: null, topics: [], sentiment: null, actionItems: [] };
  for (const { event, data } of events) {
    const texts = aiTexts(data.content);
    if (event === 'summary.created' || event.startsWith('custom_summary.')) {
      if (event === 'summary.created' || !ai.summary) ai.summary = texts.join('\n') || ai.summary;
    } else if (event === 'topics.created') ai.topics = [...new Set([...ai.topics, ...texts])];
    else if (event === 'sentiment.created') ai.sentiment = texts[0] ?? ai.sentiment;
    else if (event === 'action_item.created') ai.actionItems = [...new Set([...ai.actionItems, ...texts])];
  }
  return ai;
}

/** Fold one message's events (message.sent / received / status_updated). Null for no events. */
export function foldMessageEvents(events: MessageEvent[]): MessageState | null {
  const ordered = canonical(events);
  const first = ordered[0];
  if (!first) return null;
  const state: MessageState = {
    id: first.data.id,
    direction: first.data.direction,
    channel: null,
    body: '',
    status: null,
    externalNumber: null,
    number: null,
    user: null,
    createdAt: first.data.created_at ?? first.data.sent_at ?? first.timestamp * 1000,
    sentAt: null,
    mediaUrls: [],
    events: [...new Set(ordered.map((e) => e.event))].sort(),
    lastEventAt: Math.max(...ordered.map((e) => e.timestamp)),
  };
  for (const { data: d } of ordered) {
    state.channel = d.channel ?? state.channel;
    if (d.body) state.body = d.body;
    state.status = d.status ?? state.status;
    state.externalNumber = d.external_number ?? d.raw_digits ?? state.externalNumber;
    state.number = numberRef(d.number) ?? state.number;
    state.user = userRef(d.user) ?? state.user;
    if (d.created_at != null) state.createdAt = Math.min(state.createdAt, d.created_at);
    if (d.sent_at != null) state.sentAt = d.sent_at;
    const media = [
      ...(d.media_url ?? []),
      ...(d.media ?? []).map((m) => (typeof m === 'string' ? m : (m.presigned_url ?? ''))),
    ];
    if (media.length > 0) state.mediaUrls = media.filter(Boolean);
  }
  return state;
}
