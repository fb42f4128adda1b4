/**
 * SOSL (`GET /search?q=`, API-CONTRACTS 3.1-3.2) and parameterized search
 * (`GET /parameterizedSearch`): `FIND {term [OR term...]} [IN ALL|NAME|EMAIL|PHONE FIELDS]
 * [RETURNING Object(fields [WHERE ...] [ORDER BY ...] [LIMIT n]), ...] [LIMIT n]`.
 *
 * Phone matching (GEN-PHONE-1/2): digits only; a phone field matches a term
 * when their digits are equal, or one ends with the other and the shorter
 * has at least 7 digits (national vs international formats). Salesforce
 * orders results by relevance; the simulator orders each object's results by
 * LastModifiedDate DESC unless ORDER BY says otherwise (SF-MATCH-1 "usually
 * the most recently updated"). Text terms (IN ALL/NAME/EMAIL FIELDS) match a
 * field that contains them, case-insensitively [approximation of
 * Salesforce's tokenized index].
 *
 * Length limits (SOSL Syntax, FIND {SearchQuery}): a search string over
 * 4,000 characters loses its logical operators (its words must then all
 * match, so `n1 OR n2 OR ...` finds nothing); over 10,000 characters no rows
 * are returned. At most 2,000 rows in all.
 */
import { type FieldDef, type SObjectType, nameFieldOf, sobjectDef, SOBJECT_TYPES } from './catalog.ts';
import { badRequest } from './errors.ts';
import { phoneFields, visibleFields } from './fields.ts';
import { type QueryEnv, compileCondition, compileOrder, projector, resolveType } from './query.ts';
import {
  type Condition,
  type FieldPath,
  type OrderBy,
  ParseError,
  Parser,
  tokenize,
  unsupported,
} from './soql-parser.ts';
import type { StoredRecord } from './state.ts';

export type SearchScope = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';

export interface ReturningSpec {
  type: SObjectType;
  fields: FieldPath[];
  where: Condition | null;
  orderBy: OrderBy[];
  limit: number | null;
}

export interface SearchSpec {
  terms: string[];
  /** Every term must match (a search string whose operators were dropped); default: any term. */
  allTerms?: boolean;
  /** A search string too long to run (over SEARCH_NO_ROWS characters): no rows. */
  tooLong?: boolean;
  scope: SearchScope;
  returning: ReturningSpec[];
  limit: number;
}

/** Characters SOSL reserves inside the braces; written literally they need `\` (API-CONTRACTS 3.2). */
const RESERVED = new Set([..."?&|!{}[]()^~*:\\'+-"]);
const MAX_RESULTS = 2000;
/** Search strings longer than this lose their logical operators (SOSL Syntax). */
export const SEARCH_OPERATORS_MAX = 4_000;
/** Search strings longer than this return no rows (SOSL Syntax). */
export const SEARCH_NO_ROWS = 10_000;

const malformed = (message: string) => badRequest('MALFORMED_SEARCH', message);

/** The braced search term: escapes resolved, split on OR. */
function readTerms(raw: string): string[] {
  const terms: string[] = [];
  let current = '';
  let inPhrase = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === '\\') {
      current += raw.charAt(++i);
      continue;
    }
    if (c === '"') {
      inPhrase = !inPhrase;
      continue;
    }
    if (c === '*' || c === '?') throw unsupported('wildcards (* and ?) in search terms');
    if (RESERVED.has(c))
      throw new ParseError(
        `the reserved character '${c}' must be escaped with a backslash (\\${c}) inside the search term, or removed`,
      );
    current += c;
  }
  if (inPhrase) throw new ParseError('unbalanced double quote in the search term');
  for (const part of current.split(/\s+OR\s+/)) {
    if (/\s(AND|AND NOT)\s/.test(` ${part} `)) throw unsupported('AND / AND NOT between search terms');
    const term = part.trim();
    if (term.length < 2) throw new ParseError('search term must be longer than one character');
    terms.push(term);
  }
  return terms;
}

