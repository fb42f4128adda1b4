/**
 * Named mappers from Aircall's folded call/message to what the JobAdder
 * integration writes: plain-text notes on contacts and candidates
 * (`POST /contacts/{id}/notes`, `POST /candidates/{id}/notes`,
 * `PUT /notes/{id}`, API-CONTRACTS 4.2) and, for JA-SYNC-1, an Aircall
 * contact (`POST /v1/contacts`, API-CONTRACTS 1.6). Pure functions.
 */
import type { CallState, MessageState } from '../../aircall/callState.ts';
import { lastingMediaLink } from '../../aircall/links.ts';
import type { CallClassification, CallType } from '../../logging/classify.ts';
import type { CrmRecord } from '../../logging/plan-types.ts';
import { toE164 } from '../../phone/e164.ts';
import type { JobadderRecordFacts } from './facts.ts';
import type { JobadderSettings } from './settings.ts';

/** JobAdder caps a note's `reference` at 200 characters (AddContactNoteCommand, API-CONTRACTS 4.2). */
export const JOBADDER_REFERENCE_MAX = 200;

/**
 * The note's `reference`: names the Aircall call, so that a create whose reply
 * was lost can be found again with `GET /contacts/{id}/notes?Reference=...`
 * instead of being written twice (GEN-IDEM-1).
 */
export function jobadderCallReference(call: Pick<CallState, 'id'>): string {
  return `aircall:call:${call.id}`.slice(0, JOBADDER_REFERENCE_MAX);
}

/** Likewise for the SMS that starts a note (a conversation note keeps its first message's reference). */
export function jobadderSmsReference(message: Pick<MessageState, 'id'>): string {
  return `aircall:sms:${message.id}`.slice(0, JOBADDER_REFERENCE_MAX);
}

/**
 * Cut `text` to `max` characters, ending with "…" so a reader sees it was cut
 * (maxNoteLength: JobAdder publishes no limit, API-CONTRACTS 4.3). Never
 * splits a surrogate pair.
 */
export function capNoteText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

// ---------------------------------------------------------------- time

interface LocalTime {
  /** "2026-09-21 16:13:20" */
  dateTime: string;
  /** "UTC+02:00" */
  offset: string;
  /** The zone actually used. */
  zone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(zone);
  if (cached) return cached;
  try {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
    return f;
  } catch {
    return null;
  }
}

/**
 * A UNIX-ms instant as local time in the Aircall number's zone (JA-CALL-1:
 * people read times where the number is), with its UTC offset so the instant
 * can be read back (SMS lines are ordered by it). Unknown zones fall back to UTC.
 */
