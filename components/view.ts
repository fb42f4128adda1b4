/**
 * How the panel reads an activity of the agent API (lib/api/schemas-agent.ts,
 * activitySchema): its `summary` is open-ended on the wire, so the panel reads
 * it through a lenient schema (STYLE.md 7) and formats it for a person
 * (EXT-LIST-1).
 */
import { z } from 'zod';
import type { agentActivitySchema, traceStepSchema } from '../lib/api/schemas-agent.ts';

export type Activity = z.infer<typeof agentActivitySchema>;
export type TraceStep = z.infer<typeof traceStepSchema>;

const note = z.object({
  id: z.number(),
  content: z.string(),
  by: z.string().nullish(),
  at: z.number().nullish(),
});

/** The summary fields the backend keeps for a call or SMS (server/workers/subject.ts). */
export const summarySchema = z.object({
  type: z.string().catch('unknown'),
  direction: z.enum(['inbound', 'outbound']).nullish().catch(null),
  at: z.number().nullish().catch(null),
  durationS: z.number().nullish().catch(null),
  talkS: z.number().nullish().catch(null),
  number: z.string().nullish().catch(null),
  agent: z.string().nullish().catch(null),
  recording: z.string().nullish().catch(null),
  voicemail: z.string().nullish().catch(null),
  tags: z.array(z.object({ id: z.number(), name: z.string() })).catch([]),
  notes: z.array(note).catch([]),
  aiSummary: z.string().nullish().catch(null),
  body: z.string().nullish().catch(null),
});
export type Summary = z.infer<typeof summarySchema>;

export function summaryOf(a: Activity): Summary {
  return summarySchema.parse(a.summary);
}

const TYPE_LABELS: Record<string, string> = {
  outbound_answered: 'Outbound call, answered',
  outbound_unanswered: 'Outbound call, not answered',
  inbound_answered: 'Inbound call, answered',
  missed_no_voicemail: 'Missed call',
  missed_voicemail: 'Missed call, voicemail',
  sms_outbound: 'SMS sent',
  sms_inbound: 'SMS received',
};

export function typeLabel(a: Activity, s: Summary): string {
  return TYPE_LABELS[s.type] ?? (a.kind === 'message' ? 'SMS' : 'Call');
}

/** A time in the given zone (the agent's, store.ts `zone`), with the zone named. */
export function formatTime(ms: number | null | undefined, timeZone?: string): string {
  if (ms == null) return 'time unknown';
  return new Intl.DateTimeFormat(undefined, {
    // dateStyle/timeStyle cannot be combined with timeZoneName (Intl throws): fields one by one.
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(ms));
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return '';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m} min ${String(s).padStart(2, '0')} s` : `${s} s`;
}

/** Whether the call was not (fully) logged, so "why" is worth showing (EXT-WHY-1). */
export function notLogged(a: Activity): boolean {
  return a.logging.length === 0 || a.logging.some((l) => l.outcome !== 'write' || l.unmatched);
}
