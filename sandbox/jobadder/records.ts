/**
 * Contacts and candidates (API-CONTRACTS 4.2): `GET /contacts` and
 * `GET /candidates` with the `Phone`, `Email`, `Name`, `ContactId` /
 * `CandidateId`, `Offset` and `Limit` filters, and one record by id.
 */
import { jaError, notFound } from './errors.ts';
import { candidateRepresentation, contactRepresentation, recordSummary } from './models.ts';
import { readStoredNumber } from './phone.ts';
import { type ApiCall, type ApiRouter, intParam, many, one, pathId } from './router.ts';
import { type Account, type Person, RECORD_KINDS, type RecordKind } from './state.ts';

/** Page size when `Limit` is absent, and the largest one served [unverified: JobAdder's figures]. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

const SINGULAR: Record<RecordKind, { id: string; label: string }> = {
  contacts: { id: 'contactId', label: 'Contact' },
  candidates: { id: 'candidateId', label: 'Candidate' },
};

/** A record of the account, or 404 as JobAdder answers for an unknown id. */
export function findRecord(account: Account, kind: RecordKind, id: number): Person {
  const person = account.records[kind].get(id);
  if (!person) throw notFound(`${SINGULAR[kind].label} ${id} not found`);
  return person;
}

export function recordIdParam(call: ApiCall, kind: RecordKind): number {
  return pathId(call.params.id, SINGULAR[kind].label);
}

/**
 * The `Phone` filter ("Contact phone or mobile number", spec): both sides
 * read with the account's default country and compared in E.164; a value
 * that is no phone number compares by its digits [unverified: JobAdder's
 * matching is not published].
 */
function matchesPhone(account: Account, person: Person, wanted: string): boolean {
  const want = readStoredNumber(wanted, account.defaultCountry)?.e164 ?? null;
  const digits = wanted.replace(/\D/g, '');
  return [person.phone, person.mobile].some((stored) => {
    if (!stored) return false;
    const got = readStoredNumber(stored, account.defaultCountry)?.e164 ?? null;
    if (want !== null && got !== null) return want === got;
    return digits !== '' && stored.replace(/\D/g, '') === digits;
  });
}

/** `Name`: a case-insensitive part of "first last" [unverified]. */
function matchesName(person: Person, wanted: string): boolean {
  return `${person.firstName} ${person.lastName}`.toLowerCase().includes(wanted.trim().toLowerCase());
}

/** The page links (PageLinks) of a list, keeping the request's filters. */
export function pageLinks(call: ApiCall, path: string, offset: number, limit: number, total: number) {
  const link = (at: number) => {
    const params = new URLSearchParams();
    for (const [name, values] of call.query) {
      if (name === 'offset' || name === 'limit') continue;
      for (const v of values) params.append(name, v);
    }
    params.set('Offset', String(at));
    params.set('Limit', String(limit));
    return `${call.baseUrl}${path}?${params}`;
  };
  if (limit === 0) return {};
  const lastAt = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  return {
    first: link(0),
    last: link(lastAt),
    ...(offset + limit < total ? { next: link(offset + limit) } : {}),
    ...(offset > 0 ? { prev: link(Math.max(0, offset - limit)) } : {}),
  };
}

function listRecords(call: ApiCall, kind: RecordKind) {
  const { account, query } = call;
  const ids = many(query, SINGULAR[kind].id).map(Number);
  if (ids.some((id) => !Number.isInteger(id))) {
    throw jaError(400, `${SINGULAR[kind].id} must be numeric`);
  }
  const phone = one(query, 'Phone');
  const email = one(query, 'Email')?.trim().toLowerCase();
  const name = one(query, 'Name');
  const offset = intParam(query, 'Offset', 0, 0);
  const limit = intParam(query, 'Limit', DEFAULT_LIMIT, 0, MAX_LIMIT);
  const matches = [...account.records[kind].values()]
    .filter((p) => ids.length === 0 || ids.includes(p.id))
    .filter((p) => !phone || matchesPhone(account, p, phone))
    .filter((p) => !email || (p.email ?? '').toLowerCase() === email)
    .filter((p) => !name || matchesName(p, name))
    .sort((a, b) => a.id - b.id);
  return {
    status: 200,
    body: {
      items: matches.slice(offset, offset + limit).map((p) => recordSummary(kind, account, p)),
      totalCount: matches.length,
      links: pageLinks(call, `/${kind}`, offset, limit, matches.length),
    },
  };
}

export function registerRecordRoutes(router: ApiRouter): void {
  for (const kind of RECORD_KINDS) {
    router.add('GET', `/${kind}`, (call) => listRecords(call, kind));
    router.add('GET', `/${kind}/:id`, (call) => {
      const person = findRecord(call.account, kind, recordIdParam(call, kind));
      const body =
        kind === 'contacts'
          ? contactRepresentation(call.account, person, call.baseUrl)
          : candidateRepresentation(call.account, person, call.baseUrl);
      return { status: 200, body };
    });
  }
}
