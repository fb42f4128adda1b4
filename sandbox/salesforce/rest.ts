/**
 * The REST API under `/services/data/vNN.N/` (API-CONTRACTS 3.1, paths and
 * verbs from the Postman collection `rest/` and `composite/` folders), as one
 * dispatcher that both the HTTP route and composite subrequests call: a
 * composite is one API request however many subrequests it holds.
 */
import { type SObjectType, SOBJECT_TYPES } from './catalog.ts';
import { runCollections } from './collections.ts';
import { runComposite } from './composite.ts';
import {
  type RestContext,
  type RestRequest,
  type RestResponse,
  externalIdField,
  pathType,
  queryEnv,
  recordsByExternalId,
  saveResult,
  writeContext,
} from './context.ts';
import { type SalesforceSimError, badRequest, notFound, sfError } from './errors.ts';
import { describeObject, describeObjectSummary } from './fields.ts';
import { limitsBody } from './limits.ts';
import { queryMore, runSoql } from './query.ts';
import {
  attributesOf,
  createRecord,
  deleteRecord,
  pathRecord,
  toApiRecord,
  updateRecord,
} from './records.ts';
import { runParameterizedSearch, runSosl } from './sosl.ts';

/** Oldest API version served: sObject Collections need 42.0 (API-CONTRACTS 3.1). */
export const MIN_VERSION = 42;
/** Newest listed by `GET /services/data/` (Winter '27 [unverified]). */
export const MAX_LISTED_VERSION = 68;

/** The version in a `/services/data/vNN.N` segment, or null when not served (404). */
export function parseVersion(segment: string): string | null {
  const m = /^v(\d+)\.(\d)$/.exec(segment);
  if (!m || Number(m[1]) < MIN_VERSION) return null;
  return `${m[1]}.${m[2]}`;
}

