/**
 * The bridge's activities as the card reads them: the agent API's own shape
 * (agentActivitySchema in the bridge's lib/api/schemas.ts), read leniently,
 * field by field, because `summary` is open-ended on the wire; and how a
 * person sees them (EXT-LIST-1): type, direction, time in the agent's zone,
 * duration, and why a call was not logged (EXT-WHY-1).
 */

export interface TraceStep {
  rule: string;
  outcome: string;
  detail: string;
}

export interface Logging {
  crm: string;
  outcome: 'write' | 'wait' | 'nothing' | string;
  recordId: string | null;
  unmatched: boolean;
  trace: TraceStep[];
}

export interface Activity {
  kind: 'call' | 'message';
  id: string;
  startedAt: number | null;
  outcome: string | null;
  summary: Record<string, unknown>;
  logging: Logging[];
}

export interface CardAgent {
  aircallUserId: number;
  name: string | null;
  timeZone: string | null;
}

export interface Summary {
  type: string;
  direction: 'inbound' | 'outbound' | null;
  at: number | null;
  durationS: number | null;
  number: string | null;
  agent: string | null;
  recording: string | null;
  voicemail: string | null;
  aiSummary: string | null;
  body: string | null;
  tags: { id: number; name: string }[];
  notes: { id: number; content: string; by: string | null }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function readLogging(v: unknown): Logging | null {
  if (!isObject(v)) return null;
  return {
    crm: str(v.crm) ?? 'CRM',
    outcome: str(v.outcome) ?? 'nothing',
    recordId: str(v.recordId),
    unmatched: v.unmatched === true,
    trace: Array.isArray(v.trace)
      ? v.trace.filter(isObject).map((t) => ({
          rule: str(t.rule) ?? '',
          outcome: str(t.outcome) ?? '',
          detail: str(t.detail) ?? '',
        }))
      : [],
  };
}

function readActivity(v: unknown): Activity | null {
  if (!isObject(v) || (v.kind !== 'call' && v.kind !== 'message') || typeof v.id !== 'string') return null;
  return {
    kind: v.kind,
    id: v.id,
    startedAt: num(v.startedAt),
    outcome: str(v.outcome),
    summary: isObject(v.summary) ? v.summary : {},
    logging: Array.isArray(v.logging) ? v.logging.map(readLogging).filter((l) => l !== null) : [],
  };
}

/** The reply of the card's activity route, or null when it is not one. */
export function readActivityReply(json: unknown): { activity: Activity[]; agent: CardAgent } | null {
  if (!isObject(json) || !Array.isArray(json.activity) || !isObject(json.agent)) return null;
  const agent = json.agent;
  return {
    activity: json.activity.map(readActivity).filter((a) => a !== null),
    agent: {
      aircallUserId: num(agent.aircallUserId) ?? 0,
      name: str(agent.name),
      timeZone: str(agent.timeZone),
    },
  };
}

export function summaryOf(a: Activity): Summary {
  const s = a.summary;
  const direction = s.direction === 'inbound' || s.direction === 'outbound' ? s.direction : null;
  return {
    type: str(s.type) ?? 'unknown',
    direction,
    at: num(s.at) ?? a.startedAt,
    durationS: num(s.durationS),
    number: str(s.number),
    agent: str(s.agent),
    recording: str(s.recording),
    voicemail: str(s.voicemail),
    aiSummary: str(s.aiSummary),
    body: str(s.body),
    tags: Array.isArray(s.tags)
      ? s.tags
          .filter(isObject)
          .flatMap((t) => (str(t.name) ? [{ id: num(t.id) ?? 0, name: String(t.name) }] : []))
      : [],
    notes: Array.isArray(s.notes)
      ? s.notes
          .filter(isObject)
          .flatMap((n) =>
            str(n.content) ? [{ id: num(n.id) ?? 0, content: String(n.content), by: str(n.by) }] : [],
          )
      : [],
  };
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

/** The zone the card shows times in: the agent's Aircall zone, else the HubSpot user's own (the browser's). */
export function displayZone(agentZone: string | null): string | undefined {
  if (!agentZone) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: agentZone });
    return agentZone;
  } catch {
    return undefined;
  }
}

/** A date and time in the zone, with the zone named (dateStyle cannot be combined with timeZoneName). */
export function formatWhen(ms: number | null, timeZone: string | undefined, locale?: string): string {
  if (ms == null) return 'time unknown';
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(ms));
}

export function formatDuration(seconds: number | null): string | null {
  if (seconds == null) return null;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m} min ${String(s).padStart(2, '0')} s` : `${s} s`;
}

/** EXT-WHY-1: not (fully) logged, so the card shows why. */
export function notLogged(a: Activity): boolean {
  return a.logging.length === 0 || a.logging.some((l) => l.outcome !== 'write' || l.unmatched);
}

export function loggingLabel(l: Logging): string {
  if (l.outcome === 'write') return l.unmatched ? 'logged without a record' : 'logged';
  return l.outcome === 'wait' ? 'waiting' : 'not logged';
}
