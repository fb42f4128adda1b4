/**
 * sObject Collections (API-CONTRACTS 3.1; Postman `composite/sobject_collections_*.json`;
 * doc resources_composite_sobjects_collections*.htm): up to 200 records per
 * request, one result per record in order, `allOrNone` rolling back all of
 * them when one fails.
 * - `POST /composite/sobjects` creates (records carry `attributes.type`);
 * - `PATCH /composite/sobjects` (or `/composite/sobjects/{T}`, the Postman
 *   form) updates records carrying `id`;
 * - `PATCH /composite/sobjects/{T}/{ExtIdField}` upserts (API v46.0+);
 * - `GET /composite/sobjects/{T}?ids=&fields=` reads; `DELETE /composite/sobjects?ids=` deletes.
 * Results: `{id, success, errors:[{statusCode, message, fields}]}`.
 */
import { type SObjectType, toSObjectType } from './catalog.ts';
import { SalesforceSimError, badRequest, notFound, sfError } from './errors.ts';
import { findRecord, typeOfId, toApiRecord, createRecord, updateRecord, deleteRecord } from './records.ts';
import {
  type RestContext,
  type RestRequest,
  type RestResponse,
  externalIdField,
  pathType,
  recordsByExternalId,
  saveResult,
  writeContext,
} from './context.ts';
import { snapshotOrg } from './state.ts';
import { to18 } from './ids.ts';

/** Records per collection request [unverified: API-CONTRACTS 3.1]. */
export const MAX_COLLECTION_RECORDS = 200;

interface ItemError {
  statusCode: string;
  message: string;
  fields: string[];
}

type ItemResult = Record<string, unknown> & { success: boolean };

const failure = (statusCode: string, message: string, fields: string[] = []): ItemResult => ({
  success: false,
  errors: [{ statusCode, message, fields } satisfies ItemError],
});

const ROLLED_BACK = () =>
  failure(
    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  );

/** A thrown Salesforce error as a collection item's result. */
function asItem(err: unknown): ItemResult {
  if (err instanceof SalesforceSimError && err.entry)
    return failure(err.entry.errorCode, err.entry.message, err.entry.fields ?? []);
  throw err;
}

