/**
 * The JobAdder adapter (lib/crm/adapter.ts) over JobadderClient: gathers what
 * the JobAdder planner reads (facts.ts) and executes its note writes
 * (`jobadder.contactNote`, `jobadder.candidateNote`). The `aircall.contact`
 * writes of contact sync (JA-SYNC-1) are executed by the backend through
 * Aircall's API, not here.
 *
 * Requests per logged call, in the common case: 1 phone search (cached 60 s
 * per number, so a call's later events reuse it), the current user and the
 * user list (1 request per 100 users) once per 5 minutes, and 1 note create;
 * later events that change the note are 1 PUT each, and a repeated event that
 * would write the same text costs nothing.
 * An SMS in conversation mode adds 1 note listing per matched record: the
 * conversation note is always read fresh (JA-SMS-1: each SMS rewrites it).
 *
 * Idempotency: JobAdder has no custom property to carry our key, but every
 * note carries the planner's `reference` (`aircall:call:<id>`,
 * `aircall:sms:<id>`, ≤ 200 characters), and notes can be listed by
 * `Reference` (API-CONTRACTS 4.2): an interrupted create is found that way.
 */
import { ApiError } from '../../api/errors.ts';
import { VendorError } from '../../http/vendor.ts';
import type { CrmRecord, CrmUser, ExistingWrites, PlannedWrite } from '../../logging/plan-types.ts';
import type { CrmAdapter, Gathered, GatherInput, ResolvedLink } from '../adapter.ts';
import type {
  AddNoteCommand,
  JobadderClient,
  JobadderNote,
  JobadderPerson,
  JobadderRecordKind,
  JobadderUser,
} from './client.ts';
import type { JobadderNoteFacts } from './facts.ts';
import { smsNoteHeader } from './mapper.ts';
import { ACTIVITY_REF, JOBADDER_TARGETS } from './planner.ts';
import type { JobadderSettings } from './settings.ts';

const SEARCH_TTL_MS = 60_000;
const ACCOUNT_TTL_MS = 5 * 60_000;
/**
 * How many of a record's newest SMS-type notes are searched for the conversation note (JA-SMS-1).
 * SMS sent from JobAdder itself get that type too; past 20 newer ones, a new conversation starts.
 */
const CONVERSATION_CANDIDATES = 20;
/** Notes whose text this adapter knows, to skip a PUT that would write the same text; bounded. */
const KNOWN_NOTES_MAX = 5_000;

/** The references the planner gives SMS notes (mapper.ts `jobadderSmsReference`). */
const SMS_REFERENCE_PREFIX = 'aircall:sms:';
/** The first line of a conversation note (mapper.ts `smsNoteHeader`), without the record's name. */
const CONVERSATION_HEADER = smsNoteHeader('', 'conversation').trim();

interface Cached<T> {
  at: number;
  value: T;
}

export class JobadderAdapter implements CrmAdapter {
  private readonly client: JobadderClient;
  private readonly clock: { now(): number };
  private readonly installer: { userId: string; email: string | null } | null;
  private readonly searches = new Map<string, Cached<JobadderPerson[]>>();
  private account: Cached<AccountUsers> | null = null;
  /** noteId -> the text and type JobAdder holds, as last read or written here. */
  private readonly known = new Map<string, { text: string; type: string | null }>();

  constructor(init: {
    client: JobadderClient;
    clock: { now(): number };
    installer?: { userId: string; email: string | null } | null;
  }) {
    this.client = init.client;
    this.clock = init.clock;
    this.installer = init.installer ?? null;
  }

  objectOf(target: string): string {
    return target.replace(/^jobadder\./, '');
  }

