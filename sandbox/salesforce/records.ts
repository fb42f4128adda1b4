/**
 * Creating, updating, deleting and reading records as Salesforce does it:
 * field access, value types and lengths, references, required and unique
 * fields, defaults and the fields Salesforce derives (Name, IsClosed,
 * CaseNumber, CreatedDate...). Error codes: API-CONTRACTS 3.5 and
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm;
 * exact messages [unverified] unless the contract gives them.
 */
import {
  CASE_CLOSED_STATUSES,
  type FieldDef,
  type FieldValue,
  OPPORTUNITY_CLOSED_STAGES,
  type SObjectType,
  TASK_CLOSED_STATUSES,
  sobjectDef,
} from './catalog.ts';
import { type SalesforceSimError, badRequest, noSuchColumn, notFound, sfError } from './errors.ts';
import { findField, isRequired, visibleFields } from './fields.ts';
import { KEY_PREFIXES, makeId, to18 } from './ids.ts';
import { type Org, type SalesforceState, type StoredRecord, parseDateTime, sfDateTime } from './state.ts';

/** Who writes, when, and how strictly. */
export interface WriteContext {
  state: SalesforceState;
  org: Org;
  /** The API user: CreatedById/LastModifiedById, and OwnerId by default (SF-MISC-1). */
  actorId: string;
  now: number;
  /**
   * Seeds load data "already in Salesforce": they may set read-only fields
   * (Id, CreatedDate, IsConverted...) and skip required-field checks, as
   * records created before a field became required do (GEN-REQ-1).
   */
  trusted?: boolean;
}

/** The object an id belongs to, by its key prefix, or null. */
export function typeOfId(id: string): SObjectType | null {
  const prefix = id.slice(0, 3);
  const entry = Object.entries(KEY_PREFIXES).find(([, p]) => p === prefix);
  return entry ? (entry[0] as SObjectType) : null;
}

/** A live record of any type by id (15 or 18 characters), or null. */
export function findRecord(org: Org, id: string): StoredRecord | null {
  const full = to18(id);
  const type = full === null ? null : typeOfId(full);
  if (full === null || type === null) return null;
  const rec = org.records[type].get(full);
  return rec && !rec.deleted ? rec : null;
}

/**
 * The record a path names: 404 NOT_FOUND when the id is malformed, of
 * another object, or unknown; ENTITY_IS_DELETED when deleted [unverified
 * messages].
 */
export function pathRecord(org: Org, type: SObjectType, rawId: string): StoredRecord {
  const id = to18(rawId);
  const rec = id === null || typeOfId(id) !== type ? undefined : org.records[type].get(id);
  if (!rec) {
    if (id === null)
      throw notFound(`Provided external ID field does not exist or is not accessible: ${rawId}`);
    throw notFound();
  }
  if (rec.deleted) throw sfError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  return rec;
}

function parserError(type: string, value: unknown): SalesforceSimError {
  return badRequest(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${type} from VALUE_STRING value ${JSON.stringify(value)} or request may be missing a required field`,
  );
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A value checked and converted for a field, or the error Salesforce answers. */
function coerce(ctx: WriteContext, type: SObjectType, f: FieldDef, raw: unknown): FieldValue {
  if (raw === null || raw === undefined || raw === '') {
    // A checkbox cannot be null: null clears it.
    return f.type === 'boolean' ? false : null;
  }
  if (typeof raw === 'object') throw parserError(f.type, raw);
  switch (f.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw parserError('boolean', raw);
    case 'int': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isInteger(n)) throw parserError('int', raw);
      return n;
    }
    case 'double':
    case 'currency': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(n)) throw parserError('double', raw);
      return n;
    }
    case 'date': {
      const s = String(raw);
      if (!DATE_RE.test(s) || Number.isNaN(Date.parse(s))) throw parserError('date', raw);
      return s;
    }
    case 'datetime': {
      const ms = parseDateTime(String(raw));
      if (Number.isNaN(ms)) throw parserError('datetime', raw);
      return sfDateTime(ms);
    }
    case 'id':
    case 'reference':
      return checkReference(ctx, type, f, String(raw));
    default:
      break;
  }
  const s = String(raw);
  if (f.length > 0 && s.length > f.length) {
    throw badRequest(
      'STRING_TOO_LONG',
      `${f.label}: data value too large: ${s.length > 80 ? `${s.slice(0, 80)}...` : s} (max length=${f.length})`,
      [f.name],
    );
  }
  if (f.type === 'email' && !EMAIL_RE.test(s))
    throw badRequest('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${s}`, [f.name]);
  if (f.type === 'picklist' && f.restrictedPicklist && !f.picklistValues.some((p) => p.value === s)) {
    throw badRequest(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `${f.label}: bad value for restricted picklist field: ${s}`,
      [f.name],
    );
  }
  return s;
}

