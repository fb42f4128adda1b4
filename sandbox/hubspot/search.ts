/**
 * `POST /crm/v3/objects/{type}/search` (API-CONTRACTS 2.1, 2.5): filter
 * groups (OR of ANDs), full-text `query`, sorts, properties and paging.
 * Unlike HubSpot, results are immediate (no indexing delay, API-CONTRACTS 2.5).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAssociated } from './associations.ts';
import { type SimContext, parseBody, pathType } from './context.ts';
import { badRequest } from './errors.ts';
import { propertyDef } from './property-defs.ts';
import { parseDateValue, recordJson, searchableDigits } from './records.ts';
import { type ObjectType, type Portal, type StoredObject, toObjectType } from './state.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const filterSchema = z.looseObject({
  propertyName: z.string().min(1),
  operator: z.string(),
  value: scalar.optional(),
  highValue: scalar.optional(),
  values: z.array(scalar).optional(),
});
type Filter = z.infer<typeof filterSchema>;

/** `PublicObjectSearchRequest`, with `sorts`/`properties`/`limit`/`after` optional (API-CONTRACTS 5). */
const searchSchema = z.looseObject({
  filterGroups: z.array(z.looseObject({ filters: z.array(filterSchema).default([]) })).default([]),
  sorts: z
    .array(
      z.union([z.string(), z.looseObject({ propertyName: z.string(), direction: z.string().optional() })]),
    )
    .default([]),
  properties: z.array(z.string()).optional(),
  query: z.string().max(3000).optional(),
  limit: z.coerce.number().int().min(0).default(10),
  after: scalar.optional(),
});
export type SearchRequest = z.input<typeof searchSchema>;

const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);

/** What `query` searches [doc: CRM search "default searchable properties"; phone included per API-CONTRACTS 2.5]. */
const QUERY_PROPS: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company'],
  companies: ['name', 'domain', 'website', 'phone'],
  tickets: ['subject', 'content'],
  calls: ['hs_call_title', 'hs_call_body'],
  communications: ['hs_communication_body'],
  notes: ['hs_note_body'],
};
const PHONE_PROPS = new Set(['phone', 'mobilephone']);

type Kind = 'number' | 'date' | 'string';

function kindOf(portal: Portal, type: ObjectType, name: string): Kind {
  const t = propertyDef(portal, type, name)?.type;
  if (t === 'number') return 'number';
  if (t === 'datetime' || t === 'date') return 'date';
  return 'string';
}

/** Compares two values by the property's type; null when either cannot be read as that type. */
function compare(kind: Kind, a: string, b: string): number | null {
  if (kind === 'number') {
    const x = Number(a);
    const y = Number(b);
    return Number.isFinite(x) && Number.isFinite(y) ? x - y : null;
  }
  if (kind === 'date') {
    const x = parseDateValue(a);
    const y = parseDateValue(b);
    return x === null || y === null ? null : x - y;
  }
  // [unverified] string comparisons are case-insensitive, as HubSpot search behaves in practice.
  return a.toLowerCase().localeCompare(b.toLowerCase());
}

function tokens(value: string): string[] {
  const lower = value.toLowerCase();
  return [lower, ...lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean)];
}