  async gather(input: GatherInput): Promise<Gathered> {
    const settings = input.settings as JobadderSettings;
    const { current, all } = await this.accountUsers();
    const people = input.externalE164 ? await this.peopleByPhone(input.externalE164) : [];
    let records = people.map(toRecord);
    const linkedRecord = input.linkedRecord
      ? await this.readRecord(input.linkedRecord.kind, input.linkedRecord.id)
      : null;
    this.rememberWritten(input.existing);

    const notes: JobadderNoteFacts[] = [];
    // JA-SMS-1: only conversation notes take other SMS; one note per SMS holds what was last written.
    if (input.kind === 'message' && settings.smsMode === 'conversation') {
      // The record's current conversation note, read fresh (never cached).
      records = await Promise.all(records.map((r) => this.withConversation(r, settings.smsNoteType)));
      // facts.ts `crmFacts.notes`: the note this SMS already went into, as JobAdder holds it now
      // (other SMS may have been merged into it since).
      const prior = input.existing[ACTIVITY_REF];
      const inRecords = new Set(records.map((r) => conversationOf(r)?.noteId));
      if (prior && isNoteTarget(prior.target) && !inRecords.has(prior.id)) {
        const note = await this.noteOrNull(prior.id);
        if (note?.text != null) notes.push(noteFacts(note, note.text));
      }
    }

    // GEN-EMAIL-1: lib/logging matches the agent's email against every user of the account.
    const users: CrmUser[] = all.map(toCrmUser);
    return {
      records,
      users,
      installerUserId: current?.userId ?? this.installer?.userId ?? null,
      linkedRecord,
      crmFacts: { notes },
      // GEN-ADM-1: the token's user is the installer; only when JobAdder says whether they are an admin.
      ...(current && current.admin !== null
        ? {
            installerStatus: {
              name: nameOf(current),
              crmAdmin: current.admin && !current.inactive && !current.deleted,
            },
          }
        : {}),
    };
  }

  async create(write: PlannedWrite, _links: ResolvedLink[], _key: string): Promise<string> {
    const { kind, recordId } = noteTarget(write);
    const cmd = addNoteCommand(write);
    const note = await this.client.addNote(kind, recordId, cmd);
    this.remember(note.noteId, cmd.text, cmd.type ?? null);
    return note.noteId;
  }

  async recover(write: PlannedWrite, _key: string): Promise<string | null> {
    const { kind, recordId } = noteTarget(write);
    const reference = stringField(write, 'reference');
    if (!reference) return null;
    const found = await this.client.listNotes(kind, recordId, { reference, sort: '-createdAt', limit: 1 });
    return found[0]?.noteId ?? null;
  }

  async update(write: PlannedWrite, id: string, _newLinks: ResolvedLink[]): Promise<void> {
    noteTarget(write);
    const text = stringField(write, 'text');
    if (text === null) throw new Error(`${write.target} update of note ${id} has no text: a planner bug`);
    const type = stringField(write, 'type');
    const known = this.known.get(id);
    // A repeated event (GEN-IDEM-1) re-plans the same text: JobAdder already holds it.
    if (known && known.text === text && (type === null || known.type === type)) return;
    // UpdateNoteCommand {type, text} (API-CONTRACTS 4.2): the whole text replaces the old one.
    await this.client.updateNote(id, { text, ...(type ? { type } : {}) });
    this.remember(id, text, type ?? known?.type ?? null);
  }

  async readRecord(objectType: string, id: string): Promise<CrmRecord | null> {
    const kind = recordKindOf(objectType);
    try {
      return toRecord(await this.client.record(kind, id));
    } catch (err) {
      if (err instanceof VendorError && err.status === 404) return null;
      throw err;
    }
  }

  /**
   * EXT-FIX-1 rewrites a record's phone numbers. API-CONTRACTS 4.2 lists no
   * contact or candidate update for this product (only notes are written), so
   * the rewrite is refused with what to do instead.
   */
  async updateRecord(objectType: string, id: string, _fields: Record<string, string>): Promise<void> {
    throw new ApiError(
      501,
      'not_supported',
      `This backend does not change JobAdder ${objectType} ${id}: its JobAdder connection only reads contacts and candidates and writes notes (API-CONTRACTS 4.2).`,
      {
        fix: 'Rewrite the number in E.164 in JobAdder itself; national formats are matched anyway (JA-PHONE-1).',
      },
    );
  }

  async outcomes(): Promise<{ id: string; label: string }[]> {
    return [];
  }

  async checkSettings(): Promise<Gathered['settingsUpdate'] | null> {
    return null;
  }

