/**
 * HubSpot API responses (STYLE.md 7): a lenient raw schema per response,
 * the strict model the client returns, and the named mapper between them.
 * Each schema names its endpoint and API-CONTRACTS section; the models are
 * what the rest of the product reads, so vendor quirks stop here (ids as
 * strings, property values as string or null).
 */
import { z } from 'zod';
import { hubspotTicketPipelineSchema } from './facts.ts';

/** HubSpot sends ids as strings in v3 and as numbers in v4 (API-CONTRACTS 2.1). */
const idSchema = z.union([z.string(), z.number()]).transform(String);
const nullableString = z.string().nullable().optional();

// ---------------------------------------------------------------------------
// Records

/**
 * `SimplePublicObject` (API-CONTRACTS 2.1): the answer of create, read,
 * update, and of each search/batch result. `associations` is v3's
 * `?associations=` expansion.
 */
export const rawObjectSchema = z.looseObject({
  id: idSchema,
  properties: z.record(z.string(), z.unknown()).default({}),
  createdAt: nullableString,
  updatedAt: nullableString,
  archived: z.boolean().optional(),
  associations: z
    .record(
      z.string(),
      z.looseObject({
        results: z.array(z.looseObject({ id: idSchema, type: z.string().optional() })).default([]),
      }),
    )
    .optional(),
  /** Batch upsert only: whether the record was created. */
  new: z.boolean().optional(),
});

export interface HubspotObject {
  id: string;
  /** Values are strings in HubSpot's model; a requested property without a value is null. */
  properties: Record<string, string | null>;
  /** ISO 8601; always sent by HubSpot (`SimplePublicObject`), absent only if HubSpot omitted it. */
  createdAt?: string;
  updatedAt?: string;
  archived: boolean;
  /** v3 association expansion, by object type: the associated ids and type names. */
  associations: Record<string, { id: string; type: string }[]>;
}

export function toHubspotObject(raw: z.infer<typeof rawObjectSchema>): HubspotObject {
  const properties: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(raw.properties)) {
    properties[k] = v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);
  }
  const associations: Record<string, { id: string; type: string }[]> = {};
  for (const [type, list] of Object.entries(raw.associations ?? {})) {
    associations[type] = list.results.map((r) => ({ id: r.id, type: r.type ?? '' }));
  }
  return {
    id: raw.id,
    properties,
    ...(raw.createdAt ? { createdAt: raw.createdAt } : {}),
    ...(raw.updatedAt ? { updatedAt: raw.updatedAt } : {}),
    archived: raw.archived ?? false,
    associations,
  };
}

/** `POST /crm/v3/objects/{type}/search` answer (API-CONTRACTS 2.1, 2.5). */
export const rawSearchPageSchema = z.looseObject({
  total: z.number().default(0),
  results: z.array(rawObjectSchema).default([]),
  paging: z.looseObject({ next: z.looseObject({ after: idSchema }).optional() }).optional(),
});

export interface HubspotSearchPage {
  total: number;
  results: HubspotObject[];
  /** The `after` of the next page, or null on the last page. */
  nextAfter: string | null;
}

export function toHubspotSearchPage(raw: z.infer<typeof rawSearchPageSchema>): HubspotSearchPage {
  return {
    total: raw.total,
    results: raw.results.map(toHubspotObject),
    nextAfter: raw.paging?.next?.after ?? null,
  };
}

/** `BatchResponseSimplePublicObject` of `.../batch/{read,update,upsert,create}` (API-CONTRACTS 2.1); 207 adds `errors`. */
export const rawBatchSchema = z.looseObject({
  status: z.string().optional(),
  results: z.array(rawObjectSchema).default([]),
  errors: z.array(z.unknown()).default([]),
});

// ---------------------------------------------------------------------------
// Associations

/** One association type of a pair (API-CONTRACTS 2.1 `AssociationSpec`, 2.3 for the ids). */
export interface HubspotAssociationSpec {
  associationCategory: string;
  associationTypeId: number;
}

/** An association given at creation (`SimplePublicObjectInputForCreate.associations[]`). */
export interface HubspotAssociationInput {
  to: { id: string };
  types: HubspotAssociationSpec[];
}

