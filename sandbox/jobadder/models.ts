/**
 * The JSON the simulator answers with, one mapper per JobAdder model of the
 * OpenAPI v2 spec (API-CONTRACTS 4.2): field names as the spec's, times as
 * ISO 8601 UTC, absent values as null. Fields the simulator does not model
 * (custom fields, addresses, social...) are left out.
 */
import { readStoredNumber } from './phone.ts';
import { type Account, type Note, type Person, type RecordKind, type User, iso } from './state.ts';

/** StatusModel: every simulated record is in the account's default active status [unverified ids]. */
const ACTIVE_STATUS = { statusId: 1, name: 'Active', active: true, default: true };

/** UserNameModel. */
export function userName(user: User) {
  return {
    userId: user.userId,
    firstName: user.firstName,
    lastName: user.lastName,
    position: user.position,
    email: user.email,
    phone: user.phone,
    mobile: user.mobile,
    inactive: user.inactive,
    deleted: user.deleted,
  };
}

function userNameOf(account: Account, userId: number | null) {
  const user = userId === null ? undefined : account.users.get(userId);
  return user ? userName(user) : undefined;
}

/**
 * UserSummaryModel (`GET /users` items): the UserNameModel fields, with the
 * user's times and link [unverified: beyond `userId, firstName, lastName,
 * email`, the fields are modelled on UserRepresentation].
 */
export function userSummary(user: User, baseUrl: string) {
  return {
    ...userName(user),
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
    links: { self: `${baseUrl}/users/${user.userId}` },
  };
}

/** UserRepresentation (`GET /users/current`, `GET /users/{userId}`). */
export function userRepresentation(account: Account, user: User, baseUrl: string) {
  return { ...userSummary(user, baseUrl), accountName: account.name, admin: user.admin };
}

/** CompanyNameModel of a contact's company (or a candidate's employer), or undefined. */
export function companyName(account: Account, person: Person) {
  const company = person.companyId === null ? undefined : account.companies.get(person.companyId);
  return company ? { companyId: company.companyId, name: company.name } : undefined;
}

/** JobAdder's `mobileNormalized` (release 2024-07-12): E.164 here [unverified: JobAdder's format]. */
function mobileNormalized(account: Account, person: Person): string | null {
  return readStoredNumber(person.mobile, account.defaultCountry)?.e164 ?? null;
}

function personBase(account: Account, person: Person) {
  return {
    firstName: person.firstName,
    lastName: person.lastName,
    salutation: null,
    email: person.email,
    phone: person.phone,
    mobile: person.mobile,
    mobileNormalized: mobileNormalized(account, person),
    status: ACTIVE_STATUS,
    unsubscribed: false,
  };
}

/** ContactNameModel (a note's `contacts[]`). */
export function contactName(account: Account, person: Person) {
  return {
    contactId: person.id,
    ...personBase(account, person),
    position: person.position,
    inactive: false,
    owner: userNameOf(account, person.ownerUserId),
  };
}

/** CandidateNameModel (a note's `candidates[]`). */
export function candidateName(account: Account, person: Person) {
  return { candidateId: person.id, ...personBase(account, person), contactMethod: null, source: null };
}

/** ContactSummaryModel (`GET /contacts`). */
export function contactSummary(account: Account, person: Person) {
  return {
    ...contactName(account, person),
    company: companyName(account, person),
    createdAt: iso(person.createdAt),
    updatedAt: iso(person.updatedAt),
  };
}

/** CandidateSummaryModel (`GET /candidates`): no owner, company or position in this model (spec). */
export function candidateSummary(account: Account, person: Person) {
  return {
    ...candidateName(account, person),
    createdAt: iso(person.createdAt),
    updatedAt: iso(person.updatedAt),
  };
}

/** ContactRepresentation (`GET /contacts/{contactId}`). */
export function contactRepresentation(account: Account, person: Person, baseUrl: string) {
  const self = `${baseUrl}/contacts/${person.id}`;
  return { ...contactSummary(account, person), links: { self, notes: `${self}/notes` } };
}

/**
 * CandidateRepresentation (`GET /candidates/{candidateId}`): the seeded
 * employer and position as `employment.current`, the owner as `recruiters`.
 */
export function candidateRepresentation(account: Account, person: Person, baseUrl: string) {
  const self = `${baseUrl}/candidates/${person.id}`;
  const recruiter = userNameOf(account, person.ownerUserId);
  return {
    ...candidateSummary(account, person),
    employment: {
      current: { employer: companyName(account, person)?.name ?? null, position: person.position },
    },
    recruiters: recruiter ? [recruiter] : [],
    links: { self, notes: `${self}/notes` },
  };
}

/** The summary model of a record kind. */
export function recordSummary(kind: RecordKind, account: Account, person: Person) {
  return kind === 'contacts' ? contactSummary(account, person) : candidateSummary(account, person);
}

/** NoteModel (`GET /notes/{noteId}` and the 201 of a note creation). */
export function noteModel(account: Account, note: Note, baseUrl: string) {
  const people = (kind: RecordKind, ids: number[]) =>
    ids.flatMap((id) => {
      const p = account.records[kind].get(id);
      return p ? [p] : [];
    });
  return {
    noteId: note.noteId,
    type: note.type,
    source: note.source,
    subject: note.subject,
    text: note.text,
    reference: note.reference,
    readonly: note.readonly,
    createdBy: userNameOf(account, note.createdBy),
    createdAt: iso(note.createdAt),
    updatedBy: userNameOf(account, note.updatedBy),
    updatedAt: iso(note.updatedAt),
    contacts: people('contacts', note.contactIds).map((p) => contactName(account, p)),
    candidates: people('candidates', note.candidateIds).map((p) => candidateName(account, p)),
    companies: note.companyIds.flatMap((id) => {
      const c = account.companies.get(id);
      return c ? [{ companyId: c.companyId, name: c.name }] : [];
    }),
    jobs: [],
    applications: [],
    placements: [],
    requisitions: [],
    attachments: [],
    links: { self: `${baseUrl}/notes/${note.noteId}` },
  };
}

/** How much of the text NoteSummaryModel.textPartial carries [unverified: JobAdder's cut]. */
export const TEXT_PARTIAL_LENGTH = 200;

/** NoteSummaryModel (note lists); `text` only when the list asked for `Fields=text` (spec). */
export function noteSummary(account: Account, note: Note, withText: boolean) {
  return {
    noteId: note.noteId,
    type: note.type,
    textPartial: note.text.slice(0, TEXT_PARTIAL_LENGTH),
    ...(withText ? { text: note.text } : {}),
    reference: note.reference,
    readonly: note.readonly,
    createdBy: userNameOf(account, note.createdBy),
    createdAt: iso(note.createdAt),
    updatedBy: userNameOf(account, note.updatedBy),
    updatedAt: iso(note.updatedAt),
  };
}
