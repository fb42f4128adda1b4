/**
 * Notes (API-CONTRACTS 4.2): added to a contact or a candidate
 * (AddContactNoteCommand, AddCandidateNoteCommand) or through `POST /notes`
 * (AddNoteCommand), read by id, updated (UpdateNoteCommand), and listed per
 * record with the `NoteId`, `Type`, `Reference`, `CreatedAt`, `UpdatedAt`,
 * `Sort`, `Fields`, `Offset` and `Limit` parameters of the spec.
 *
 * Checked as the spec says: `text` required, `type` at most 50 characters
 * and one of the account's note types, `reference` at most 200. JobAdder
 * publishes no maximum text length (API-CONTRACTS 4.3), so it is the
 * account's `maxNoteLength` (seed or `POST /_sandbox/limits`); longer text is
 * refused with 422 on create and update (JA-SMS-1 keeps a conversation note
 * within it). Nothing here deletes notes: disconnecting an integration leaves
 * them in JobAdder (JA-INST-1).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fieldError, jaError, notFound } from './errors.ts';
import { noteModel, noteSummary } from './models.ts';
import { defaultNoteType, findNoteType } from './note-types.ts';
import { findRecord, pageLinks, recordIdParam, DEFAULT_LIMIT, MAX_LIMIT } from './records.ts';
import { type ApiCall, type ApiRouter, intParam, many, parseCommand } from './router.ts';
import { type Account, type Note, RECORD_KINDS, type RecordKind, type User } from './state.ts';

/** Field caps of the spec's note commands. */
export const MAX_TYPE_LENGTH = 50;
export const MAX_REFERENCE_LENGTH = 200;

const ids = z.array(z.number().int()).nullish();

/** SubmitUserModel: "the user creating the note if not the authenticated user; specify either userId or email". */
const submitUser = z.object({ userId: z.number().int().nullish(), email: z.string().nullish() });

const noteFields = {
  text: z.string(),
  reference: z.string().max(MAX_REFERENCE_LENGTH).nullish(),
  createdByIntegration: z.boolean().nullish(),
  createdBy: submitUser.nullish(),
};

/** AddContactNoteCommand and AddCandidateNoteCommand (the latter adds `applicationId[]`). */
const addRecordNoteCommand = z.looseObject({
  ...noteFields,
  type: z.string().max(MAX_TYPE_LENGTH).nullish(),
  applicationId: ids,
});

/** AddNoteCommand: `type` is required here. */
const addNoteCommand = z.looseObject({
  ...noteFields,
  type: z.string().max(MAX_TYPE_LENGTH),
  contactId: ids,
  candidateId: ids,
  companyId: ids,
  jobId: ids,
  placementId: ids,
  applicationId: ids,
  requisitionId: ids,
});

const updateNoteCommand = z.looseObject({
  text: z.string().nullish(),
  type: z.string().max(MAX_TYPE_LENGTH).nullish(),
});

/** 422 when the text is over the account's maximum (the simulator's setting, API-CONTRACTS 4.3). */
export function checkText(account: Account, text: string): void {
  if (text.trim() === '') throw fieldError(400, 'Missing', 'text', 'text is required and cannot be empty');
  if (text.length > account.maxNoteLength) {
    throw fieldError(
      422,
      'Invalid',
      'text',
      `text is ${text.length} characters long; this account accepts at most ${account.maxNoteLength}`,
    );
  }
}

/** The note type named for these kinds of records, or 422 listing the valid ones. */
function checkType(account: Account, kinds: RecordKind[], type: string): string {
  for (const kind of kinds) {
    if (!findNoteType(account, kind, type)) {
      const valid = account.noteTypes[kind].map((t) => t.name).join(', ');
      throw fieldError(
        422,
        'Invalid',
        'type',
        `"${type}" is not a ${kind.slice(0, -1)} note type of this account; use one of: ${valid}`,
      );
    }
  }
  return findNoteType(account, kinds[0] ?? 'contacts', type)?.name ?? type;
}

/**
 * Whose note type lists a note's type must be in: the contacts' when it is on
 * contacts or companies [unverified: companies have their own list in
 * JobAdder; the simulator keeps none], the candidates' when on candidates.
 */
function linkedKinds(note: Pick<Note, 'contactIds' | 'candidateIds' | 'companyIds'>): RecordKind[] {
  const kinds: RecordKind[] = [];
  if (note.contactIds.length || note.companyIds.length) kinds.push('contacts');
  if (note.candidateIds.length) kinds.push('candidates');
  return kinds;
}