/** `GET /crm/v4/objects/{from}/{id}/associations/{to}` page (API-CONTRACTS 2.1). */
export const rawAssociationPageSchema = z.looseObject({
  results: z
    .array(
      z.looseObject({
        toObjectId: idSchema,
        associationTypes: z
          .array(
            z.looseObject({
              category: z.string(),
              typeId: z.number(),
              label: z.string().nullable().optional(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  paging: z.looseObject({ next: z.looseObject({ after: idSchema }).optional() }).optional(),
});

export interface HubspotAssociation {
  toObjectId: string;
  associationTypes: { category: string; typeId: number; label: string | null }[];
}

export function toHubspotAssociation(
  raw: z.infer<typeof rawAssociationPageSchema>['results'][number],
): HubspotAssociation {
  return {
    toObjectId: raw.toObjectId,
    associationTypes: raw.associationTypes.map((t) => ({
      category: t.category,
      typeId: t.typeId,
      label: t.label ?? null,
    })),
  };
}

// ---------------------------------------------------------------------------
// Owners, pipelines, outcomes, properties

/** `GET /crm/v3/owners` page of `PublicOwner` (API-CONTRACTS 2.1 "Owners"). */
export const rawOwnersPageSchema = z.looseObject({
  results: z
    .array(
      z.looseObject({
        id: idSchema,
        email: nullableString,
        firstName: nullableString,
        lastName: nullableString,
        userId: z.number().nullable().optional(),
        archived: z.boolean().optional(),
        createdAt: nullableString,
        updatedAt: nullableString,
      }),
    )
    .default([]),
  paging: z.looseObject({ next: z.looseObject({ after: idSchema }).optional() }).optional(),
});

export interface HubspotOwner {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  userId: number | null;
  archived: boolean;
  createdAt: string | null;
  updatedAt: string | null;
}

export function toHubspotOwner(raw: z.infer<typeof rawOwnersPageSchema>['results'][number]): HubspotOwner {
  return {
    id: raw.id,
    email: raw.email ?? null,
    firstName: raw.firstName ?? null,
    lastName: raw.lastName ?? null,
    userId: raw.userId ?? null,
    archived: raw.archived ?? false,
    createdAt: raw.createdAt ?? null,
    updatedAt: raw.updatedAt ?? null,
  };
}

/** `GET /crm/v3/pipelines/tickets` (API-CONTRACTS 2.1, 2.6); the pipeline model is facts.ts's. */
export const rawPipelinesSchema = z.looseObject({
  results: z.array(hubspotTicketPipelineSchema).default([]),
});

/**
 * `GET /crm/v3/properties/{objectType}/{name}` `Property` [spec properties.json];
 * for `calls/hs_call_disposition` the options are the portal's outcomes (API-CONTRACTS 2.2).
 */
export const rawPropertySchema = z.looseObject({
  name: z.string(),
  options: z
    .array(z.looseObject({ label: z.string(), value: z.string(), hidden: z.boolean().optional() }))
    .default([]),
});

/** A custom property to create (`PropertyCreate` [spec]); `hasUniqueValue` makes HubSpot refuse duplicates. */
export interface HubspotPropertyDef {
  name: string;
  label: string;
  type: 'string' | 'number' | 'datetime' | 'date' | 'enumeration' | 'bool' | 'phone_number';
  fieldType: string;
  groupName: string;
  description?: string;
  hasUniqueValue?: boolean;
  options?: { label: string; value: string; displayOrder?: number; hidden?: boolean }[];
}

// ---------------------------------------------------------------------------
// OAuth

/** `POST /oauth/v1/token` answer (API-CONTRACTS 2 "Auth"). */
export const rawTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number(),
  token_type: z.string().optional(),
});

/** `GET /oauth/v1/access-tokens/{token}` [doc: HubSpot OAuth "access token information"]. */
export const rawTokenInfoSchema = z.looseObject({
  hub_id: idSchema,
  scopes: z.array(z.string()).default([]),
  expires_in: z.number().optional(),
  /** The email of the user who consented (the installer), and their user id. */
  user: z.string().nullish(),
  user_id: z.union([z.number(), z.string()]).nullish(),
});

/** `GET /settings/v3/users/{userId}` [unverified beyond id/email]. */
export const rawUserSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  email: z.string().nullish(),
  superAdmin: z.boolean().default(false),
});

// ---------------------------------------------------------------------------
// Errors

/**
 * HubSpot's `Error` (API-CONTRACTS 2.1), its 429 body (2.7: `policyName`,
 * `errorType` or `category: RATE_LIMITS`) and the token endpoint's
 * `{status: "BAD_REFRESH_TOKEN", message}`: all parts optional.
 */
export const rawErrorSchema = z.looseObject({
  status: z.string().optional(),
  message: z.string().optional(),
  category: z.string().optional(),
  subCategory: z.string().optional(),
  policyName: z.string().optional(),
  errorType: z.string().optional(),
  correlationId: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  errors: z
    .array(
      z.looseObject({
        message: z.string().optional(),
        code: z.string().optional(),
        context: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
});
export type HubspotRawError = z.infer<typeof rawErrorSchema>;
