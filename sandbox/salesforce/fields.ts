/**
 * The fields an org's API user sees on an object: the standard ones of
 * catalog.ts, adjusted for Person Accounts (SF-LEAD-1), minus those hidden by
 * field-level security (SF-TYPE-1), plus the org's custom fields; and the
 * describe answers built from them (`GET /sobjects/{T}/describe`,
 * API-CONTRACTS 3.3 "verify per org").
 */
import { type FieldDef, type SObjectType, STANDARD_PHONE_FIELDS, sobjectDef } from './catalog.ts';
import type { Org } from './state.ts';

/** Whether a field must be given on create: createable, not nillable, not defaulted (describe's reading). */
export function isRequired(f: FieldDef): boolean {
  return f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean';
}

/** The fields the org's API user sees on an object, in describe order. */
export function visibleFields(org: Org, type: SObjectType): FieldDef[] {
  const settings = org.fieldSettings[type];
  const hidden = settings?.hidden ?? new Set<string>();
  const standard = sobjectDef(type)
    .fields.filter((f) => org.personAccounts || !f.personAccountOnly)
    .map((f) =>
      // SF-LEAD-1: with Person Accounts a Lead without Company converts to one, so Company is optional.
      org.personAccounts && type === 'Lead' && f.name === 'Company' ? { ...f, nillable: true } : f,
    );
  const custom = settings?.custom ?? [];
  const customNames = new Set(custom.map((f) => f.name.toLowerCase()));
  return [...standard.filter((f) => !customNames.has(f.name.toLowerCase())), ...custom].filter(
    (f) => !hidden.has(f.name.toLowerCase()),
  );
}

/** A visible field by name, case-insensitively (SOQL and REST bodies ignore case), or null. */
export function findField(org: Org, type: SObjectType, name: string): FieldDef | null {
  const lower = name.toLowerCase();
  return visibleFields(org, type).find((f) => f.name.toLowerCase() === lower) ?? null;
}

/** The reference field whose relationship name is `name` (`Owner` -> OwnerId), or null. */
export function findRelationship(org: Org, type: SObjectType, name: string): FieldDef | null {
  const lower = name.toLowerCase();
  return (
    visibleFields(org, type).find(
      (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === lower,
    ) ?? null
  );
}

/** The visible phone fields SOSL `IN PHONE FIELDS` searches on an object (GEN-PHONE-2). */
export function phoneFields(org: Org, type: SObjectType): FieldDef[] {
  const standard = new Set(STANDARD_PHONE_FIELDS[type] ?? []);
  return visibleFields(org, type).filter((f) => f.type === 'phone' && (standard.has(f.name) || f.custom));
}

/** One field as describe lists it. */
export function describeField(f: FieldDef) {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    length: f.length,
    createable: f.createable,
    updateable: f.updateable,
    nillable: f.nillable,
    defaultedOnCreate: f.defaultedOnCreate,
    externalId: f.externalId,
    unique: f.unique,
    custom: f.custom,
    calculated: !f.createable && !f.updateable && f.defaultedOnCreate && f.name !== 'Id',
    idLookup: f.name === 'Id' || f.externalId || f.unique,
    filterable: true,
    sortable: f.type !== 'textarea',
    picklistValues: f.picklistValues.map((p) => ({
      active: true,
      defaultValue: p.default === true,
      label: p.value,
      validFor: null,
      value: p.value,
    })),
    restrictedPicklist: f.restrictedPicklist,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    soapType: soapTypeOf(f),
  };
}

function soapTypeOf(f: FieldDef): string {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'boolean':
      return 'xsd:boolean';
    case 'int':
      return 'xsd:int';
    case 'double':
    case 'currency':
      return 'xsd:double';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    default:
      return 'xsd:string';
  }
}

/** The `urls` of an object in describe answers. */
export function objectUrls(type: SObjectType, version: string) {
  const root = `/services/data/v${version}/sobjects/${type}`;
  return { sobject: root, describe: `${root}/describe`, rowTemplate: `${root}/{ID}` };
}

/** An object's summary, as `GET /sobjects` lists it. */
export function describeObjectSummary(type: SObjectType, version: string) {
  const def = sobjectDef(type);
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: false,
    createable: def.createable,
    updateable: def.updateable,
    deletable: def.deletable,
    queryable: true,
    searchable: def.searchable,
    urls: objectUrls(type, version),
  };
}

/** `GET /sobjects/{T}/describe`: the object with the fields the org's API user sees. */
export function describeObject(org: Org, type: SObjectType, version: string) {
  return { ...describeObjectSummary(type, version), fields: visibleFields(org, type).map(describeField) };
}
