/**
 * What the REST modules share: the request and answer shapes of the
 * dispatcher (rest.ts), the session's org and API user, and helpers for
 * paths, save results and external ids.
 */
import type { SimClock } from '../common/sim.ts';
import { type SObjectType, toSObjectType } from './catalog.ts';
import { notFound } from './errors.ts';
import { findField } from './fields.ts';
import type { QueryEnv } from './query.ts';
import type { WriteContext } from './records.ts';
import type { Org, SalesforceState, StoredRecord } from './state.ts';

export interface RestRequest {
  method: string;
  /** The path after `/services/data/vNN.N`, e.g. `/sobjects/Task/00T...`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** e.g. "60.0". */
  version: string;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestContext {
  state: SalesforceState;
  clock: SimClock;
  org: Org;
  /** The API user of the session (the installer for OAuth tokens). */
  userId: string;
  /** Set while running a composite's subrequests (no nesting; its allOrNone overrides collections'). */
  composite?: { allOrNone: boolean };
}

export function writeContext(ctx: RestContext): WriteContext {
  return { state: ctx.state, org: ctx.org, actorId: ctx.userId, now: ctx.clock.now() };
}

export function queryEnv(ctx: RestContext, version: string): QueryEnv {
  return { org: ctx.org, now: ctx.clock.now(), version };
}

/** The object a path names, or 404 NOT_FOUND like an unknown resource. */
export function pathType(raw: string): SObjectType {
  const type = toSObjectType(raw);
  if (!type) throw notFound();
  return type;
}

/** `{id, success, errors}` of a write (and `created` for upserts from v46.0). */
export function saveResult(id: string, created?: boolean, version?: string) {
  const out: Record<string, unknown> = { id, success: true, errors: [] };
  if (created !== undefined && Number(version) >= 46) out.created = created;
  return out;
}

/** Live records whose external id field holds `value` (text compared case-insensitively). */
export function recordsByExternalId(
  org: Org,
  type: SObjectType,
  field: string,
  value: string,
): StoredRecord[] {
  const wanted = value.toLowerCase();
  return [...org.records[type].values()].filter((r) => {
    const v = r.fields[field];
    return !r.deleted && v !== null && v !== undefined && String(v).toLowerCase() === wanted;
  });
}

/** The external id field a path names: 404 NOT_FOUND when absent, hidden or not an external id (doc: dome_upsert). */
export function externalIdField(org: Org, type: SObjectType, name: string) {
  const f = findField(org, type, name);
  if (!f || !f.externalId)
    throw notFound(`Provided external ID field does not exist or is not accessible: ${name}`);
  return f;
}