export function localTime(ms: number, timeZone: string | null): LocalTime {
  const zone = timeZone && formatterFor(timeZone) ? timeZone : 'UTC';
  const f = formatterFor(zone) ?? formatterFor('UTC');
  const seconds = Math.floor(ms / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const p of f?.formatToParts(new Date(seconds)) ?? []) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const y = parts.year ?? 1970;
  const mo = parts.month ?? 1;
  const d = parts.day ?? 1;
  const h = parts.hour ?? 0;
  const mi = parts.minute ?? 0;
  const s = parts.second ?? 0;
  const offsetMin = Math.round((Date.UTC(y, mo - 1, d, h, mi, s) - seconds) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return {
    dateTime: `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`,
    offset: `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
    zone,
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "1 min 47 s", "1 h 02 min 05 s", "0 s". */
export function formatDuration(totalSeconds: number): string {
  const t = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  if (h > 0) return `${h} h ${pad(m)} min ${pad(s)} s`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

// ---------------------------------------------------------------- calls

const CALL_TYPE_LABELS: Record<CallType, string> = {
  outbound_answered: 'Outbound answered',
  outbound_unanswered: 'Outbound unanswered',
  inbound_answered: 'Inbound answered',
  missed_no_voicemail: 'Missed, no voicemail',
  missed_voicemail: 'Missed, with voicemail',
};

function callTitle(type: CallType, recordName: string, numberName: string): string {
  // Same wording as the Salesforce subjects (SF-SUBJ-1), so a person who uses
  // both CRMs reads the same sentence.
  switch (type) {
    case 'outbound_answered':
      return `Outbound answered call to ${recordName} with ${numberName}`;
    case 'outbound_unanswered':
      return `Outbound unanswered call to ${recordName} with ${numberName}`;
    case 'inbound_answered':
      return `Inbound call from ${recordName} on ${numberName}`;
    case 'missed_no_voicemail':
      return `Missed call from ${recordName} on ${numberName}`;
    case 'missed_voicemail':
      return `Voicemail from ${recordName} on ${numberName}`;
  }
}

export interface CallNoteOptions {
  /** The name of the contact or candidate the note is on. */
  recordName: string;
  settings: Pick<JobadderSettings, 'logAiInsights' | 'logRecordingLink' | 'maxNoteLength'>;
}

/**
 * The note text of a call (JA-CALL-1): a readable plain-text summary. The
 * recording link only with "log recording link"; the AI summary and key
 * topics (and the sentiment seed 003 also names) only with "log AI insights"
 * and only when Aircall AI produced them. Cut to maxNoteLength.
 *
 * Links: Aircall's `recording`/`voicemail` are MP3 links valid about an hour
 * (API-CONTRACTS 1.4), useless in a note read days later; `asset` is the
 * secured Aircall page of the recording or voicemail, which seed 003 asks for
 * ("un lien vers l'enregistrement ... pointant vers le tableau de bord
 * Aircall"). So `asset` is used when present, the MP3 link otherwise.
 */
export function toJobadderCallNote(
  call: CallState,
  kind: CallClassification,
  options: CallNoteOptions,
): string {
  const numberName = call.number?.name ?? call.number?.digits ?? 'an Aircall number';
  const lines: string[] = [callTitle(kind.type, options.recordName, numberName), ''];

  lines.push(`Direction: ${call.direction === 'inbound' ? 'Inbound' : 'Outbound'}`);
  let typeLabel = CALL_TYPE_LABELS[kind.type];
  if (kind.outboundFailure === 'busy') typeLabel += ' (busy)';
  if (kind.outboundFailure === 'wrong_number') typeLabel += ' (wrong number)';
  if (call.missedCallReason && kind.type.startsWith('missed')) {
    typeLabel += ` (${call.missedCallReason.replaceAll('_', ' ')})`;
  }
  lines.push(`Call type: ${typeLabel}`);
  lines.push(`Aircall number: ${numberName}`);

  const agent = call.user ?? call.firstAnsweredBy;
  if (agent?.name) lines.push(`Agent: ${agent.name}`);
  const answeredBy = call.firstAnsweredBy;
  if (answeredBy?.name && agent && answeredBy.id !== agent.id) {
    lines.push(`First answered by: ${answeredBy.name}`);
  }

  const started = localTime(call.startedAt * 1000, call.number?.timeZone ?? null);
  lines.push(`Started: ${started.dateTime} (${started.zone}, ${started.offset})`);

  const duration = call.duration ?? (call.endedAt !== null ? call.endedAt - call.startedAt : null);
  if (duration !== null) {
    const talk =
      call.answeredAt !== null && call.endedAt !== null
        ? `, of which ${formatDuration(call.endedAt - call.answeredAt)} in conversation`
        : '';
    lines.push(`Duration: ${formatDuration(duration)}${talk}`);
  }

  if (call.tags.length > 0) lines.push(`Tags: ${call.tags.map((t) => t.name).join(', ')}`);

  const voicemail = lastingMediaLink(call, 'voicemail');
  const recording = lastingMediaLink(call, 'recording');
  if (voicemail) lines.push(`Voicemail: ${voicemail}`);
  if (recording && options.settings.logRecordingLink) {
    lines.push(`Recording: ${recording}`);
  }

  if (options.settings.logAiInsights) {
    if (call.ai.summary) lines.push('', 'AI summary:', call.ai.summary);
    if (call.ai.topics.length > 0) lines.push('', `Key topics: ${call.ai.topics.join(', ')}`);
    if (call.ai.sentiment) lines.push(`Sentiment: ${call.ai.sentiment}`);
  }

  const comments = [...call.comments].sort((a, b) => a.postedAt - b.postedAt || a.id - b.id);
  if (comments.length > 0) {
    lines.push('', 'Comments:');
    for (const c of comments) {
      const body = c.content.split(/\r?\n/).join('\n  ');
      lines.push(`- ${c.postedBy?.name ?? 'Aircall'}: ${body}`);
    }
  }

  lines.push('', `Aircall call ${call.id}`);
  return capNoteText(lines.join('\n'), options.settings.maxNoteLength);
}

// ---------------------------------------------------------------- SMS

/**
 * When an SMS was sent or received (JA-SMS-1), UNIX ms: `sent_at` when Aircall
 * gives it, else `created_at`. The message's own time, never the clock: see
 * the planner's 72-hour window.
 */
export function smsTime(message: Pick<MessageState, 'createdAt' | 'sentAt'>): number {
  return message.sentAt ?? message.createdAt;
}

/**
 * An SMS line starts with its local time, UTC offset and Aircall message id:
 * `2026-09-21 16:13:20 UTC+02:00 #msg-1 SMS received from ...: body`.
 * The time and id make the line readable back, so a conversation note can be
 * kept in time order and free of repeats from its text alone (the text is all
 * JobAdder gives back). Continuation lines of a multi-line body are indented,
 * so they never look like the start of a line.
 */
const SMS_LINE_START = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC([+-])(\d{2}):(\d{2}) #(\S+) /;

function lineId(id: string): string {
  return id.replace(/\s+/g, '_');
}

export interface SmsLineOptions {
  /** The name of the contact or candidate. */
  recordName: string;
}

/** One SMS as a line (or indented block) of a JobAdder note (JA-SMS-1). */
export function toJobadderSmsLine(message: MessageState, options: SmsLineOptions): string {
  const at = localTime(smsTime(message), message.number?.timeZone ?? null);
  const numberName = message.number?.name ?? message.number?.digits ?? 'an Aircall number';
  const channel = message.channel === 'whatsapp' ? 'WhatsApp message' : 'SMS';
  const what =
    message.direction === 'inbound'
      ? `${channel} received from ${options.recordName} on ${numberName}`
      : message.user?.name
        ? `${channel} sent by ${message.user.name} from ${numberName} to ${options.recordName}`
        : `${channel} sent from ${numberName} to ${options.recordName}`;
  const body = message.body.split(/\r?\n/).join('\n  ');
  const media = message.mediaUrls.map((url) => `\n  Attachment: ${url}`).join('');
  return `${at.dateTime} ${at.offset} #${lineId(message.id)} ${what}: ${body}${media}`;
}

/** The first lines of a new SMS note: who it is with, then a blank line. */
export function smsNoteHeader(recordName: string, mode: 'conversation' | 'note_per_sms'): string {
  return mode === 'conversation'
    ? `Aircall SMS conversation with ${recordName}\n`
    : `Aircall SMS with ${recordName}\n`;
}

/** A new SMS note holding one line, cut to maxNoteLength. */
export function newSmsNote(header: string, line: string, maxNoteLength: number): string {
  return capNoteText(`${header}\n${line}`, maxNoteLength);
}

interface SmsBlock {
  id: string;
  /** UNIX seconds of the line's time. */
  at: number;
  lines: string[];
}

interface ParsedConversation {
  /** Lines before the first SMS line (the header, or anything a person wrote there). */
  preamble: string[];
  blocks: SmsBlock[];
}

function parseStart(line: string): { id: string; at: number } | null {
  const m = SMS_LINE_START.exec(line);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, sign, oh, om, id] = m;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offsetMs = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '-' ? -1 : 1);
  return { id: id ?? '', at: (local - offsetMs) / 1000 };
}

/** Read a note's SMS lines back; text a person added stays with the line it follows. */
export function parseSmsConversation(text: string): ParsedConversation {
  const preamble: string[] = [];
  const blocks: SmsBlock[] = [];
  for (const line of text.split('\n')) {
    const start = parseStart(line);
    const current = blocks.at(-1);
    if (start) blocks.push({ ...start, lines: [line] });
    else if (current) current.lines.push(line);
    else preamble.push(line);
  }
  return { preamble, blocks };
}

/** Time order of SMS lines: by second, then by message id, so any arrival order gives one text. */
function before(a: { at: number; id: string }, b: { at: number; id: string }): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

export type SmsMergeStatus =
  /** The message is already in the note: nothing added (Aircall repeats webhooks, GEN-IDEM-1). */
  | 'already_in'
  /** Added in its place in time order; the note stays within maxNoteLength. */
  | 'merged'
  /** Adding it would pass maxNoteLength (JA-SMS-1: a new note starts). */
  | 'too_long';

export interface SmsMergeResult {
  status: SmsMergeStatus;
  /** The note's text with the line in place ('too_long': cut to maxNoteLength). */
  text: string;
}

/**
 * JA-SMS-1 conversation: put one SMS line (from `toJobadderSmsLine`) into a
 * conversation note's text. Lines stay in time order: a message that arrives
 * late goes in its place, not at the end, so a burst delivered out of order
 * reads the same as in order. A message already in the note (by its id in the
 * text, or in `messageIds` from the backend) is not added twice.
 */
export function mergeSmsIntoConversation(
  text: string,
  line: string,
  options: { maxNoteLength: number; messageIds?: readonly string[] },
): SmsMergeResult {
  const incoming = parseStart(line);
  if (!incoming) throw new Error('mergeSmsIntoConversation: the line does not come from toJobadderSmsLine');
  const conversation = parseSmsConversation(text);
  const known = new Set([...conversation.blocks.map((b) => b.id), ...(options.messageIds ?? []).map(lineId)]);
  if (known.has(incoming.id)) return { status: 'already_in', text };

  const block: SmsBlock = { ...incoming, lines: line.split('\n') };
  const blocks = [...conversation.blocks];
  const at = blocks.findIndex((b) => before(block, b));
  blocks.splice(at === -1 ? blocks.length : at, 0, block);
  // An empty trailing preamble line separates the header from the first SMS;
  // keep exactly what the note had otherwise.
  const merged = [...conversation.preamble, ...blocks.flatMap((b) => b.lines)].join('\n');
  return merged.length <= options.maxNoteLength
    ? { status: 'merged', text: merged }
    : { status: 'too_long', text: capNoteText(merged, options.maxNoteLength) };
}

// ---------------------------------------------------------------- contact sync

export type AircallContactFields = {
  first_name: string;
  last_name: string;
  company_name: string | null;
  information: string;
  phone_numbers: { label: string; value: string }[];
  emails: { label: string; value: string }[];
};

/**
 * JA-SYNC-1: the Aircall contact (`POST /v1/contacts`, or `POST
 * /v1/contacts/{id}` to overwrite, API-CONTRACTS 1.6) holding a JobAdder
 * contact's or candidate's details. Phones go in E.164 (read with the
 * company's default country, GEN-PHONE-1) and always include the number of
 * the call, since that is the number the Aircall contact must hold.
 */
export function toAircallContactFromJobadder(
  record: CrmRecord,
  facts: JobadderRecordFacts,
  options: { defaultCountry: string; externalE164: string | null },
): AircallContactFields {
  const [first = '', ...rest] = record.name.trim().split(/\s+/);
  const firstName = facts.firstName?.trim() || (facts.lastName ? '' : first);
  const lastName = facts.lastName?.trim() || (facts.firstName ? '' : rest.join(' '));

  const phones: { label: string; value: string }[] = [];
  const seen = new Set<string>();
  const add = (label: string, value: string) => {
    if (seen.has(value)) return;
    seen.add(value);
    phones.push({ label, value });
  };
  for (const p of record.phones) {
    const parsed = toE164(p.value, options.defaultCountry);
    if (parsed.ok) add(p.field.toLowerCase().includes('mobile') ? 'Mobile' : 'Work', parsed.e164);
  }
  if (options.externalE164) add('Work', options.externalE164);

  const position = facts.position?.trim();
  return {
    first_name: firstName,
    last_name: lastName,
    company_name: facts.company?.trim() || null,
    information: `JobAdder ${record.kind} ${record.id}${position ? `, ${position}` : ''}`,
    phone_numbers: phones,
    emails: facts.email?.trim() ? [{ label: 'Work', value: facts.email.trim() }] : [],
  };
}