/** `createdBy` of a command (by userId or email), else the token's user. */
function author(call: ApiCall, given: z.infer<typeof submitUser> | null | undefined): User | null {
  if (!given || (given.userId == null && !given.email)) return call.user;
  const users = [...call.account.users.values()];
  const user =
    given.userId != null
      ? users.find((u) => u.userId === given.userId)
      : users.find((u) => u.email.toLowerCase() === (given.email ?? '').toLowerCase());
  if (!user) {
    throw fieldError(
      422,
      'Invalid',
      'createdBy',
      `createdBy names no user of this account (${given.userId ?? given.email})`,
    );
  }
  return user;
}

function createNote(
  call: ApiCall,
  fields: {
    type: string;
    text: string;
    reference: string | null;
    createdByIntegration: boolean;
    author: User | null;
    contactIds: number[];
    candidateIds: number[];
    companyIds: number[];
  },
) {
  const note: Note = {
    noteId: randomUUID(),
    type: fields.type,
    source: null,
    text: fields.text,
    subject: null,
    reference: fields.reference,
    readonly: false,
    createdByIntegration: fields.createdByIntegration,
    createdBy: fields.author?.userId ?? null,
    createdAt: call.now,
    updatedBy: fields.author?.userId ?? null,
    updatedAt: call.now,
    contactIds: fields.contactIds,
    candidateIds: fields.candidateIds,
    companyIds: fields.companyIds,
  };
  call.account.notes.set(note.noteId, note);
  const location = `${call.baseUrl}/notes/${note.noteId}`;
  return { status: 201, headers: { Location: location }, body: noteModel(call.account, note, call.baseUrl) };
}

function addRecordNote(call: ApiCall, kind: RecordKind) {
  const person = findRecord(call.account, kind, recordIdParam(call, kind));
  const cmd = parseCommand(addRecordNoteCommand, call.body, 'note command');
  checkText(call.account, cmd.text);
  if (kind === 'candidates' && cmd.applicationId?.length) {
    throw fieldError(422, 'Invalid', 'applicationId', `Job application ${cmd.applicationId[0]} not found`);
  }
  let type: string;
  if (cmd.type) type = checkType(call.account, [kind], cmd.type);
  else {
    const fallback = defaultNoteType(call.account, kind);
    if (!fallback)
      throw fieldError(400, 'Missing', 'type', 'type is required: this account has no default note type');
    type = fallback.name;
  }
  return createNote(call, {
    type,
    text: cmd.text,
    reference: cmd.reference ?? null,
    createdByIntegration: cmd.createdByIntegration ?? false,
    author: author(call, cmd.createdBy),
    contactIds: kind === 'contacts' ? [person.id] : [],
    candidateIds: kind === 'candidates' ? [person.id] : [],
    companyIds: [],
  });
}

/** `POST /notes`: the linked records must exist; the simulator has no jobs, placements or requisitions. */
function addNote(call: ApiCall) {
  const { account } = call;
  const cmd = parseCommand(addNoteCommand, call.body, 'AddNoteCommand');
  checkText(account, cmd.text);
  const contactIds = cmd.contactId ?? [];
  const candidateIds = cmd.candidateId ?? [];
  const companyIds = cmd.companyId ?? [];
  for (const [field, list, exists] of [
    ['contactId', contactIds, (id: number) => account.records.contacts.has(id)],
    ['candidateId', candidateIds, (id: number) => account.records.candidates.has(id)],
    ['companyId', companyIds, (id: number) => account.companies.has(id)],
    ['jobId', cmd.jobId ?? [], () => false],
    ['placementId', cmd.placementId ?? [], () => false],
    ['applicationId', cmd.applicationId ?? [], () => false],
    ['requisitionId', cmd.requisitionId ?? [], () => false],
  ] as const) {
    const missing = list.find((id) => !exists(id));
    if (missing !== undefined) throw fieldError(422, 'Invalid', field, `${field} ${missing} not found`);
  }
  if (contactIds.length + candidateIds.length + companyIds.length === 0) {
    throw fieldError(422, 'Missing', 'contactId', 'A note must be linked to a contact, candidate or company');
  }
  return createNote(call, {
    type: checkType(account, linkedKinds({ contactIds, candidateIds, companyIds }), cmd.type),
    text: cmd.text,
    reference: cmd.reference ?? null,
    createdByIntegration: cmd.createdByIntegration ?? false,
    author: author(call, cmd.createdBy),
    contactIds,
    candidateIds,
    companyIds,
  });
}

function findNote(account: Account, noteId: string | undefined): Note {
  const note = noteId ? account.notes.get(noteId.toLowerCase()) : undefined;
  if (!note) throw notFound(`Note ${noteId ?? ''} not found`);
  return note;
}

