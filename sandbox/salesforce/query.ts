/**
 * Running SOQL (`GET /query?q=`, API-CONTRACTS 3.1): field resolution
 * against what the org's API user sees (INVALID_FIELD, INVALID_TYPE), filter
 * evaluation with SOQL's semantics (case-insensitive text, null handling,
 * date literals on the simulator's clock in UTC), ordering, paging through
 * `nextRecordsUrl` past 2,000 rows. The pieces are shared with SOSL.
 */
import { randomBytes } from 'node:crypto';
import { type FieldType, type FieldValue, type SObjectType, nameFieldOf, toSObjectType } from './catalog.ts';
import { SalesforceSimError, badRequest } from './errors.ts';
import { findField, findRelationship } from './fields.ts';
import { to18 } from './ids.ts';
import { attributesOf, findRecord } from './records.ts';
import {
  type Condition,
  type FieldPath,
  type Literal,
  type OrderBy,
  ParseError,
  type SelectItem,
  parseSoql,
} from './soql-parser.ts';
import { DAY_MS, type Org, type SalesforceState, type StoredRecord, parseDateTime } from './state.ts';

/** Rows per answer before `nextRecordsUrl` (API-CONTRACTS 3.1: "more than 2000 rows"). */
export const QUERY_BATCH_SIZE = 2000;

export interface QueryEnv {
  org: Org;
  now: number;
  version: string;
}

/** A field of the query resolved on its object: how to read it and how to print it. */
export interface ResolvedField {
  display: string;
  type: FieldType;
  /** Canonical name in answers: the field, or the relationship holding it. */
  key: string;
  /** For relationship fields, the canonical field name inside the parent object. */
  leaf: string | null;
  parentOf(rec: StoredRecord): StoredRecord | null;
  get(rec: StoredRecord): FieldValue;
}

const invalidField = (message: string) => badRequest('INVALID_FIELD', message);

