/**
 * Salesforce REST API responses (STYLE.md 7): a lenient raw schema per
 * response, the model the client returns, and the named mapper between them.
 * Salesforce publishes no OpenAPI document (API-CONTRACTS 0), so each schema
 * names the Postman request of shared/specs/salesforce and the REST guide
 * page it follows. Vendor quirks stop here: datetimes become ISO 8601,
 * records lose their `attributes` envelope but keep their type.
 */
import { z } from 'zod';

const nullableString = z.string().nullable().optional();

/**
 * Salesforce's datetime `2026-11-22T04:33:58.000+0000` as ISO 8601
 * (`...Z` / `+hh:mm`), which `Date.parse` reads everywhere; other values as given.
 */
export function isoDateTime(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-])(\d{2}):?(\d{2})$/.exec(value);
  if (!m) return value;
  const [, time, sign, hh, mm] = m;
  return sign === '+' && hh === '00' && mm === '00' ? `${time}Z` : `${time}${sign}${hh}:${mm}`;
}

// ---------------------------------------------------------------------------
// Records

/**
 * One record of a query, search, read or composite answer: `attributes`
 * names its type; fields are JSON values, relationship fields nested records.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm
 */
export const rawRecordSchema = z.looseObject({
  attributes: z.looseObject({ type: z.string(), url: z.string().optional() }).optional(),
  Id: z.string().optional(),
});
export type SalesforceRawRecord = z.infer<typeof rawRecordSchema>;

/** A record: its sObject type and its fields as Salesforce sent them (datetimes left as sent). */
export interface SalesforceRecord {
  type: string;
  id: string | null;
  fields: Record<string, unknown>;
}

export function toSalesforceRecord(raw: SalesforceRawRecord, fallbackType = ''): SalesforceRecord {
  const { attributes, ...fields } = raw;
  return { type: attributes?.type ?? fallbackType, id: raw.Id ?? null, fields };
}

/**
 * `GET /query?q=` (Postman `rest/query.json`, `nextRecordsUrl` for the next
 * page): https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 */
export const rawQueryPageSchema = z.looseObject({
  totalSize: z.number().default(0),
  done: z.boolean().default(true),
  nextRecordsUrl: nullableString,
  records: z.array(rawRecordSchema).default([]),
});

/**
 * `GET /search?q=` (Postman `rest/search.json`): `{searchRecords: [...]}`, in
 * the order of RETURNING then each object's ORDER BY (API-CONTRACTS 3.1,
 * shape [unverified]); older versions answered a bare array, read too.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_search.htm
 */
export const rawSearchSchema = z.union([
  z.looseObject({ searchRecords: z.array(rawRecordSchema).default([]) }),
  z.array(rawRecordSchema).transform((searchRecords) => ({ searchRecords })),
]);

/**
 * `POST /sobjects/{T}` and upsert `PATCH /sobjects/{T}/{ExtIdField}/{value}`
 * (Postman `rest/sobject_create.json`, `rest/sobject_rows_by_external_id.json`):
 * `{id, success, errors}`, upsert adds `created` (API-CONTRACTS 3.1).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 */
export const rawSaveResultSchema = z.looseObject({
  id: z.string().min(1),
  success: z.boolean().default(true),
  created: z.boolean().optional(),
  errors: z.array(z.unknown()).default([]),
});

/**
 * sObject Collections (API-CONTRACTS 3.1; Postman `composite/sobject_collections_*.json`):
 * `POST /composite/sobjects` (create), `PATCH /composite/sobjects` (update),
 * `PATCH /composite/sobjects/{T}/{ExtIdField}` (upsert, v46.0+). One result
 * per record, in the records' order; with `allOrNone: false` each keeps its
 * own errors `[{statusCode, message, fields}]`, upserts add `created`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm
 */
