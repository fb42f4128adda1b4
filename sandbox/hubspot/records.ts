/**
 * Records of one portal: writes checked as HubSpot checks them (property
 * existence and types, enumerations, ticket pipelines, required and unique
 * properties), system and calculated properties kept from the simulator's
 * clock, and the `SimplePublicObject` JSON (API-CONTRACTS 2.1).
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { hsError, invalidProperties, notFound, type PropertyProblem } from './errors.ts';
import { DYNAMIC_ENUMS, optionsOf, propertyDef } from './property-defs.ts';
import { type ObjectType, type Portal, type StoredObject, iso, singular } from './state.ts';

/** The created/modified system properties per type, as the search doc lists them [doc: CRM search]. */
export const SYSTEM_DATES: Record<ObjectType, { created: string; modified: string }> = {
  contacts: { created: 'createdate', modified: 'lastmodifieddate' },
  companies: { created: 'createdate', modified: 'hs_lastmodifieddate' },
  tickets: { created: 'createdate', modified: 'hs_lastmodifieddate' },
  calls: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
  communications: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
  notes: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
};

/** Returned by a read that names no properties [doc: CRM search default properties]. */
const DEFAULT_READ: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email'],
  companies: ['name', 'domain'],
  tickets: [
    'content',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_ticket_category',
    'hs_ticket_priority',
    'subject',
  ],
  calls: [],
  communications: [],
  notes: [],
};

/**
 * Required at creation whatever the portal: hs_timestamp on engagements
 * (API-CONTRACTS 2.2 [doc]); subject and stage on tickets [unverified: the
 * tickets guide, from memory]. Portals add their own (GEN-REQ-1).
 */
const BUILT_IN_REQUIRED: Record<ObjectType, string[]> = {
  contacts: [],
  companies: [],
  calls: ['hs_timestamp'],
  communications: ['hs_timestamp'],
  notes: ['hs_timestamp'],
  tickets: ['subject', 'hs_pipeline_stage'],
};

/** Property values come as strings (API-CONTRACTS 2.2); numbers and booleans are taken as HubSpot takes them. */
export function toStringValues(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === null || v === undefined) out[k] = '';
    else if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else out[k] = JSON.stringify(v);
  }
  return out;
}

