/**
 * JobAdder API v2 responses (STYLE.md 7): a lenient raw schema per response,
 * the strict model the client returns, and the named mapper between them.
 * Each schema names its endpoint and the API-CONTRACTS 4 section it comes
 * from (JobAdder's OpenAPI 3.0.1 for API v2); the models are what the rest of
 * the product reads, so JobAdder's quirks stop here (int32 ids as strings,
 * absent values as null, the company as a name).
 */
import { z } from 'zod';

/** JobAdder ids are int32 for records and users, UUIDs for notes (API-CONTRACTS 4.2). */
const idSchema = z.union([z.string(), z.number()]).transform(String);
const text = z.string().nullish();

// ---------------------------------------------------------------------------
// People: contacts and candidates

/** `CompanyNameModel` of a contact (`{companyId, name}`); a plain name is read too. */
const companySchema = z
  .union([z.string(), z.looseObject({ name: z.string().nullish() }).transform((c) => c.name ?? null)])
  .nullish();

/**
 * `GET /search/phonenumber?E164=...` (API-CONTRACTS 4.2, MatchedByPhoneNumberModel):
 * `{candidates[], contacts[], companies[], users[], quality}`, each list the
 * "top 5 most recently updated" matches. A contact match is `{match{type,
 * number, normalized}, contactId, firstName, lastName, email, phone, mobile,
 * company, position, updatedAt, lastNoteAt}`; candidates alike with `candidateId`.
 */
const rawPersonMatch = z.looseObject({
  contactId: idSchema.optional(),
  candidateId: idSchema.optional(),
  firstName: text,
  lastName: text,
  email: text,
  phone: text,
  mobile: text,
  company: companySchema,
  position: text,
  updatedAt: text,
  createdAt: text,
});

export const rawPhoneMatchesSchema = z.looseObject({
  contacts: z.array(rawPersonMatch).nullish(),
  candidates: z.array(rawPersonMatch).nullish(),
  quality: text,
});

/** A JobAdder contact or candidate, as the product reads it. */
export interface JobadderPerson {
  kind: 'contact' | 'candidate';
  /** `contactId` / `candidateId`. */
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** As stored in JobAdder: any format (GEN-PHONE-1). */
  phone: string | null;
  mobile: string | null;
  /** Contacts: their company's name; candidates: the current employer, when JobAdder gives it. */
  company: string | null;
  position: string | null;
  /** ISO 8601 (JA-DUP-1: "the most recently updated"). */
  updatedAt: string | null;
  createdAt: string | null;
}

type RawPerson = z.infer<typeof rawPersonMatch>;

function toPerson(kind: 'contact' | 'candidate', id: string, raw: RawPerson): JobadderPerson {
  return {
    kind,
    id,
    firstName: raw.firstName ?? null,
    lastName: raw.lastName ?? null,
    email: raw.email ?? null,
    phone: raw.phone ?? null,
    mobile: raw.mobile ?? null,
    company: raw.company ?? null,
    position: raw.position ?? null,
    updatedAt: raw.updatedAt ?? null,
    createdAt: raw.createdAt ?? null,
  };
}

/** The contacts and candidates of a phone search; matches without their id are dropped. */
export function toJobadderPhoneMatches(raw: z.infer<typeof rawPhoneMatchesSchema>): JobadderPerson[] {
  const out: JobadderPerson[] = [];
  for (const c of raw.contacts ?? []) if (c.contactId) out.push(toPerson('contact', c.contactId, c));
  for (const c of raw.candidates ?? []) if (c.candidateId) out.push(toPerson('candidate', c.candidateId, c));
  return out;
}

/** `GET /contacts/{contactId}` (API-CONTRACTS 4.2, ContactRepresentation; ContactSummaryModel fields). */
export const rawContactSchema = rawPersonMatch.extend({ contactId: idSchema });