/** Parses `FIND {...} ...`; throws ParseError. */
export function parseSosl(src: string): SearchSpec {
  const head = /^\s*FIND\s*\{/i.exec(src);
  if (!head) throw new ParseError('No search term found. The search term must be enclosed in braces.');
  let end = head[0].length;
  for (; end < src.length; end++) {
    const c = src.charAt(end);
    if (c === '\\') end++;
    else if (c === '}') break;
  }
  if (end >= src.length) throw new ParseError('the search term has no closing brace');
  const raw = src.slice(head[0].length, end);
  const tooLong = raw.length > SEARCH_NO_ROWS;
  const dropOperators = raw.length > SEARCH_OPERATORS_MAX;
  const terms = tooLong
    ? []
    : dropOperators
      ? readTerms(raw.replace(/\s+(OR|AND NOT|AND)\s+/g, ' ')).flatMap((t) => t.split(/\s+/))
      : readTerms(raw);
  const p = new Parser(tokenize(src.slice(end + 1), end + 1));
  let scope: SearchScope = 'ALL';
  if (p.acceptWord('IN')) {
    const word = p.ident().toUpperCase();
    if (word === 'SIDEBAR') scope = 'ALL';
    else if (word === 'ALL' || word === 'NAME' || word === 'EMAIL' || word === 'PHONE') scope = word;
    else throw new ParseError(`unknown search group ${word}: use ALL, NAME, EMAIL or PHONE FIELDS`);
    p.expectWord('FIELDS');
  }
  const returning: ReturningSpec[] = [];
  if (p.acceptWord('RETURNING')) {
    for (;;) {
      const type = resolveType(p.ident());
      const spec: ReturningSpec = { type, fields: [], where: null, orderBy: [], limit: null };
      if (p.isPunct('(')) {
        p.expectPunct('(');
        spec.fields = p.selectList().map((s) => {
          if (s.kind !== 'field') throw unsupported('COUNT() in RETURNING');
          return s.field;
        });
        if (p.acceptWord('WHERE')) spec.where = p.condition();
        if (p.acceptWord('ORDER')) {
          p.expectWord('BY');
          spec.orderBy = p.orderBy();
        }
        if (p.acceptWord('LIMIT')) spec.limit = p.count('LIMIT');
        if (p.isWord('OFFSET')) throw unsupported('OFFSET in RETURNING');
        if (p.isWord('USING')) throw unsupported('USING ListView');
        p.expectPunct(')');
      }
      returning.push(spec);
      if (!p.isPunct(',')) break;
      p.expectPunct(',');
    }
  }
  let limit = MAX_RESULTS;
  if (p.acceptWord('LIMIT')) limit = Math.min(p.count('LIMIT'), MAX_RESULTS);
  if (p.isWord('WITH')) throw unsupported('WITH clauses in SOSL');
  if (p.isWord('UPDATE')) throw unsupported('UPDATE TRACKING/VIEWSTAT');
  if (!p.done()) p.unexpected();
  return {
    terms,
    scope,
    returning,
    limit,
    ...(dropOperators ? { allTerms: true } : {}),
    ...(tooLong ? { tooLong } : {}),
  };
}

const digitsOf = (s: string) => s.replace(/\D/g, '');
const PHONE_TERM = /^[\d\s+().-]+$/;

/** GEN-PHONE-1: equal digits, or one ends with the other and the shorter has 7 digits or more. */
export function phoneMatches(fieldValue: string, term: string): boolean {
  const a = digitsOf(fieldValue);
  const b = digitsOf(term);
  if (a === '' || b === '') return false;
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 7 && long.endsWith(short);
}

const TEXT_FIELD_TYPES = new Set(['string', 'textarea', 'combobox', 'picklist', 'email', 'phone', 'url']);

function textFields(fields: FieldDef[], scope: SearchScope, type: SObjectType): FieldDef[] {
  if (scope === 'EMAIL') return fields.filter((f) => f.type === 'email');
  if (scope === 'NAME') {
    const names = new Set([nameFieldOf(type), 'FirstName', 'LastName', 'Company']);
    return fields.filter((f) => names.has(f.name));
  }
  return fields.filter((f) => TEXT_FIELD_TYPES.has(f.type));
}

/** Whether a record matches one term: phone terms on phone fields (PHONE, ALL), text on the scope's text fields. */
function recordMatches(
  rec: StoredRecord,
  term: string,
  scope: SearchScope,
  phones: FieldDef[],
  texts: FieldDef[],
): boolean {
  const phoneLike = PHONE_TERM.test(term) && digitsOf(term).length > 0;
  if ((scope === 'PHONE' || scope === 'ALL') && phoneLike) {
    for (const f of phones) {
      const v = rec.fields[f.name];
      if (typeof v === 'string' && phoneMatches(v, term)) return true;
    }
  }
  if (scope === 'PHONE') return false;
  const needle = term.toLowerCase();
  return texts.some((f) => {
    const v = rec.fields[f.name];
    return typeof v === 'string' && v.toLowerCase().includes(needle);
  });
}

const DEFAULT_ORDER = (): OrderBy[] => [
  { field: { path: ['LastModifiedDate'], pos: 0 }, descending: true, nullsLast: true },
];

/** Runs a search: `{searchRecords}` grouped by object in RETURNING order. */
export function runSearch(env: QueryEnv, spec: SearchSpec): { searchRecords: Record<string, unknown>[] } {
  const returning: ReturningSpec[] =
    spec.returning.length > 0
      ? spec.returning
      : SOBJECT_TYPES.filter((t) => sobjectDef(t).searchable).map((type) => ({
          type,
          fields: [],
          where: null,
          orderBy: [],
          limit: null,
        }));
  const out: Record<string, unknown>[] = [];
  const matches = (rec: StoredRecord, c: { phones: FieldDef[]; texts: FieldDef[] }) => {
    const one = (t: string) => recordMatches(rec, t, spec.scope, c.phones, c.texts);
    return spec.allTerms ? spec.terms.every(one) : spec.terms.some(one);
  };
  // Compile everything first: a bad field anywhere fails the whole search.
  const compiled = returning.map((r) => ({
    r,
    where: r.where ? compileCondition(env, r.type, r.where) : () => true,
    order: compileOrder(env, r.type, r.orderBy.length > 0 ? r.orderBy : DEFAULT_ORDER()),
    project: projector(env, r.type, r.fields.length > 0 ? r.fields : [{ path: ['Id'], pos: 0 }]),
    phones: phoneFields(env.org, r.type),
    texts: textFields(visibleFields(env.org, r.type), spec.scope, r.type),
  }));
  for (const c of compiled) {
    if (out.length >= spec.limit || spec.tooLong) break;
    const hits = [...env.org.records[c.r.type].values()].filter(
      (rec) => !rec.deleted && matches(rec, c) && c.where(rec),
    );
    hits.sort(c.order);
    const cut = hits.slice(0, Math.min(c.r.limit ?? MAX_RESULTS, spec.limit - out.length));
    out.push(...cut.map(c.project));
  }
  return { searchRecords: out };
}

/** `GET /search?q=`: MALFORMED_SEARCH for syntax, INVALID_FIELD/INVALID_TYPE for names. */
export function runSosl(env: QueryEnv, q: string) {
  if (!q.trim()) throw malformed('A search is required: GET /search?q=FIND+{...}');
  let spec: SearchSpec;
  try {
    spec = parseSosl(q);
  } catch (err) {
    if (err instanceof ParseError) throw malformed(err.message);
    throw err;
  }
  return runSearch(env, spec);
}

/**
 * `GET /parameterizedSearch?q=term&sobject=Contact&in=PHONE&Contact.fields=Id,Name&Contact.limit=5&overallLimit=n`
 * (API-CONTRACTS 3.1): the same search, the term taken literally.
 */
export function runParameterizedSearch(env: QueryEnv, params: URLSearchParams) {
  const q = params.get('q') ?? '';
  if (q.trim().length < 2) throw malformed('search term must be longer than one character');
  const inParam = (params.get('in') ?? 'ALL').toUpperCase();
  if (!['ALL', 'NAME', 'EMAIL', 'PHONE'].includes(inParam))
    throw malformed(`in=${inParam}: use ALL, NAME, EMAIL or PHONE`);
  const objects = params
    .getAll('sobject')
    .flatMap((s) => s.split(','))
    .filter(Boolean);
  const returning: ReturningSpec[] = objects.map((name) => {
    const type = resolveType(name);
    const fields = (params.get(`${name}.fields`) ?? 'Id')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean)
      .map((f) => ({ path: f.split('.'), pos: 0 }));
    const limit = params.get(`${name}.limit`);
    return { type, fields, where: null, orderBy: [], limit: limit === null ? null : Number(limit) };
  });
  const overall = params.get('overallLimit');
  return runSearch(env, {
    terms: q.split(/\s+OR\s+/).map((t) => t.trim()),
    scope: inParam as SearchScope,
    returning,
    limit: overall === null ? MAX_RESULTS : Math.min(Number(overall), MAX_RESULTS),
  });
}