/** UNIX ms of a datetime value (ms digits or ISO 8601), or null. */
export function parseDateValue(value: string): number | null {
  const v = value.trim();
  if (/^-?\d+$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * HubSpot's digits-only, country-code-free copy of a phone number
 * (API-CONTRACTS 2.5 [unverified]), read with the portal's default country.
 */
export function searchableDigits(raw: string, defaultCountry: string): string {
  const parsed = parsePhoneNumberFromString(raw, { defaultCountry: defaultCountry as CountryCode });
  return parsed ? String(parsed.nationalNumber) : raw.replace(/\D/g, '');
}

interface WriteOpts {
  mode: 'create' | 'update';
  existing?: StoredObject;
  /** Seeds skip the checks (they describe the portal as it already is). */
  trusted?: boolean;
}

/** Checks and normalises a write's values; throws a HubSpot 400 listing every invalid property. */
export function checkedValues(
  portal: Portal,
  type: ObjectType,
  raw: Record<string, unknown>,
  opts: WriteOpts,
): Record<string, string> {
  const values = toStringValues(raw);
  const problems: PropertyProblem[] = [];
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const def = propertyDef(portal, type, name);
    if (!def) {
      if (portal.strictProperties && !opts.trusted) {
        problems.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      } else out[name] = value;
      continue;
    }
    if (opts.trusted) {
      out[name] = normalise(def.type, value);
      continue;
    }
    if (def.readOnlyValue) {
      problems.push({ name, code: 'READ_ONLY_VALUE', message: `Property "${name}" is read-only` });
      continue;
    }
    if (value === '') {
      out[name] = '';
      continue;
    }
    const problem = typeProblem(portal, type, def.name, def.type, value, def.options.length > 0);
    if (problem) problems.push(problem);
    else out[name] = normalise(def.type, value);
  }
  if (!opts.trusted) {
    if (opts.mode === 'create') {
      for (const name of [...BUILT_IN_REQUIRED[type], ...(portal.requiredProperties[type] ?? [])]) {
        if ((out[name] ?? '') === '' && !problems.some((p) => p.name === name)) {
          // GEN-REQ-1 [unverified wording and code].
          problems.push({ name, code: 'REQUIRED_PROPERTY', message: `Property "${name}" is required` });
        }
      }
    }
    if (type === 'tickets') problems.push(...pipelineProblems(portal, out, opts.existing));
  }
  if (problems.length) throw invalidProperties(problems);
  return out;
}

function typeProblem(
  portal: Portal,
  type: ObjectType,
  name: string,
  ptype: string,
  value: string,
  fixedOptions: boolean,
): PropertyProblem | null {
  switch (ptype) {
    case 'number':
      return Number.isFinite(Number(value))
        ? null
        : { name, code: 'INVALID_INTEGER', message: `${value} is not a valid number for "${name}"` };
    case 'datetime':
    case 'date':
      return parseDateValue(value) === null
        ? { name, code: 'INVALID_DATE', message: `${value} is not a valid date for "${name}"` }
        : null;
    case 'bool':
      return /^(true|false)$/i.test(value)
        ? null
        : { name, code: 'INVALID_BOOLEAN', message: `${value} is not a valid boolean for "${name}"` };
    case 'enumeration': {
      if (name === 'hs_pipeline' || name === 'hs_pipeline_stage') return null; // pipelineProblems
      if (!fixedOptions && !DYNAMIC_ENUMS.has(name)) return null;
      const def = propertyDef(portal, type, name);
      const allowed = def ? optionsOf(portal, def).map((o) => o.value) : [];
      if (allowed.includes(value)) return null;
      // [unverified] HubSpot's code for an unknown owner.
      if (name === 'hubspot_owner_id') {
        return { name, code: 'INVALID_OWNER_ID', message: `${value} is not a valid owner id` };
      }
      return {
        name,
        code: 'INVALID_OPTION',
        message: `${value} was not one of the allowed options: [${allowed.join(', ')}]`,
      };
    }
    default:
      if (name === 'email' && type === 'contacts' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
        return { name, code: 'INVALID_EMAIL', message: `Email address ${value} is invalid` };
      }
      return null;
  }
}

function normalise(ptype: string, value: string): string {
  if (value === '') return '';
  if (ptype === 'datetime') {
    const ms = parseDateValue(value);
    return ms === null ? value : iso(ms);
  }
  if (ptype === 'bool') return value.toLowerCase();
  return value;
}

/** A ticket's pipeline and stage must exist together (API-CONTRACTS 2.6; HS-TIX-2 deletes them). */
function pipelineProblems(
  portal: Portal,
  values: Record<string, string>,
  existing: StoredObject | undefined,
): PropertyProblem[] {
  const touched = 'hs_pipeline' in values || 'hs_pipeline_stage' in values;
  if (!touched) return [];
  let pipelineId = values.hs_pipeline || existing?.properties.hs_pipeline || '';
  // [unverified] Without hs_pipeline HubSpot uses the default pipeline.
  if (!pipelineId && portal.pipelines.some((p) => p.id === '0' && !p.archived)) {
    pipelineId = '0';
    values.hs_pipeline = '0';
  }
  const pipeline = portal.pipelines.find((p) => p.id === pipelineId && !p.archived);
  if (!pipeline) {
    const allowed = portal.pipelines.filter((p) => !p.archived).map((p) => p.id);
    return [
      {
        name: 'hs_pipeline',
        code: 'INVALID_OPTION',
        message: `${pipelineId || '(none)'} was not one of the allowed options: [${allowed.join(', ')}]`,
      },
    ];
  }
  const stageId = values.hs_pipeline_stage || existing?.properties.hs_pipeline_stage || '';
  if (stageId && !pipeline.stages.some((s) => s.id === stageId && !s.archived)) {
    return [
      {
        name: 'hs_pipeline_stage',
        code: 'INVALID_OPTION',
        message: `${stageId} is not a valid pipeline stage ID for pipeline ${pipeline.id}`,
      },
    ];
  }
  return [];
}

/** Names whose values no two records of a type may share: custom unique properties, and contact emails. */
function uniqueNames(portal: Portal, type: ObjectType): string[] {
  const names = [...portal.customProperties[type].values()]
    .filter((d) => d.hasUniqueValue)
    .map((d) => d.name);
  return type === 'contacts' ? ['email', ...names] : names;
}

export function isUniqueProperty(portal: Portal, type: ObjectType, name: string): boolean {
  return uniqueNames(portal, type).includes(name);
}

/** The live record of `type` whose `name` equals `value` (emails case-insensitively), or null. */
export function findByUnique(
  portal: Portal,
  type: ObjectType,
  name: string,
  value: string,
): StoredObject | null {
  const norm = (v: string) => (name === 'email' ? v.toLowerCase() : v);
  for (const obj of portal.objects[type].values()) {
    const v = obj.properties[name];
    if (!obj.archived && v !== undefined && v !== '' && norm(v) === norm(value)) return obj;
  }
  return null;
}

/**
 * A unique value already held by another record: 409 CONFLICT. Contacts'
 * email gives "Contact already exists. Existing ID: <id>" [partner-code:
 * several clients parse it]; other unique properties use a similar wording
 * [unverified].
 */
function checkUnique(
  portal: Portal,
  type: ObjectType,
  values: Record<string, string>,
  selfId: string | null,
) {
  for (const name of uniqueNames(portal, type)) {
    const value = values[name];
    if (!value) continue;
    const other = findByUnique(portal, type, name, value);
    if (!other || other.id === selfId) continue;
    const message =
      type === 'contacts' && name === 'email'
        ? `Contact already exists. Existing ID: ${other.id}`
        : `A ${singular(type)} with property "${name}" already has that value. Existing ID: ${other.id}`;
    throw hsError(409, 'CONFLICT', message);
  }
}

/** Recomputes the properties HubSpot derives: the searchable phone digits of contacts. */
function applyCalculated(portal: Portal, type: ObjectType, props: Record<string, string>): void {
  if (type !== 'contacts') return;
  const pairs: [string, string][] = [
    ['phone', 'hs_searchable_calculated_phone_number'],
    ['mobilephone', 'hs_searchable_calculated_mobile_number'],
  ];
  for (const [source, calc] of pairs) {
    const raw = props[source];
    if (raw) props[calc] = searchableDigits(raw, portal.defaultCountry);
    else delete props[calc];
  }
}

function assignValues(props: Record<string, string>, values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === '') delete props[k];
    else props[k] = v;
  }
}