export const rawCollectionResultsSchema = z.array(
  z.looseObject({
    id: z.string().nullable().optional(),
    success: z.boolean(),
    created: z.boolean().optional(),
    errors: z
      .array(
        z.looseObject({
          statusCode: z.string().optional(),
          message: z.string().optional(),
          fields: z.array(z.string()).optional(),
        }),
      )
      .default([]),
  }),
);

/**
 * `POST /composite` (Postman `composite/composite.json`): one answer per
 * subrequest, in order, with its own status and body.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
export const rawCompositeSchema = z.looseObject({
  compositeResponse: z
    .array(
      z.looseObject({
        body: z.unknown(),
        httpStatusCode: z.number(),
        referenceId: z.string(),
        httpHeaders: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .default([]),
});

export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the instance, starting `/services/data/vNN.N/`. */
  url: string;
  referenceId: string;
  body?: unknown;
}

export interface CompositeAnswer {
  referenceId: string;
  status: number;
  body: unknown;
}

// ---------------------------------------------------------------------------
// Describe and limits

/**
 * `GET /sobjects/{T}/describe` (Postman `rest/sobject_describe.json`): the
 * fields the API user sees, with what the bridge reads of each (SF-TYPE-1,
 * SF-FLD-1, GEN-REQ-1, SF-LEAD-1).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
export const rawDescribeSchema = z.looseObject({
  name: z.string(),
  fields: z
    .array(
      z.looseObject({
        name: z.string(),
        label: z.string().optional(),
        type: z.string().optional(),
        createable: z.boolean().default(false),
        updateable: z.boolean().default(false),
        nillable: z.boolean().default(true),
        defaultedOnCreate: z.boolean().default(false),
        externalId: z.boolean().default(false),
        custom: z.boolean().default(false),
      }),
    )
    .default([]),
});
export type SalesforceDescribe = z.infer<typeof rawDescribeSchema>;
export type SalesforceFieldDescribe = SalesforceDescribe['fields'][number];

/** Fields Salesforce refuses a create without: createable, not nillable, not defaulted, not a checkbox. */
export function requiredFieldsOf(describe: SalesforceDescribe): string[] {
  return describe.fields
    .filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean')
    .map((f) => f.name);
}

/**
 * `GET /limits` (Postman `rest/limit.json`): `DailyApiRequests {Max,
 * Remaining}` (API-CONTRACTS 3.1, shape [unverified]).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
 */
export const rawLimitsSchema = z.looseObject({
  DailyApiRequests: z.looseObject({ Max: z.number(), Remaining: z.number() }),
});

// ---------------------------------------------------------------------------
// OAuth

/**
 * `POST /services/oauth2/token`, authorization code or refresh token
 * (Postman `auth/web_server_flow_2.json`, `auth/refresh_token.json`;
 * API-CONTRACTS 3.1 "OAuth refresh"): a refresh answers no `refresh_token`.
 * `id` is the identity URL `.../id/{orgId}/{userId}`.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export const rawTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.string().url(),
  id: z.string().url(),
  token_type: z.string().optional(),
  issued_at: z.union([z.string(), z.number()]).optional(),
  scope: z.string().optional(),
  signature: z.string().optional(),
});

/**
 * `GET {id URL}` with the access token: the user who consented (Postman
 * `auth/user_info.json` is its OpenID sibling).
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 */
export const rawIdentitySchema = z.looseObject({
  user_id: z.string().min(1),
  organization_id: z.string().min(1),
  email: nullableString,
  username: nullableString,
  display_name: nullableString,
});

// ---------------------------------------------------------------------------
// Errors

/**
 * A REST error answer: `[{message, errorCode, fields}]` (API-CONTRACTS 3.5).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
export const rawErrorArraySchema = z.array(
  z.looseObject({
    message: z.string().optional(),
    errorCode: z.string().optional(),
    fields: z.array(z.string()).optional(),
  }),
);
export type SalesforceRawError = z.infer<typeof rawErrorArraySchema>[number];

/** The OAuth endpoints' error: `{error, error_description}` (API-CONTRACTS 3.1). */
export const rawOauthErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});