function recordsOf(body: unknown): { allOrNone: boolean; records: Record<string, unknown>[] } {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (!Array.isArray(b.records))
    throw badRequest(
      'JSON_PARSER_ERROR',
      'Send {"allOrNone": boolean, "records": [{"attributes": {"type": ...}, ...}]}.',
    );
  if (b.records.length > MAX_COLLECTION_RECORDS)
    throw badRequest(
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`,
    );
  return {
    allOrNone: b.allOrNone === true,
    records: b.records.map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>) : {})),
  };
}

/** The record's `attributes.type`, or `fallback`. */
function typeOf(rec: Record<string, unknown>, fallback: SObjectType | null): SObjectType | null {
  const attrs = rec.attributes as { type?: unknown } | undefined;
  return typeof attrs?.type === 'string' ? toSObjectType(attrs.type) : fallback;
}

/** Runs each item; with allOrNone a failure rolls all back (the composite's allOrNone overrides). */
function runItems(
  ctx: RestContext,
  allOrNone: boolean,
  items: Record<string, unknown>[],
  run: (item: Record<string, unknown>) => ItemResult,
): RestResponse {
  const atomic = ctx.composite?.allOrNone === true || allOrNone;
  const restore = atomic ? snapshotOrg(ctx.org) : null;
  const results = items.map((item) => {
    try {
      return run(item);
    } catch (err) {
      return asItem(err);
    }
  });
  if (restore && results.some((r) => !r.success)) {
    restore();
    return { status: 200, body: results.map((r) => (r.success ? ROLLED_BACK() : r)) };
  }
  return { status: 200, body: results };
}

export function runCollections(ctx: RestContext, req: RestRequest, m: string, rest: string[]): RestResponse {
  const version = req.version;
  const defaultType = rest[0] ? pathType(rest[0]) : null;
  if (m === 'POST' && rest.length === 0) {
    const { allOrNone, records } = recordsOf(req.body);
    return runItems(ctx, allOrNone, records, (item) => {
      const type = typeOf(item, null);
      if (!type)
        return failure('INVALID_TYPE', 'Each record needs attributes.type naming a supported sObject.');
      if ('id' in item || 'Id' in item)
        return failure('INVALID_FIELD', 'Record ID: cannot specify Id in an insert call');
      return saveResult(createRecord(writeContext(ctx), type, item).Id) as ItemResult;
    });
  }
  if (m === 'PATCH' && rest.length <= 1) {
    const { allOrNone, records } = recordsOf(req.body);
    return runItems(ctx, allOrNone, records, (item) => {
      const { id: lower, Id: upper, ...fields } = item;
      const rawId = typeof lower === 'string' ? lower : typeof upper === 'string' ? upper : null;
      if (!rawId) return failure('MISSING_ARGUMENT', 'Id not specified in an update call');
      const id = to18(rawId);
      const type = typeOf(item, defaultType);
      if (!id || !type || typeOfId(id) !== type)
        return failure('MALFORMED_ID', `malformed id ${rawId}`, ['Id']);
      const rec = findRecord(ctx.org, id);
      if (!rec) return failure('ENTITY_IS_DELETED', 'entity is deleted');
      updateRecord(writeContext(ctx), rec, fields);
      return saveResult(rec.Id) as ItemResult;
    });
  }
  if (m === 'PATCH' && rest.length === 2 && defaultType) {
    if (Number(version) < 46) throw notFound();
    const f = externalIdField(ctx.org, defaultType, rest[1] ?? '');
    const { allOrNone, records } = recordsOf(req.body);
    return runItems(ctx, allOrNone, records, (item) => {
      const value = item[f.name];
      if (value === undefined || value === null || value === '')
        return failure('MISSING_ARGUMENT', `${f.name} not specified`, [f.name]);
      const matches = recordsByExternalId(ctx.org, defaultType, f.name, String(value));
      if (matches.length > 1)
        return failure(
          'DUPLICATE_EXTERNAL_ID',
          `${f.name}: more than one record found for external id field: [${matches.map((r) => r.Id).join(', ')}]`,
          [f.name],
        );
      const [found] = matches;
      if (found) {
        updateRecord(writeContext(ctx), found, item);
        return saveResult(found.Id, false, version) as ItemResult;
      }
      return saveResult(createRecord(writeContext(ctx), defaultType, item).Id, true, version) as ItemResult;
    });
  }
  if (m === 'GET' && rest.length === 1 && defaultType) {
    const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
    const fields = (req.query.get('fields') ?? '').split(',').filter(Boolean);
    if (ids.length === 0 || fields.length === 0)
      throw badRequest('MISSING_ARGUMENT', 'ids and fields are required: ?ids=a,b&fields=Name,Phone');
    const body = ids.map((raw) => {
      const rec = findRecord(ctx.org, raw);
      return rec && rec.type === defaultType ? toApiRecord(ctx.org, rec, version, fields) : null;
    });
    return { status: 200, body };
  }
  if (m === 'DELETE' && rest.length === 0) {
    const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length === 0) throw badRequest('MISSING_ARGUMENT', 'ids is required: ?ids=a,b');
    if (ids.length > MAX_COLLECTION_RECORDS)
      throw badRequest(
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`,
      );
    const items = ids.map((id) => ({ id }));
    return runItems(ctx, req.query.get('allOrNone') === 'true', items, (item) => {
      const rec = findRecord(ctx.org, String(item.id));
      if (!rec) return { id: item.id, ...failure('ENTITY_IS_DELETED', 'entity is deleted') };
      deleteRecord(writeContext(ctx), rec);
      return saveResult(rec.Id) as ItemResult;
    });
  }
  throw sfError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${m}' not allowed on /composite/sobjects${rest.length ? `/${rest.join('/')}` : ''}`,
  );
}
