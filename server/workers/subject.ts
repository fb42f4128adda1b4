/**
 * From stored webhook bodies to the folded call or message the planner
 * reads, and the summary the extension API lists (so listing a record's
 * calls reads one table, not every event).
 */
import type { CallState, MessageState } from '../../lib/aircall/callState.ts';
import { foldCallEvents, foldMessageEvents } from '../../lib/aircall/fold.ts';
import { lastingMediaLink } from '../../lib/aircall/links.ts';
import { type AiEvent, type CallEvent, type MessageEvent, parseWebhook } from '../../lib/aircall/webhook.ts';
import { classifyCall, classifyMessage } from '../../lib/logging/classify.ts';
import type { SubjectKind } from '../store/work.ts';

export type Folded = { kind: 'call'; call: CallState } | { kind: 'message'; message: MessageState };

export function foldSubject(kind: SubjectKind, bodies: unknown[]): Folded | null {
  const parsed = bodies.map((b) => parseWebhook(b)).flatMap((r) => (r.ok ? [r.event] : []));
  if (kind === 'call') {
    const events = parsed.filter((e): e is CallEvent | AiEvent => e.family === 'call' || e.family === 'ai');
    const call = foldCallEvents(events);
    return call ? { kind: 'call', call } : null;
  }
  const events = parsed.filter((e): e is MessageEvent => e.family === 'message');
  const message = foldMessageEvents(events);
  return message ? { kind: 'message', message } : null;
}

export function externalNumberOf(f: Folded): string | null {
  return f.kind === 'call' ? f.call.rawDigits : f.message.externalNumber;
}

export function startedAtMsOf(f: Folded): number {
  return f.kind === 'call' ? f.call.startedAt * 1000 : f.message.createdAt;
}

export function agentOf(f: Folded): number | null {
  return f.kind === 'call'
    ? (f.call.user?.id ?? f.call.firstAnsweredBy?.id ?? null)
    : (f.message.user?.id ?? null);
}

export function activityTypeOf(f: Folded): string {
  return f.kind === 'call' ? classifyCall(f.call).type : classifyMessage(f.message);
}

/** What the panel lists for a call or SMS (EXT-LIST-1), kept with the trace. */
export function summaryOf(f: Folded): Record<string, unknown> {
  if (f.kind === 'message') {
    const m = f.message;
    return {
      type: classifyMessage(m),
      direction: m.direction,
      at: m.createdAt,
      body: m.body,
      channel: m.channel,
      external: m.externalNumber,
      number: m.number?.name ?? null,
      agent: m.user?.name ?? null,
    };
  }
  const c = f.call;
  const kind = classifyCall(c);
  return {
    type: kind.type,
    ended: kind.ended,
    direction: c.direction,
    at: c.startedAt * 1000,
    durationS: c.duration,
    talkS: c.answeredAt !== null && c.endedAt !== null ? c.endedAt - c.answeredAt : 0,
    external: c.rawDigits,
    number: c.number?.name ?? null,
    agent: (c.user ?? c.firstAnsweredBy)?.name ?? null,
    recording: c.recording ? lastingMediaLink(c, 'recording') : null,
    voicemail: c.voicemail ? lastingMediaLink(c, 'voicemail') : null,
    tags: c.tags.map((t) => ({ id: t.id, name: t.name })),
    notes: c.comments.map((n) => ({
      id: n.id,
      content: n.content,
      by: n.postedBy?.name ?? null,
      at: n.postedAt * 1000,
    })),
    aiSummary: c.ai.summary,
  };
}