/** CONTAINS_TOKEN: a whole token matches, `*` being a wildcard [doc: CRM search operators]. */
function containsToken(value: string, token: string): boolean {
  const t = token.toLowerCase();
  if (!t.includes('*')) return tokens(value).includes(t);
  const re = new RegExp(`^${t.split('*').map(escapeRe).join('.*')}$`);
  return tokens(value).some((v) => re.test(v));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matchFilter(portal: Portal, type: ObjectType, obj: StoredObject, f: Filter): boolean {
  // HubSpot's pseudo-property for "associated with record X" [doc: CRM search, "associations.{objectType}"].
  if (f.propertyName.startsWith('associations.')) {
    const toType = toObjectType(f.propertyName.slice('associations.'.length));
    if (!toType) return false;
    const ids = f.operator === 'IN' ? (f.values ?? []) : [f.value ?? ''];
    const hit = ids.some((id) => isAssociated(portal, type, obj.id, toType, id));
    return f.operator === 'NEQ' || f.operator === 'NOT_IN' ? !hit : hit;
  }
  const raw = obj.properties[f.propertyName];
  const has = raw !== undefined && raw !== '';
  const kind = kindOf(portal, type, f.propertyName);
  const cmp = (other: string | undefined) => (has && other !== undefined ? compare(kind, raw, other) : null);
  const eq = (other: string | undefined) => cmp(other) === 0;
  const ordered = (test: (c: number) => boolean) => {
    const c = cmp(f.value);
    return c !== null && test(c);
  };
  switch (f.operator) {
    case 'EQ':
      return eq(f.value);
    case 'NEQ':
      return !eq(f.value);
    case 'IN':
      return (f.values ?? []).some(eq);
    case 'NOT_IN':
      return !(f.values ?? []).some(eq);
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'CONTAINS_TOKEN':
      return has && containsToken(raw, f.value ?? '');
    case 'NOT_CONTAINS_TOKEN':
      return !(has && containsToken(raw, f.value ?? ''));
    case 'GT':
      return ordered((c) => c > 0);
    case 'GTE':
      return ordered((c) => c >= 0);
    case 'LT':
      return ordered((c) => c < 0);
    case 'LTE':
      return ordered((c) => c <= 0);
    case 'BETWEEN': {
      const lo = cmp(f.value);
      const hi = cmp(f.highValue);
      return lo !== null && hi !== null && lo >= 0 && hi <= 0;
    }
    default:
      return false;
  }
}

/**
 * Full-text `query` [unverified matching rules]: a number (5+ digits) matches
 * a phone property when both, read with the portal's default country and
 * without country code, are equal or one ends with the other (so national
 * and international forms meet); otherwise every word must appear in one of
 * the type's searchable properties.
 */
function matchQuery(portal: Portal, type: ObjectType, obj: StoredObject, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const props = QUERY_PROPS[type].map((p) => [p, obj.properties[p] ?? ''] as const).filter(([, v]) => v);
  if (q.replace(/\D/g, '').length >= 5 && /^[\d\s+().-]+$/.test(q)) {
    const wanted = searchableDigits(q, portal.defaultCountry);
    return props.some(([p, v]) => {
      const d = searchableDigits(v, portal.defaultCountry);
      return PHONE_PROPS.has(p) && d.length >= 5 && (d.endsWith(wanted) || wanted.endsWith(d));
    });
  }
  const words = q.split(/\s+/);
  return words.every((w) => props.some(([, v]) => v.toLowerCase().includes(w)));
}

function checkRequest(portal: Portal, type: ObjectType, body: z.infer<typeof searchSchema>): void {
  // API-CONTRACTS 2.1: "Up to 6 groups of filters"; limit <= 200.
  if (body.filterGroups.length > 6) {
    throw badRequest(`filterGroups: at most 6 filter groups are allowed, got ${body.filterGroups.length}`);
  }
  if (body.limit > 200) throw badRequest(`limit: must be at most 200, got ${body.limit}`);
  for (const f of body.filterGroups.flatMap((g) => g.filters)) {
    if (!OPERATORS.has(f.operator)) throw badRequest(`Unknown filter operator ${f.operator}`);
    if (f.propertyName.startsWith('associations.')) {
      if (!toObjectType(f.propertyName.slice('associations.'.length))) {
        throw badRequest(`Unknown association pseudo-property ${f.propertyName}`);
      }
      continue;
    }
    // [unverified wording] HubSpot refuses filters on properties it does not have.
    if (portal.strictProperties && !propertyDef(portal, type, f.propertyName)) {
      throw badRequest(`Property "${f.propertyName}" does not exist on ${type}`);
    }
  }
}

function sortKeys(sorts: z.infer<typeof searchSchema>['sorts']) {
  return sorts.map((s) =>
    typeof s === 'string'
      ? { name: s.replace(/^-/, ''), desc: s.startsWith('-') }
      : { name: s.propertyName, desc: (s.direction ?? 'ASCENDING').toUpperCase() === 'DESCENDING' },
  );
}

/** Runs a search against a portal (also used by tests through the simulator). */
export function runSearch(portal: Portal, type: ObjectType, rawBody: unknown) {
  const body = parseBody(searchSchema, rawBody);
  checkRequest(portal, type, body);
  let hits = [...portal.objects[type].values()].filter(
    (obj) =>
      !obj.archived &&
      (body.filterGroups.length === 0 ||
        body.filterGroups.some((g) => g.filters.every((f) => matchFilter(portal, type, obj, f)))) &&
      matchQuery(portal, type, obj, body.query ?? ''),
  );
  // [unverified] Without sorts, records come in id order.
  hits.sort((a, b) => Number(a.id) - Number(b.id));
  for (const key of sortKeys(body.sorts).reverse()) {
    const kind = kindOf(portal, type, key.name);
    hits = hits.toSorted((a, b) => {
      const x = a.properties[key.name];
      const y = b.properties[key.name];
      if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
      const c = compare(kind, x, y) ?? 0;
      return key.desc ? -c : c;
    });
  }
  const offset = body.after === undefined || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest(`after: not a paging cursor: ${body.after}`);
  const page = hits.slice(offset, offset + body.limit);
  const next = offset + body.limit;
  return {
    total: hits.length,
    results: page.map((o) => recordJson(type, o, body.properties ?? 'default', portal)),
    ...(next < hits.length && body.limit > 0
      ? { paging: { next: { after: String(next), link: `?after=${next}` } } }
      : {}),
  };
}

export function registerSearchRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/crm/v3/objects/:type/search', async (req) => {
    const type = pathType(z.object({ type: z.string() }).parse(req.params).type);
    return runSearch(ctx.portalOf(req), type, req.body);
  });
}