/**
 * A reference value: MALFORMED_ID when not an id, FIELD_INTEGRITY_EXCEPTION
 * when it names another object, INVALID_CROSS_REFERENCE_KEY when no such
 * record; a converted Lead cannot be a WhoId (CANNOT_UPDATE_CONVERTED_LEAD,
 * "cannot reference converted lead") and an inactive user cannot own a
 * record (INACTIVE_OWNER_OR_USER).
 */
function checkReference(ctx: WriteContext, type: SObjectType, f: FieldDef, raw: string): string {
  const id = to18(raw);
  if (id === null)
    throw badRequest('MALFORMED_ID', `${f.label}: id value of incorrect type: ${raw}`, [f.name]);
  const target = typeOfId(id);
  if (target === null || !f.referenceTo.includes(target))
    throw badRequest('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${raw}`, [f.name]);
  const rec = findRecord(ctx.org, id);
  if (!rec) throw badRequest('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [f.name]);
  if (target === 'Lead' && rec.fields.IsConverted === true)
    throw badRequest('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', [f.name]);
  if (f.name === 'OwnerId' && rec.fields.IsActive === false) {
    throw badRequest(
      'INACTIVE_OWNER_OR_USER',
      `operation performed with inactive user [${id}] as owner of ${type.toLowerCase()}`,
      [f.name],
    );
  }
  return id;
}

/** The body's values by canonical field name, checked for existence, access and type. */
function readBody(ctx: WriteContext, type: SObjectType, body: unknown, mode: 'create' | 'update') {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object of field values.');
  const values: Record<string, FieldValue> = {};
  const readOnlyFields: string[] = [];
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'attributes') continue;
    const f = findField(ctx.org, type, key);
    if (!f) throw noSuchColumn(type, key);
    if (f.name === 'Id') {
      if (mode === 'create' && !ctx.trusted)
        throw badRequest('INVALID_FIELD', 'Record ID: cannot specify Id in an insert call');
      continue; // An update may repeat its own Id; seeds pass theirs apart.
    }
    const writable = mode === 'create' ? f.createable : f.updateable;
    if (!writable && !ctx.trusted) {
      readOnlyFields.push(f.name);
      continue;
    }
    values[f.name] = coerce(ctx, type, f, raw);
  }
  if (readOnlyFields.length > 0) {
    throw badRequest(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnlyFields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnlyFields,
    );
  }
  return values;
}

const blank = (v: FieldValue | undefined) => v === undefined || v === null || v === '';