/** The object in FROM or RETURNING, or INVALID_TYPE. */
export function resolveType(raw: string): SObjectType {
  const type = toSObjectType(raw);
  if (!type) {
    throw badRequest(
      'INVALID_TYPE',
      `sObject type '${raw}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return type;
}

function noColumn(name: string, entity: string) {
  return invalidField(
    `No such column '${name}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

/** Fields a polymorphic relationship (Who, What) exposes: the "Name" object's [unverified list]. */
const POLYMORPHIC_FIELDS = ['Id', 'Name', 'Type', 'FirstName', 'LastName', 'Email', 'Phone', 'Title'];

/** Resolves `Name` or `Owner.Email` on `type`; unknown or hidden fields are INVALID_FIELD. */
export function resolveField(org: Org, type: SObjectType, fp: FieldPath): ResolvedField {
  const display = fp.path.join('.');
  let path = fp.path;
  if (
    path.length === 2 &&
    (path[0] ?? '').toLowerCase() === type.toLowerCase() &&
    !findRelationship(org, type, path[0] ?? '')
  )
    path = path.slice(1);
  if (path.length === 1) {
    const f = findField(org, type, path[0] ?? '');
    if (!f) throw noColumn(path[0] ?? '', type);
    return {
      display,
      type: f.type,
      key: f.name,
      leaf: null,
      parentOf: () => null,
      get: (rec) => rec.fields[f.name] ?? null,
    };
  }
  const [relName = '', leafName = ''] = path;
  const ref = findRelationship(org, type, relName);
  if (!ref?.relationshipName) {
    throw invalidField(
      `Didn't understand relationship '${relName}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const parentOf = (rec: StoredRecord) => {
    const id = rec.fields[ref.name];
    return typeof id === 'string' ? findRecord(org, id) : null;
  };
  const [single] = ref.referenceTo;
  if (ref.referenceTo.length === 1 && single) {
    const f = findField(org, single, leafName);
    if (!f) throw noColumn(leafName, single);
    return {
      display,
      type: f.type,
      key: ref.relationshipName,
      leaf: f.name,
      parentOf,
      get: (rec) => parentOf(rec)?.fields[f.name] ?? null,
    };
  }
  const leaf = POLYMORPHIC_FIELDS.find((n) => n.toLowerCase() === leafName.toLowerCase());
  if (!leaf) throw noColumn(leafName, 'Name');
  return {
    display,
    type: leaf === 'Id' ? 'id' : 'string',
    key: ref.relationshipName,
    leaf,
    parentOf,
    get: (rec) => {
      const parent = parentOf(rec);
      if (!parent) return null;
      if (leaf === 'Type') return parent.type;
      if (leaf === 'Name') return parent.fields[nameFieldOf(parent.type)] ?? null;
      return parent.fields[leaf] ?? null;
    },
  };
}

// ---------------------------------------------------------------- filters

type Comparable = string | number | boolean | null | { range: [number, number] };

const TEXT_TYPES: FieldType[] = ['string', 'textarea', 'combobox', 'picklist', 'phone', 'email', 'url'];
const NUMBER_TYPES: FieldType[] = ['int', 'double', 'currency'];

/** The literal's type must suit the field, as SOQL checks [unverified wording]. */
function checkLiteral(f: ResolvedField, lit: Literal): void {
  if (lit.kind === 'null') return;
  const fail = (expected: string, quotes: boolean) => {
    throw invalidField(
      `value of filter criterion for field '${f.display}' must be of type ${expected} and should ${quotes ? '' : 'not '}be enclosed in quotes`,
    );
  };
  if (TEXT_TYPES.includes(f.type) || f.type === 'id' || f.type === 'reference') {
    if (lit.kind !== 'string') fail(f.type === 'id' || f.type === 'reference' ? 'id' : 'string', true);
  } else if (f.type === 'boolean') {
    if (lit.kind !== 'boolean') fail('boolean', false);
  } else if (NUMBER_TYPES.includes(f.type)) {
    if (lit.kind !== 'number') fail(f.type === 'int' ? 'int' : 'double', false);
  } else if (f.type === 'date') {
    if (lit.kind !== 'date' && lit.kind !== 'dateLiteral') fail('date', false);
  } else if (f.type === 'datetime') {
    if (lit.kind !== 'datetime' && lit.kind !== 'dateLiteral') fail('dateTime', false);
  }
}

function startOfDayUtc(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** A date literal's [start, end) in UNIX ms, UTC days. */
function dateRange(name: string, n: number, now: number): [number, number] {
  const today = startOfDayUtc(now);
  switch (name) {
    case 'TODAY':
      return [today, today + DAY_MS];
    case 'YESTERDAY':
      return [today - DAY_MS, today];
    case 'TOMORROW':
      return [today + DAY_MS, today + 2 * DAY_MS];
    case 'LAST_N_DAYS':
      return [today - n * DAY_MS, today + DAY_MS];
    default: // NEXT_N_DAYS
      return [today + DAY_MS, today + (n + 1) * DAY_MS];
  }
}

/** A field value in comparable form: lower-cased text, 18-character ids, ms for dates. */
function fieldComparable(type: FieldType, v: FieldValue): Comparable {
  if (v === null || v === undefined) return null;
  if (type === 'id' || type === 'reference') return to18(String(v)) ?? String(v);
  if (type === 'date') return Date.parse(String(v));
  if (type === 'datetime') return parseDateTime(String(v));
  if (typeof v === 'string') return v.toLowerCase();
  return v;
}

function literalComparable(type: FieldType, lit: Literal, now: number): Comparable {
  switch (lit.kind) {
    case 'null':
      return null;
    case 'string':
      return type === 'id' || type === 'reference' ? (to18(lit.value) ?? lit.value) : lit.value.toLowerCase();
    case 'date':
      return Date.parse(lit.value);
    case 'datetime':
      return lit.value;
    case 'dateLiteral':
      return { range: dateRange(lit.name, lit.n, now) };
    default:
      return lit.value;
  }
}

function compare(op: string, a: Comparable, b: Comparable): boolean {
  if (a !== null && typeof a === 'object') return false;
  if (b !== null && typeof b === 'object') {
    if (a === null) return op === '!=';
    const [s, e] = b.range;
    const n = Number(a);
    switch (op) {
      case '=':
        return n >= s && n < e;
      case '!=':
        return !(n >= s && n < e);
      case '<':
        return n < s;
      case '<=':
        return n < e;
      case '>':
        return n >= e;
      default:
        return n >= s;
    }
  }
  if (a === null || b === null) {
    if (op === '=') return a === b;
    if (op === '!=') return a !== b;
    return false;
  }
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** LIKE's pattern as a case-insensitive regex: `%` any run, `_` one character, `\` escapes. */
function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      re += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/** Compiles a condition into a record predicate, checking fields and literal types first. */
export function compileCondition(
  env: QueryEnv,
  type: SObjectType,
  cond: Condition,
): (rec: StoredRecord) => boolean {
  switch (cond.kind) {
    case 'and':
    case 'or': {
      const parts = cond.items.map((c) => compileCondition(env, type, c));
      return cond.kind === 'and' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compileCondition(env, type, cond.item);
      return (r) => !inner(r);
    }
    case 'cmp': {
      const f = resolveField(env.org, type, cond.field);
      checkLiteral(f, cond.value);
      const b = literalComparable(f.type, cond.value, env.now);
      return (r) => compare(cond.op, fieldComparable(f.type, f.get(r)), b);
    }
    case 'in': {
      const f = resolveField(env.org, type, cond.field);
      cond.values.forEach((v) => checkLiteral(f, v));
      const values = cond.values.map((v) => literalComparable(f.type, v, env.now));
      return (r) => {
        const a = fieldComparable(f.type, f.get(r));
        const hit = values.some((b) => compare('=', a, b));
        return cond.negate ? !hit : hit;
      };
    }
    case 'like': {
      const f = resolveField(env.org, type, cond.field);
      if (!TEXT_TYPES.includes(f.type) && f.type !== 'id' && f.type !== 'reference')
        throw invalidField(`invalid operator on field '${f.display}': LIKE works on text fields`);
      const re = likeRegex(cond.pattern);
      return (r) => {
        const v = f.get(r);
        return v !== null && re.test(String(v));
      };
    }
  }
}

/** Sorts records by ORDER BY items (SOQL defaults: ASC NULLS FIRST, DESC NULLS LAST). */
export function compileOrder(
  env: QueryEnv,
  type: SObjectType,
  orderBy: OrderBy[],
): (a: StoredRecord, b: StoredRecord) => number {
  const keys = orderBy.map((o) => ({ o, f: resolveField(env.org, type, o.field) }));
  return (x, y) => {
    for (const { o, f } of keys) {
      const a = fieldComparable(f.type, f.get(x));
      const b = fieldComparable(f.type, f.get(y));
      if (a === b) continue;
      if (a === null || b === null) return (a === null) === o.nullsLast ? 1 : -1;
      const c = a < b ? -1 : a > b ? 1 : 0;
      if (c !== 0) return o.descending ? -c : c;
    }
    return 0;
  };
}

/** A row's fields in SELECT order: plain fields, and parents as nested objects (null when none). */
export function projector(env: QueryEnv, type: SObjectType, fields: FieldPath[]) {
  const resolved = fields.map((fp) => resolveField(env.org, type, fp));
  return (rec: StoredRecord): Record<string, unknown> => {
    const row: Record<string, unknown> = { attributes: attributesOf(rec.type, rec.Id, env.version) };
    for (const f of resolved) {
      if (f.leaf === null) {
        row[f.key] = f.get(rec);
        continue;
      }
      const parent = f.parentOf(rec);
      if (!parent) {
        row[f.key] = null;
        continue;
      }
      const nested = (row[f.key] as Record<string, unknown> | null | undefined) ?? {
        attributes: attributesOf(parent.type, parent.Id, env.version),
      };
      nested[f.leaf] = f.get(rec);
      row[f.key] = nested;
    }
    return row;
  };
}

/** The live (or, for queryAll, all) records of a type matching a condition, ordered and cut. */
export function selectRecords(
  env: QueryEnv,
  type: SObjectType,
  opts: {
    where: Condition | null;
    orderBy: OrderBy[];
    limit: number | null;
    offset?: number | null;
    all?: boolean;
  },
): StoredRecord[] {
  const pred = opts.where ? compileCondition(env, type, opts.where) : () => true;
  const order = compileOrder(env, type, opts.orderBy);
  const rows = [...env.org.records[type].values()].filter((r) => (opts.all || !r.deleted) && pred(r));
  rows.sort(order);
  const start = opts.offset ?? 0;
  return rows.slice(start, opts.limit === null ? undefined : start + opts.limit);
}

export interface QueryAnswer {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

function malformed(err: unknown): never {
  if (err instanceof ParseError) throw badRequest('MALFORMED_QUERY', err.message);
  throw err;
}

/** Runs `q` for `GET /query` (or `/queryAll` with `all`); rows past 2,000 wait behind `nextRecordsUrl`. */
export function runSoql(state: SalesforceState, env: QueryEnv, q: string, all = false): QueryAnswer {
  if (!q.trim()) throw badRequest('MALFORMED_QUERY', 'A query is required: GET /query?q=SELECT+...');
  let parsed;
  try {
    parsed = parseSoql(q);
  } catch (err) {
    malformed(err);
  }
  const type = resolveType(parsed.from);
  if (parsed.offset !== null && parsed.offset > 2000)
    throw badRequest('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
  const [first] = parsed.select;
  const fieldsOnly = parsed.select.filter(
    (s): s is Extract<SelectItem, { kind: 'field' }> => s.kind === 'field',
  );
  // Validate every field before reading any row, as Salesforce compiles the query first.
  const project = projector(
    env,
    type,
    fieldsOnly.map((s) => s.field),
  );
  const records = selectRecords(env, type, { ...parsed, all });
  if (first?.kind === 'count') return { totalSize: records.length, done: true, records: [] };
  if (first?.kind === 'countField') {
    const f = resolveField(env.org, type, first.field);
    const n = records.filter((r) => f.get(r) !== null).length;
    return {
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'AggregateResult' }, [first.alias ?? 'expr0']: n }],
    };
  }
  const rows = records.map(project);
  return page(state, env, rows, 0);
}

function page(
  state: SalesforceState,
  env: QueryEnv,
  rows: Record<string, unknown>[],
  offset: number,
): QueryAnswer {
  const slice = rows.slice(offset, offset + QUERY_BATCH_SIZE);
  const next = offset + QUERY_BATCH_SIZE;
  if (next >= rows.length) return { totalSize: rows.length, done: true, records: slice };
  const locator = `01g${randomBytes(12)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 15)}`;
  state.cursors.set(locator, { orgId: env.org.orgId, rows, totalSize: rows.length });
  return {
    totalSize: rows.length,
    done: false,
    nextRecordsUrl: `/services/data/v${env.version}/query/${locator}-${next}`,
    records: slice,
  };
}

/** `GET /query/{locator}-{offset}`: the next batch of an earlier query. */
export function queryMore(state: SalesforceState, env: QueryEnv, locatorAndOffset: string): QueryAnswer {
  const m = /^(.+)-(\d+)$/.exec(locatorAndOffset);
  const cursor = m ? state.cursors.get(m[1] ?? '') : undefined;
  if (!m || !cursor || cursor.orgId !== env.org.orgId)
    throw new SalesforceSimError(400, [
      { message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' },
    ]);
  state.cursors.delete(m[1] ?? '');
  return page(state, env, cursor.rows, Number(m[2]));
}