/**
 * `GET /candidates/{candidateId}` (API-CONTRACTS 4.2, CandidateRepresentation):
 * the summary fields, and the current employer and position under
 * `employment.current` [spec: CandidateRepresentation.employment].
 */
export const rawCandidateSchema = rawPersonMatch.extend({
  candidateId: idSchema,
  employment: z
    .looseObject({
      current: z.looseObject({ employer: text, position: text }).nullish(),
    })
    .nullish(),
});

/**
 * A page of `GET /contacts?Offset=&Limit=` / `GET /candidates?...` (API-CONTRACTS
 * 4.2 "Find contacts", "Find candidates"): `{items[ContactSummaryModel |
 * CandidateSummaryModel], totalCount, links}`.
 */
export const rawContactListSchema = z.looseObject({
  items: z.array(rawContactSchema).default([]),
  totalCount: z.number().nullish(),
});
export const rawCandidateListSchema = z.looseObject({
  items: z.array(rawCandidateSchema).default([]),
  totalCount: z.number().nullish(),
});

export function toJobadderContact(raw: z.infer<typeof rawContactSchema>): JobadderPerson {
  return toPerson('contact', raw.contactId, raw);
}

export function toJobadderCandidate(raw: z.infer<typeof rawCandidateSchema>): JobadderPerson {
  const current = raw.employment?.current;
  return toPerson('candidate', raw.candidateId, {
    ...raw,
    company: raw.company ?? current?.employer ?? null,
    position: raw.position ?? current?.position ?? null,
  });
}

// ---------------------------------------------------------------------------
// Notes

/**
 * `NoteModel` (API-CONTRACTS 4.2): the 201 of `POST /contacts/{id}/notes` and
 * `POST /candidates/{id}/notes`, and `GET /notes/{noteId}`: `{noteId (uuid),
 * type, source, text, subject, reference, readonly, createdBy, createdAt,
 * updatedBy, updatedAt, contacts[], candidates[], ...}`.
 */
export const rawNoteSchema = z.looseObject({
  noteId: idSchema,
  type: text,
  text: text,
  reference: text,
  readonly: z.boolean().nullish(),
  createdAt: text,
  updatedAt: text,
});

/**
 * A page of `GET /contacts/{id}/notes` / `GET /candidates/{id}/notes` with
 * `Type`, `Reference`, `Sort` and `Fields=text` (API-CONTRACTS 4.2):
 * `{items[NoteSummaryModel], totalCount}`; an item's full `text` only when
 * asked with `Fields=text` (else `textPartial`).
 */
export const rawNoteListSchema = z.looseObject({
  items: z
    .array(
      z.looseObject({
        noteId: idSchema,
        type: text,
        text: text,
        textPartial: text,
        reference: text,
        createdAt: text,
        updatedAt: text,
      }),
    )
    .default([]),
  totalCount: z.number().nullish(),
});

/** A JobAdder note as the product reads it. */
export interface JobadderNote {
  noteId: string;
  type: string | null;
  /** The whole text; null in a list that was not asked for `Fields=text`. */
  text: string | null;
  reference: string | null;
  /** ISO 8601. */
  createdAt: string | null;
  /** ISO 8601; JobAdder changes it on `PUT /notes/{id}` (JA-SMS-1's "last changed"). */
  updatedAt: string | null;
}

export function toJobadderNote(
  raw: z.infer<typeof rawNoteSchema> | z.infer<typeof rawNoteListSchema>['items'][number],
): JobadderNote {
  return {
    noteId: raw.noteId,
    type: raw.type ?? null,
    text: raw.text ?? null,
    reference: raw.reference ?? null,
    createdAt: raw.createdAt ?? null,
    updatedAt: raw.updatedAt ?? raw.createdAt ?? null,
  };
}

/**
 * `GET /contacts/lists/notetype`, `GET /candidates/lists/notetype`
 * (API-CONTRACTS 4.2): `{items:[{name, default{note,email,sms}}]}`.
 */