/** REQUIRED_FIELD_MISSING naming every missing field (API-CONTRACTS 3.5 example). */
function checkRequired(org: Org, type: SObjectType, fields: Record<string, FieldValue>): void {
  const missing = visibleFields(org, type)
    .filter(isRequired)
    // A Person Account is named by FirstName/LastName instead.
    .filter((f) => !(type === 'Account' && f.name === 'Name' && fields.IsPersonAccount === true))
    .filter((f) => blank(fields[f.name]))
    .map((f) => f.name);
  if (fields.IsPersonAccount === true && blank(fields.LastName)) missing.push('LastName');
  if (missing.length > 0)
    throw badRequest(
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
}

/** DUPLICATE_VALUE when a unique field's value is on another record (case-insensitively). */
function checkUnique(org: Org, type: SObjectType, id: string, fields: Record<string, FieldValue>): void {
  for (const f of visibleFields(org, type).filter((x) => x.unique && x.name !== 'Id')) {
    const v = fields[f.name];
    if (blank(v)) continue;
    const key = String(v).toLowerCase();
    for (const other of org.records[type].values()) {
      if (other.deleted || other.Id === id) continue;
      const ov = other.fields[f.name];
      if (!blank(ov) && String(ov).toLowerCase() === key) {
        throw badRequest(
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${other.Id}`,
          [],
        );
      }
    }
  }
}

const joinName = (first: FieldValue | undefined, last: FieldValue | undefined) =>
  [first, last].filter((p) => !blank(p)).join(' ');

/** The fields Salesforce computes from others. */
function derive(ctx: WriteContext, type: SObjectType, fields: Record<string, FieldValue>): void {
  const org = ctx.org;
  if (type === 'Contact' || type === 'Lead' || type === 'User')
    fields.Name = joinName(fields.FirstName, fields.LastName);
  if (type === 'Account' && fields.IsPersonAccount === true)
    fields.Name = joinName(fields.FirstName, fields.LastName);
  if (type === 'Task') {
    fields.IsClosed = TASK_CLOSED_STATUSES.includes(String(fields.Status));
    fields.AccountId = taskAccount(org, fields);
  }
  if (type === 'Case') {
    const closed = CASE_CLOSED_STATUSES.includes(String(fields.Status));
    if (closed && fields.IsClosed !== true) fields.ClosedDate = sfDateTime(ctx.now);
    if (!closed) fields.ClosedDate = null;
    fields.IsClosed = closed;
  }
  if (type === 'Opportunity') {
    fields.IsClosed = OPPORTUNITY_CLOSED_STAGES.includes(String(fields.StageName));
    fields.IsWon = fields.StageName === 'Closed Won';
  }
}

/** Task.AccountId: the Account of the Contact it is about, else the Account it relates to. */
function taskAccount(org: Org, fields: Record<string, FieldValue>): string | null {
  const who = typeof fields.WhoId === 'string' ? findRecord(org, fields.WhoId) : null;
  if (who?.type === 'Contact' && typeof who.fields.AccountId === 'string') return who.fields.AccountId;
  const what = typeof fields.WhatId === 'string' ? findRecord(org, fields.WhatId) : null;
  if (what?.type === 'Account') return what.Id;
  if (what && typeof what.fields.AccountId === 'string') return what.fields.AccountId;
  return null;
}

/** Creates a record (`POST /sobjects/{T}`); `opts.id` and the dates only for trusted (seed) writes. */
export function createRecord(
  ctx: WriteContext,
  type: SObjectType,
  body: unknown,
  opts: { id?: string; createdAt?: number; modifiedAt?: number } = {},
): StoredRecord {
  const org = ctx.org;
  if (!sobjectDef(type).createable && !ctx.trusted)
    throw badRequest(
      'INSUFFICIENT_ACCESS_OR_READONLY',
      `You cannot create ${type} records through this API.`,
    );
  const values = readBody(ctx, type, body, 'create');
  const fields: Record<string, FieldValue> = {};
  for (const f of visibleFields(org, type)) {
    const def = f.picklistValues.find((p) => p.default)?.value ?? f.defaultValue;
    if (def !== undefined) fields[f.name] = def;
  }
  if (sobjectDef(type).fields.some((f) => f.name === 'OwnerId')) fields.OwnerId = ctx.actorId;
  Object.assign(fields, values);
  if (type === 'Account' && org.personAccounts && blank(values.Name) && !blank(values.LastName))
    fields.IsPersonAccount = true;
  if (!ctx.trusted) checkRequired(org, type, fields);

  const id = opts.id ?? makeId(sobjectDef(type).keyPrefix, ctx.state.nextRecordNumber++);
  checkUnique(org, type, id, fields);
  if (type === 'Case' && blank(fields.CaseNumber))
    fields.CaseNumber = String(org.nextCaseNumber++).padStart(8, '0');
  derive(ctx, type, fields);
  const created = sfDateTime(opts.createdAt ?? ctx.now);
  const modified = sfDateTime(opts.modifiedAt ?? opts.createdAt ?? ctx.now);
  Object.assign(fields, {
    Id: id,
    IsDeleted: false,
    CreatedDate: created,
    CreatedById: typeof values.CreatedById === 'string' ? values.CreatedById : ctx.actorId,
    LastModifiedDate: modified,
    LastModifiedById: typeof values.LastModifiedById === 'string' ? values.LastModifiedById : ctx.actorId,
    SystemModstamp: modified,
  });
  const rec: StoredRecord = { type, Id: id, fields, deleted: false };
  org.records[type].set(id, rec);
  return rec;
}

/** Updates a record (`PATCH /sobjects/{T}/{id}`): fields given are set; required fields are checked on the result. */
export function updateRecord(ctx: WriteContext, rec: StoredRecord, body: unknown): StoredRecord {
  const type = rec.type;
  if (!sobjectDef(type).updateable && !ctx.trusted)
    throw badRequest(
      'INSUFFICIENT_ACCESS_OR_READONLY',
      `You cannot update ${type} records through this API.`,
    );
  if (type === 'Lead' && rec.fields.IsConverted === true && !ctx.trusted)
    throw badRequest('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []);
  const values = readBody(ctx, type, body, 'update');
  const fields = { ...rec.fields, ...values };
  // GEN-REQ-1: a record missing a field made required later cannot be saved until it is filled.
  if (!ctx.trusted) checkRequired(ctx.org, type, fields);
  checkUnique(ctx.org, type, rec.Id, fields);
  derive(ctx, type, fields);
  const now = sfDateTime(ctx.now);
  Object.assign(fields, { LastModifiedDate: now, LastModifiedById: ctx.actorId, SystemModstamp: now });
  rec.fields = fields;
  return rec;
}

/** Deletes a record (`DELETE /sobjects/{T}/{id}`); references to it then read as null. */
export function deleteRecord(ctx: WriteContext, rec: StoredRecord): void {
  if (!sobjectDef(rec.type).deletable)
    throw badRequest(
      'INSUFFICIENT_ACCESS_OR_READONLY',
      `You cannot delete ${rec.type} records through this API.`,
    );
  rec.deleted = true;
  rec.fields.IsDeleted = true;
  const now = sfDateTime(ctx.now);
  Object.assign(rec.fields, { LastModifiedDate: now, LastModifiedById: ctx.actorId, SystemModstamp: now });
}

/** `attributes` of a record in REST answers. */
export function attributesOf(type: string, id: string, version: string) {
  return { type, url: `/services/data/v${version}/sobjects/${type}/${id}` };
}

/**
 * A record as `GET /sobjects/{T}/{id}` answers it: every visible field, or
 * only `fields` (then Id too); an unknown or hidden field is INVALID_FIELD.
 */
export function toApiRecord(org: Org, rec: StoredRecord, version: string, fields: string[] | null = null) {
  const out: Record<string, unknown> = { attributes: attributesOf(rec.type, rec.Id, version) };
  if (fields === null) {
    for (const f of visibleFields(org, rec.type)) out[f.name] = rec.fields[f.name] ?? null;
    return out;
  }
  for (const name of fields) {
    const f = findField(org, rec.type, name);
    if (!f) throw noSuchColumn(rec.type, name);
    out[f.name] = rec.fields[f.name] ?? null;
  }
  out.Id = rec.Id;
  return out;
}