function updateNote(call: ApiCall) {
  const note = findNote(call.account, call.params.noteId);
  const cmd = parseCommand(updateNoteCommand, call.body, 'UpdateNoteCommand');
  if (cmd.text == null && cmd.type == null) {
    throw jaError(400, 'UpdateNoteCommand needs text or type', [
      { code: 'Missing', message: 'text or type is required', fields: ['text', 'type'] },
    ]);
  }
  if (note.readonly) throw jaError(422, `Note ${note.noteId} is read-only and cannot be updated`);
  if (cmd.text != null) checkText(call.account, cmd.text);
  const type = cmd.type != null ? checkType(call.account, linkedKinds(note), cmd.type) : note.type;
  note.type = type;
  if (cmd.text != null) note.text = cmd.text;
  note.updatedAt = call.now;
  note.updatedBy = call.user?.userId ?? note.updatedBy;
  return { status: 204 };
}

/** A `CreatedAt`/`UpdatedAt` filter: "<" or ">" for before/after (inclusive), else that instant; UTC assumed (spec). */
function timeFilter(name: string, values: string[]): (ms: number) => boolean {
  const tests = values.map((raw) => {
    const op = raw.startsWith('<') || raw.startsWith('>') ? raw[0] : '=';
    const text = op === '=' ? raw : raw.slice(1);
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`);
    if (Number.isNaN(ms)) {
      throw fieldError(
        400,
        'Invalid',
        name,
        `${name} "${raw}" is not an ISO date-time (prefix < or > for a range)`,
      );
    }
    return (t: number) => (op === '<' ? t <= ms : op === '>' ? t >= ms : t === ms);
  });
  return (t) => tests.every((test) => test(t));
}

const SORTABLE = { type: 'type', createdat: 'createdAt', updatedat: 'updatedAt' } as const;

/** `Sort`: fields type, createdAt, updatedAt, "-" for descending (spec); default newest first [unverified]. */
function sorter(values: string[]): (a: Note, b: Note) => number {
  const keys = (values.length ? values.flatMap((v) => v.split(',')) : ['-createdAt']).map((raw) => {
    const desc = raw.trim().startsWith('-');
    const name = raw.trim().replace(/^[-+]/, '').toLowerCase();
    const field = SORTABLE[name as keyof typeof SORTABLE];
    if (!field)
      throw fieldError(
        400,
        'Invalid',
        'Sort',
        `Cannot sort notes by "${raw}"; use type, createdAt or updatedAt`,
      );
    return { field, desc };
  });
  return (a, b) => {
    for (const { field, desc } of keys) {
      const av = a[field];
      const bv = b[field];
      const diff = typeof av === 'string' ? av.localeCompare(String(bv)) : av - Number(bv);
      if (diff !== 0) return desc ? -diff : diff;
    }
    return 0;
  };
}

function listRecordNotes(call: ApiCall, kind: RecordKind) {
  const { account, query } = call;
  const person = findRecord(account, kind, recordIdParam(call, kind));
  const noteIds = many(query, 'NoteId').map((id) => id.toLowerCase());
  const types = many(query, 'Type').map((t) => t.toLowerCase());
  const references = many(query, 'Reference');
  const created = timeFilter('CreatedAt', many(query, 'CreatedAt'));
  const updated = timeFilter('UpdatedAt', many(query, 'UpdatedAt'));
  const withText = many(query, 'Fields').some((f) =>
    f.split(',').some((x) => x.trim().toLowerCase() === 'text'),
  );
  const offset = intParam(query, 'Offset', 0, 0);
  const limit = intParam(query, 'Limit', DEFAULT_LIMIT, 0, MAX_LIMIT);
  const matches = [...account.notes.values()]
    .filter((n) => (kind === 'contacts' ? n.contactIds : n.candidateIds).includes(person.id))
    .filter((n) => noteIds.length === 0 || noteIds.includes(n.noteId))
    .filter((n) => types.length === 0 || types.includes(n.type.toLowerCase()))
    .filter((n) => references.length === 0 || (n.reference !== null && references.includes(n.reference)))
    .filter((n) => created(n.createdAt) && updated(n.updatedAt))
    .sort(sorter(many(query, 'Sort')));
  return {
    status: 200,
    body: {
      items: matches.slice(offset, offset + limit).map((n) => noteSummary(account, n, withText)),
      totalCount: matches.length,
      links: pageLinks(call, `/${kind}/${person.id}/notes`, offset, limit, matches.length),
    },
  };
}

export function registerNoteRoutes(router: ApiRouter): void {
  for (const kind of RECORD_KINDS) {
    router.add('POST', `/${kind}/:id/notes`, (call) => addRecordNote(call, kind));
    router.add('GET', `/${kind}/:id/notes`, (call) => listRecordNotes(call, kind));
  }
  router.add('POST', '/notes', addNote);
  router.add('GET', '/notes/:noteId', (call) => ({
    status: 200,
    body: noteModel(call.account, findNote(call.account, call.params.noteId), call.baseUrl),
  }));
  router.add('PUT', '/notes/:noteId', updateNote);
}