export const rawNoteTypesSchema = z.looseObject({
  items: z
    .array(
      z.looseObject({
        name: z.string(),
        default: z
          .looseObject({
            note: z.boolean().nullish(),
            email: z.boolean().nullish(),
            sms: z.boolean().nullish(),
          })
          .nullish(),
      }),
    )
    .default([]),
});

export interface JobadderNoteType {
  name: string;
  /** Which activity JobAdder uses the type for by default. */
  default: { note: boolean; email: boolean; sms: boolean };
}

export function toJobadderNoteTypes(raw: z.infer<typeof rawNoteTypesSchema>): JobadderNoteType[] {
  return raw.items.map((t) => ({
    name: t.name,
    default: {
      note: t.default?.note ?? false,
      email: t.default?.email ?? false,
      sms: t.default?.sms ?? false,
    },
  }));
}

// ---------------------------------------------------------------------------
// Users

/**
 * `GET /users/current` (API-CONTRACTS 4.2, UserRepresentation `{userId,
 * firstName, lastName, email, ...}`). `admin`, `inactive`, `deleted` and
 * `accountName` are read when JobAdder sends them [spec: UserRepresentation;
 * not listed in API-CONTRACTS 4.2].
 */
export const rawUserSchema = z.looseObject({
  userId: idSchema,
  firstName: text,
  lastName: text,
  email: text,
  admin: z.boolean().nullish(),
  inactive: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  accountName: text,
  createdAt: text,
});

/**
 * A page of `GET /users?Email=&Offset=&Limit=`: `{items[UserSummaryModel
 * {userId, firstName, lastName, email, ...}], totalCount, links}` [spec:
 * JobAdder's OpenAPI v2; not yet listed in API-CONTRACTS 4.2]. The items are
 * read like UserRepresentation; a summary carries no `admin` nor `accountName`.
 */
export const rawUserListSchema = z.looseObject({
  items: z.array(rawUserSchema).default([]),
  totalCount: z.number().nullish(),
  links: z.looseObject({ next: text }).nullish(),
});

export interface JobadderUser {
  userId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** null when JobAdder did not say. */
  admin: boolean | null;
  inactive: boolean;
  deleted: boolean;
  accountName: string | null;
  createdAt: string | null;
}

export function toJobadderUser(raw: z.infer<typeof rawUserSchema>): JobadderUser {
  return {
    userId: raw.userId,
    firstName: raw.firstName ?? null,
    lastName: raw.lastName ?? null,
    email: raw.email ?? null,
    admin: raw.admin ?? null,
    inactive: raw.inactive ?? false,
    deleted: raw.deleted ?? false,
    accountName: raw.accountName ?? null,
    createdAt: raw.createdAt ?? null,
  };
}

// ---------------------------------------------------------------------------
// OAuth

/**
 * `POST https://id.jobadder.com/connect/token` (API-CONTRACTS 4.1):
 * `{access_token, expires_in: 3600, token_type: "Bearer", refresh_token, api}`;
 * `api` is the account's API base URL ("use the `api` field as the base URL").
 * A refresh token comes only with the `offline_access` scope.
 */
export const rawTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number(),
  token_type: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  api: z.url(),
});

// ---------------------------------------------------------------------------
// Errors

/**
 * JobAdder's `ErrorModel` (API-CONTRACTS 4.2) `{message, errors:[{code:
 * Invalid|Missing|MissingField|AlreadyExists, message, fields[]}]}`, and the
 * token endpoint's OAuth 2.0 error `{error, error_description}` (RFC 6749
 * 5.2): every part optional.
 */
export const rawErrorSchema = z.looseObject({
  message: z.string().nullish(),
  errors: z
    .array(
      z.looseObject({
        code: z.string().nullish(),
        message: z.string().nullish(),
        fields: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
  error: z.string().nullish(),
  error_description: z.string().nullish(),
});
export type JobadderRawError = z.infer<typeof rawErrorSchema>;
