/**
 * `GET /search/phonenumber?E164=...` (API-CONTRACTS 4.2,
 * MatchedByPhoneNumberModel): the contacts, candidates and users whose phone
 * or mobile is that number, each list the top 5 most recently updated
 * matches. Stored numbers are read with the account's default country
 * (phone.ts), so "0412 345 678" in an AU account matches +61412345678.
 *
 * `quality` [unverified: JobAdder does not say how it is chosen]: `Exact` when
 * every returned match was stored with its country code, `National` when at
 * least one was stored in national format; absent when nothing matched. The
 * simulator never answers `Subscriber` (numbers stored without their area
 * code are not matched). `companies` is always empty: the simulator keeps no
 * company phone numbers.
 */
import { fieldError } from './errors.ts';
import { companyName } from './models.ts';
import { isE164, readStoredNumber } from './phone.ts';
import { type ApiRouter, one } from './router.ts';
import { type Account, type Person, type RecordKind, type User, iso } from './state.ts';

/** "Top 5 most recently updated" (spec). */
export const MATCHES_PER_LIST = 5;

interface PhoneMatch {
  type: 'Phone' | 'Mobile';
  number: string;
  normalized: string;
  international: boolean;
}

/** Which of a holder's numbers is `e164`, preferring one stored internationally, then `phone`. */
function matchNumber(
  account: Account,
  holder: { phone: string | null; mobile: string | null },
  e164: string,
): PhoneMatch | null {
  const found: PhoneMatch[] = [];
  for (const [type, number] of [
    ['Phone', holder.phone],
    ['Mobile', holder.mobile],
  ] as const) {
    const read = readStoredNumber(number, account.defaultCountry);
    if (number && read?.e164 === e164) {
      found.push({ type, number, normalized: read.e164, international: read.international });
    }
  }
  return found.find((m) => m.international) ?? found[0] ?? null;
}

/** When a note on the record was last added, or null (the model's `lastNoteAt`). */
function lastNoteAt(account: Account, kind: RecordKind, id: number): string | null {
  let last: number | null = null;
  for (const note of account.notes.values()) {
    const linked = kind === 'contacts' ? note.contactIds : note.candidateIds;
    if (linked.includes(id) && (last === null || note.createdAt > last)) last = note.createdAt;
  }
  return last === null ? null : iso(last);
}

/** Top matches of a list, most recently updated first (ties: the higher id, i.e. the newer record). */
function top<T extends { updatedAt: number }>(items: { item: T; match: PhoneMatch; id: number }[]) {
  return items.sort((a, b) => b.item.updatedAt - a.item.updatedAt || b.id - a.id).slice(0, MATCHES_PER_LIST);
}

function matchModel(m: PhoneMatch) {
  return { type: m.type, number: m.number, normalized: m.normalized };
}

function personMatches(account: Account, kind: RecordKind, e164: string) {
  return top(
    [...account.records[kind].values()].flatMap((item: Person) => {
      const match = matchNumber(account, item, e164);
      return match ? [{ item, match, id: item.id }] : [];
    }),
  );
}

function userMatches(account: Account, e164: string) {
  return top(
    [...account.users.values()]
      .filter((u) => !u.deleted)
      .flatMap((item: User) => {
        const match = matchNumber(account, item, e164);
        return match ? [{ item, match, id: item.userId }] : [];
      }),
  );
}

export function registerSearchRoutes(router: ApiRouter): void {
  router.add('GET', '/search/phonenumber', (call) => {
    const { account } = call;
    const e164 = one(call.query, 'E164');
    if (e164 === undefined || e164.trim() === '') {
      throw fieldError(
        400,
        'Missing',
        'E164',
        'E164 is required: the number to search for in E.164, e.g. E164=%2B61412345678',
      );
    }
    if (/^ \d/.test(e164)) {
      throw fieldError(
        400,
        'Invalid',
        'E164',
        `E164 "${e164}" starts with a space: a "+" sent unencoded in a query string reads as a space; encode it as %2B`,
      );
    }
    if (!isE164(e164)) {
      throw fieldError(
        400,
        'Invalid',
        'E164',
        `E164 "${e164}" is not an E.164 number ("+" then 7 to 15 digits, e.g. +61412345678)`,
      );
    }
    const contacts = personMatches(account, 'contacts', e164);
    const candidates = personMatches(account, 'candidates', e164);
    const users = userMatches(account, e164);
    const all = [...contacts, ...candidates, ...users].map((m) => m.match);
    const quality = all.length === 0 ? undefined : all.every((m) => m.international) ? 'Exact' : 'National';
    const person = (m: { item: Person; match: PhoneMatch }) => ({
      match: matchModel(m.match),
      firstName: m.item.firstName,
      lastName: m.item.lastName,
      email: m.item.email,
      phone: m.item.phone,
      mobile: m.item.mobile,
      updatedAt: iso(m.item.updatedAt),
    });
    return {
      status: 200,
      body: {
        // ContactMatchedByPhoneModel
        contacts: contacts.map((m) => ({
          contactId: m.item.id,
          ...person(m),
          company: companyName(account, m.item),
          position: m.item.position,
          lastNoteAt: lastNoteAt(account, 'contacts', m.item.id),
        })),
        // CandidateMatchedByPhoneModel: no company or position in this model (spec).
        candidates: candidates.map((m) => ({
          candidateId: m.item.id,
          ...person(m),
          lastNoteAt: lastNoteAt(account, 'candidates', m.item.id),
        })),
        companies: [],
        // UserMatchedByPhoneModel
        users: users.map((m) => ({
          userId: m.item.userId,
          match: matchModel(m.match),
          firstName: m.item.firstName,
          lastName: m.item.lastName,
          position: m.item.position,
          email: m.item.email,
          phone: m.item.phone,
          mobile: m.item.mobile,
          inactive: m.item.inactive,
          updatedAt: iso(m.item.updatedAt),
        })),
        ...(quality ? { quality } : {}),
      },
    };
  });
}