  // ---------------------------------------------------------------- reads

  private async peopleByPhone(e164: string): Promise<JobadderPerson[]> {
    const now = this.clock.now();
    const hit = this.searches.get(e164);
    if (hit && now - hit.at < SEARCH_TTL_MS) return hit.value;
    const value = await this.client.searchByPhone(e164);
    this.searches.set(e164, { at: now, value });
    return value;
  }

  /**
   * The token's user (GEN-ADM-1) and every user of the account (GEN-EMAIL-1),
   * once per 5 minutes. Read one after the other, not at once: when the token
   * has expired, the first request's 401 refreshes it and the second uses the
   * new one. When the list cannot be read, the token's user stands alone.
   */
  private async accountUsers(): Promise<AccountUsers> {
    const now = this.clock.now();
    if (this.account && now - this.account.at < ACCOUNT_TTL_MS) return this.account.value;
    const current = await nullIfRefused(() => this.client.currentUser());
    const listed = await nullIfRefused(() => this.client.users());
    const value = { current, all: listed ?? (current ? [current] : []) };
    this.account = { at: now, value };
    return value;
  }

  /**
   * JA-SMS-1 / facts.ts: the record's current SMS conversation note, from
   * `GET /{contacts|candidates}/{id}/notes?Type=<smsNoteType>&Sort=-updatedAt&Fields=text`:
   * the most recently changed note this integration started as a conversation
   * (reference `aircall:sms:...`, text opening with the conversation header).
   */
  private async withConversation(record: CrmRecord, smsNoteType: string): Promise<CrmRecord> {
    const kind = record.kind as JobadderRecordKind;
    const notes = await this.client.listNotes(kind, record.id, {
      type: smsNoteType,
      sort: '-updatedAt',
      withText: true,
      limit: CONVERSATION_CANDIDATES,
    });
    const note = notes.find(
      (n) => n.reference?.startsWith(SMS_REFERENCE_PREFIX) && n.text?.startsWith(CONVERSATION_HEADER),
    );
    if (!note?.text) return { ...record, extra: { ...record.extra, smsConversation: null } };
    this.remember(note.noteId, note.text, note.type);
    return { ...record, extra: { ...record.extra, smsConversation: noteFacts(note, note.text) } };
  }

  private async noteOrNull(noteId: string): Promise<JobadderNote | null> {
    try {
      const note = await this.client.note(noteId);
      if (note.text !== null) this.remember(note.noteId, note.text, note.type);
      return note;
    } catch (err) {
      if (err instanceof VendorError && err.status === 404) return null;
      throw err;
    }
  }

  // ---------------------------------------------------------------- known texts

  private remember(noteId: string, text: string, type: string | null): void {
    if (this.known.size >= KNOWN_NOTES_MAX) this.known.clear();
    this.known.set(noteId, { text, type });
  }

  /** What the backend last wrote to each note (ctx.existing), unless read fresher here. */
  private rememberWritten(existing: ExistingWrites): void {
    for (const w of Object.values(existing)) {
      if (!isNoteTarget(w.target) || this.known.has(w.id)) continue;
      const text = w.fields?.text;
      const type = w.fields?.type;
      if (typeof text === 'string') this.remember(w.id, text, typeof type === 'string' ? type : null);
    }
  }
}

// ---------------------------------------------------------------- mappers

/** `GET /users/current` (null when JobAdder gives none) and the user list `GET /users`. */
interface AccountUsers {
  current: JobadderUser | null;
  all: JobadderUser[];
}

/**
 * A user read that must not stop logging (notes are then credited to the
 * token's user): null on JobAdder's refusal; a refused token (401) still
 * stops it, as do the requests that follow.
 */
async function nullIfRefused<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof VendorError) || err.status === 401) throw err;
    return null;
  }
}

function isNoteTarget(target: string): boolean {
  return target === JOBADDER_TARGETS.contact || target === JOBADDER_TARGETS.candidate;
}