/** `GET /services/data/`: the versions served. */
export function versionsList() {
  const out = [];
  for (let v = MIN_VERSION; v <= MAX_LISTED_VERSION; v++)
    out.push({ label: `v${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  return out;
}

function methodNotAllowed(method: string, allowed: string[]): SalesforceSimError {
  return sfError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
  );
}

const listParam = (q: URLSearchParams, name: string) => {
  const v = q.get(name);
  return v === null
    ? null
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
};

/** Routes one REST request; throws SalesforceSimError for Salesforce's error answers. */
export function dispatch(ctx: RestContext, req: RestRequest): RestResponse {
  const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, ...rest] = parts;
  const m = req.method.toUpperCase();
  const only = (...allowed: string[]) => {
    if (!allowed.includes(m)) throw methodNotAllowed(m, allowed);
  };
  switch (head) {
    case undefined:
      only('GET');
      return { status: 200, body: resources(req.version) };
    case 'sobjects':
      return sobjects(ctx, req, m, rest);
    case 'query':
    case 'queryAll': {
      only('GET');
      const env = queryEnv(ctx, req.version);
      if (rest.length === 1) return { status: 200, body: queryMore(ctx.state, env, rest[0] ?? '') };
      if (rest.length > 1) throw notFound();
      return { status: 200, body: runSoql(ctx.state, env, req.query.get('q') ?? '', head === 'queryAll') };
    }
    case 'search':
      only('GET');
      if (rest.length > 0) throw notFound();
      return { status: 200, body: runSosl(queryEnv(ctx, req.version), req.query.get('q') ?? '') };
    case 'parameterizedSearch':
      only('GET');
      return { status: 200, body: runParameterizedSearch(queryEnv(ctx, req.version), req.query) };
    case 'composite':
      if (rest.length === 0) {
        only('POST');
        if (ctx.composite)
          throw badRequest('INVALID_API_INPUT', 'A composite subrequest cannot be a composite.');
        return runComposite(ctx, req, dispatch);
      }
      if (rest[0] === 'sobjects') return runCollections(ctx, req, m, rest.slice(1));
      throw notFound();
    case 'limits':
      only('GET');
      return { status: 200, body: limitsBody(ctx.org, ctx.clock.now()) };
    default:
      throw notFound();
  }
}

function resources(version: string) {
  const root = `/services/data/v${version}`;
  const names = ['sobjects', 'query', 'queryAll', 'search', 'parameterizedSearch', 'composite', 'limits'];
  return Object.fromEntries(names.map((n) => [n, `${root}/${n}`]));
}

function sobjects(ctx: RestContext, req: RestRequest, m: string, rest: string[]): RestResponse {
  const only = (...allowed: string[]) => {
    if (!allowed.includes(m)) throw methodNotAllowed(m, allowed);
  };
  const version = req.version;
  if (rest.length === 0) {
    only('GET');
    return {
      status: 200,
      body: {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: SOBJECT_TYPES.map((t) => describeObjectSummary(t, version)),
      },
    };
  }
  const type = pathType(rest[0] ?? '');
  if (rest.length === 1) {
    only('GET', 'POST');
    if (m === 'GET')
      return { status: 200, body: { objectDescribe: describeObjectSummary(type, version), recentItems: [] } };
    const rec = createRecord(writeContext(ctx), type, req.body);
    return {
      status: 201,
      body: saveResult(rec.Id),
      headers: { Location: attributesOf(type, rec.Id, version).url },
    };
  }
  if (rest.length === 2 && rest[1] === 'describe') {
    only('GET');
    return { status: 200, body: describeObject(ctx.org, type, version) };
  }
  if (rest.length === 2) {
    only('GET', 'PATCH', 'DELETE');
    const rec = pathRecord(ctx.org, type, rest[1] ?? '');
    if (m === 'GET')
      return { status: 200, body: toApiRecord(ctx.org, rec, version, listParam(req.query, 'fields')) };
    if (m === 'PATCH') {
      updateRecord(writeContext(ctx), rec, req.body);
      return { status: 204 };
    }
    deleteRecord(writeContext(ctx), rec);
    return { status: 204 };
  }
  if (rest.length === 3) {
    only('GET', 'PATCH', 'DELETE');
    return byExternalId(ctx, req, m, type, rest[1] ?? '', rest[2] ?? '');
  }
  throw notFound();
}

/**
 * `/sobjects/{T}/{ExtIdField}/{value}` (Postman `rest/sobject_rows_by_external_id.json`):
 * GET reads, PATCH upserts (201 created / 200 updated from v46.0), DELETE
 * deletes; several matches answer 300 with their URLs.
 */
function byExternalId(
  ctx: RestContext,
  req: RestRequest,
  m: string,
  type: SObjectType,
  fieldName: string,
  value: string,
): RestResponse {
  const f = externalIdField(ctx.org, type, fieldName);
  const matches = recordsByExternalId(ctx.org, type, f.name, value);
  if (matches.length > 1)
    return { status: 300, body: matches.map((r) => attributesOf(type, r.Id, req.version).url) };
  const [found] = matches;
  if (m === 'GET') {
    if (!found) throw notFound();
    return { status: 200, body: toApiRecord(ctx.org, found, req.version, listParam(req.query, 'fields')) };
  }
  if (m === 'DELETE') {
    if (!found) throw notFound();
    deleteRecord(writeContext(ctx), found);
    return { status: 204 };
  }
  const body =
    req.body && typeof req.body === 'object' ? { ...(req.body as Record<string, unknown>) } : req.body;
  if (found) {
    updateRecord(writeContext(ctx), found, body);
    const newer = Number(req.version) >= 46;
    return newer ? { status: 200, body: saveResult(found.Id, false, req.version) } : { status: 204 };
  }
  if (req.query.get('updateOnly') === 'true') throw notFound();
  const withKey = body && typeof body === 'object' ? { ...body, [f.name]: value } : body;
  const rec = createRecord(writeContext(ctx), type, withKey);
  return {
    status: 201,
    body: saveResult(rec.Id, true, req.version),
    headers: { Location: attributesOf(type, rec.Id, req.version).url },
  };
}