export interface CreateOpts {
  id?: string;
  createdAt?: number;
  updatedAt?: number;
  trusted?: boolean;
}

/** Validates and stores a new record (not yet associated). */
export function createRecord(
  portal: Portal,
  type: ObjectType,
  raw: Record<string, unknown>,
  now: number,
  opts: CreateOpts = {},
): StoredObject {
  const values = checkedValues(portal, type, raw, { mode: 'create', trusted: opts.trusted ?? false });
  checkUnique(portal, type, values, null);
  let id = opts.id;
  if (id === undefined) id = String(portal.nextId++);
  else {
    if (portal.objects[type].has(id)) throw new Error(`${singular(type)} ${id} already exists`);
    if (/^\d+$/.test(id)) portal.nextId = Math.max(portal.nextId, Number(id) + 1);
  }
  const createdAt = opts.createdAt ?? now;
  const updatedAt = opts.updatedAt ?? createdAt;
  const dates = SYSTEM_DATES[type];
  const props: Record<string, string> = {};
  assignValues(props, values);
  props.hs_object_id = id;
  props[dates.created] = values[dates.created] || iso(createdAt);
  props[dates.modified] = iso(updatedAt);
  applyCalculated(portal, type, props);
  const obj: StoredObject = {
    id,
    properties: props,
    createdAt,
    updatedAt,
    archived: false,
    archivedAt: null,
  };
  portal.objects[type].set(id, obj);
  return obj;
}

/** Validates and applies a PATCH (an empty string clears a property). */
export function updateRecord(
  portal: Portal,
  type: ObjectType,
  obj: StoredObject,
  raw: Record<string, unknown>,
  now: number,
): StoredObject {
  const values = checkedValues(portal, type, raw, { mode: 'update', existing: obj });
  checkUnique(portal, type, values, obj.id);
  assignValues(obj.properties, values);
  obj.updatedAt = Math.max(now, obj.updatedAt);
  obj.properties[SYSTEM_DATES[type].modified] = iso(obj.updatedAt);
  applyCalculated(portal, type, obj.properties);
  return obj;
}

/** A live record, or a 404 as HubSpot words it [unverified wording]. */
export function liveRecord(portal: Portal, type: ObjectType, id: string): StoredObject {
  const obj = portal.objects[type].get(id);
  if (!obj || obj.archived) throw notFound(`resource not found: ${singular(type)} ${id} does not exist`);
  return obj;
}

/**
 * `SimplePublicObject` (API-CONTRACTS 2.1). `requested` null: the values
 * the write set plus system ones (create/update responses) or, for reads,
 * the type's defaults; requested properties without a value are null.
 */
export function recordJson(
  type: ObjectType,
  obj: StoredObject,
  requested: string[] | 'all' | 'default',
  portal: Portal,
) {
  const dates = SYSTEM_DATES[type];
  let properties: Record<string, string | null>;
  if (requested === 'all') properties = { ...obj.properties };
  else {
    const names = requested === 'default' ? DEFAULT_READ[type] : requested;
    properties = {};
    for (const name of [...names, 'hs_object_id', dates.created, dates.modified]) {
      const value = obj.properties[name];
      if (value !== undefined) properties[name] = value;
      else if (propertyDef(portal, type, name)) properties[name] = null;
    }
  }
  return {
    id: obj.id,
    properties,
    createdAt: iso(obj.createdAt),
    updatedAt: iso(obj.updatedAt),
    archived: obj.archived,
    ...(obj.archivedAt !== null ? { archivedAt: iso(obj.archivedAt) } : {}),
  };
}