/** "contact", "contacts", "Contact" -> contact; likewise candidates. */
function recordKindOf(objectType: string): JobadderRecordKind {
  const t = objectType.toLowerCase();
  if (t.startsWith('contact')) return 'contact';
  if (t.startsWith('candidate')) return 'candidate';
  throw new ApiError(400, 'unknown_object', `JobAdder has no record type "${objectType}".`, {
    fix: 'Use "contact" or "candidate": notes are written on those only (JA-CALL-1).',
  });
}

function stringField(write: PlannedWrite, name: string): string | null {
  const v = write.fields[name];
  return typeof v === 'string' ? v : null;
}

/** The record a note write is on: `jobadder.contactNote` + `contactId`, or `jobadder.candidateNote` + `candidateId`. */
function noteTarget(write: PlannedWrite): { kind: JobadderRecordKind; recordId: string } {
  const kind: JobadderRecordKind | null =
    write.target === JOBADDER_TARGETS.contact
      ? 'contact'
      : write.target === JOBADDER_TARGETS.candidate
        ? 'candidate'
        : null;
  if (!kind)
    throw new Error(`The JobAdder adapter cannot write "${write.target}": only contact and candidate notes`);
  const raw = write.fields[kind === 'contact' ? 'contactId' : 'candidateId'];
  if (raw === undefined || raw === null || raw === '') {
    throw new Error(`${write.target} write without ${kind}Id: a planner bug`);
  }
  return { kind, recordId: String(raw) };
}

/** AddContactNoteCommand / AddCandidateNoteCommand (API-CONTRACTS 4.2) from a planned note. */
function addNoteCommand(write: PlannedWrite): AddNoteCommand & { text: string } {
  const text = stringField(write, 'text');
  if (text === null) throw new Error(`${write.target} create has no text: a planner bug`);
  const type = stringField(write, 'type');
  const reference = stringField(write, 'reference');
  const by = write.fields.createdBy as { userId?: unknown; email?: unknown } | undefined;
  // SubmitUserModel: "specify either userId or email"; JobAdder user ids are int32.
  const userId = Number(by?.userId);
  const createdBy = Number.isInteger(userId)
    ? { userId }
    : typeof by?.email === 'string' && by.email
      ? { email: by.email }
      : undefined;
  return {
    text,
    ...(type ? { type } : {}),
    ...(reference ? { reference } : {}),
    createdByIntegration: true,
    ...(createdBy ? { createdBy } : {}),
  };
}

function noteFacts(note: JobadderNote, text: string): JobadderNoteFacts {
  return {
    noteId: note.noteId,
    updatedAt: Date.parse(note.updatedAt ?? note.createdAt ?? '') || 0,
    text,
    messageIds: [],
    reference: note.reference,
  };
}

function conversationOf(record: CrmRecord): JobadderNoteFacts | null {
  const conv = record.extra?.smsConversation as JobadderNoteFacts | null | undefined;
  return conv ?? null;
}

function nameOf(u: { firstName: string | null; lastName: string | null; email: string | null }): string {
  return [u.firstName, u.lastName].filter((x) => x?.trim()).join(' ') || (u.email ?? '');
}

export function toCrmUser(u: JobadderUser): CrmUser {
  return {
    id: u.userId,
    email: u.email,
    name: nameOf(u) || `JobAdder user ${u.userId}`,
    createdAt: u.createdAt,
    active: !u.inactive && !u.deleted,
  };
}

/** A JobAdder contact or candidate as the planner reads it (facts.ts `jobadderRecordFactsSchema`). */
export function toRecord(p: JobadderPerson): CrmRecord {
  const phones = (['phone', 'mobile'] as const).flatMap((field) =>
    p[field]?.trim() ? [{ field, value: p[field] ?? '' }] : [],
  );
  return {
    id: p.id,
    kind: p.kind,
    name: nameOf(p) || `${p.kind} ${p.id}`,
    phones,
    ownerId: null,
    // JA-DUP-1 picks the most recently updated; a record without the date never wins.
    updatedAt: p.updatedAt ?? new Date(0).toISOString(),
    createdAt: p.createdAt,
    extra: {
      firstName: p.firstName,
      lastName: p.lastName,
      email: p.email,
      company: p.company,
      position: p.position,
    },
  };
}
