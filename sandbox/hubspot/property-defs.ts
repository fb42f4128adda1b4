/**
 * The properties each simulated object type has: HubSpot's standard ones that
 * this product reads or writes (API-CONTRACTS 2.2, 2.4-2.6), plus a portal's
 * custom ones. Writes are checked against them, so a mapper that names a
 * property HubSpot does not have fails here as it would against HubSpot.
 */
import type { ObjectType, Portal } from './state.ts';

export type PropertyType =
  'string' | 'number' | 'datetime' | 'date' | 'enumeration' | 'bool' | 'phone_number';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDef {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  hasUniqueValue: boolean;
  /** Fixed options of an enumeration; dynamic ones (owners, outcomes, pipelines) come from the portal. */
  options: PropertyOption[];
  /** System or calculated: HubSpot sets it, writes are refused. */
  readOnlyValue: boolean;
  calculated: boolean;
  hubspotDefined: boolean;
  createdAt: number;
}

/**
 * HubSpot's default call outcomes (API-CONTRACTS 2.2, partner-code GUIDs).
 * Every portal starts with them; a seed adds custom ones.
 */
export const DEFAULT_OUTCOMES: { id: string; label: string }[] = [
  { id: '9d9162e7-6cf3-4944-bf63-4dff82258764', label: 'Busy' },
  { id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected' },
  { id: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff', label: 'Left live message' },
  { id: 'b2cf5968-551e-4856-9783-52b3da59a7d0', label: 'Left voicemail' },
  { id: '73a0d17f-1163-4015-bdd5-ec830791da20', label: 'No answer' },
  { id: '17b47fee-58de-441e-a44c-c6300d46f273', label: 'Wrong number' },
];

/** Properties whose options are the portal's data, not a fixed list. */
export const DYNAMIC_ENUMS = new Set([
  'hubspot_owner_id',
  'hs_call_disposition',
  'hs_pipeline',
  'hs_pipeline_stage',
]);

type Spec = [name: string, type: PropertyType, extra?: Partial<PropertyDef> & { enumValues?: string[] }];

const FIELD_TYPE: Record<PropertyType, string> = {
  string: 'text',
  number: 'number',
  datetime: 'date',
  date: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
  phone_number: 'phonenumber',
};

const READ_ONLY = { readOnlyValue: true };
const CALCULATED = { readOnlyValue: true, calculated: true };

const ENGAGEMENT: Spec[] = [
  // API-CONTRACTS 2.2: hs_timestamp is required on engagements.
  ['hs_timestamp', 'datetime'],
  ['hubspot_owner_id', 'enumeration'],
  ['hs_attachment_ids', 'string'],
  ['hs_createdate', 'datetime', READ_ONLY],
  ['hs_lastmodifieddate', 'datetime', READ_ONLY],
  ['hs_object_id', 'number', READ_ONLY],
];

const SPECS: Record<ObjectType, Spec[]> = {
  contacts: [
    ['firstname', 'string'],
    ['lastname', 'string'],
    ['email', 'string'],
    ['phone', 'string', { fieldType: 'phonenumber' }],
    ['mobilephone', 'string', { fieldType: 'phonenumber' }],
    ['company', 'string'],
    ['jobtitle', 'string'],
    ['website', 'string'],
    ['address', 'string'],
    ['city', 'string'],
    ['state', 'string'],
    ['zip', 'string'],
    ['country', 'string'],
    ['lifecyclestage', 'string'],
    ['hs_lead_status', 'string'],
    ['hubspot_owner_id', 'enumeration'],
    ['createdate', 'datetime'],
    ['lastmodifieddate', 'datetime', READ_ONLY],
    ['hs_object_id', 'number', READ_ONLY],
    // API-CONTRACTS 2.5 [unverified]: digits only, without the country code.
    ['hs_searchable_calculated_phone_number', 'string', CALCULATED],
    ['hs_searchable_calculated_mobile_number', 'string', CALCULATED],
  ],
  companies: [
    ['name', 'string'],
    ['domain', 'string'],
    ['phone', 'string', { fieldType: 'phonenumber' }],
    ['website', 'string'],
    ['city', 'string'],
    ['country', 'string'],
    ['industry', 'string'],
    ['description', 'string'],
    ['hubspot_owner_id', 'enumeration'],
    ['createdate', 'datetime'],
    ['hs_lastmodifieddate', 'datetime', READ_ONLY],
    ['hs_object_id', 'number', READ_ONLY],
  ],
  calls: [
    ...ENGAGEMENT,
    ['hs_call_title', 'string'],
    ['hs_call_body', 'string', { fieldType: 'html' }],
    ['hs_call_direction', 'enumeration', { enumValues: ['INBOUND', 'OUTBOUND'] }],
    ['hs_call_disposition', 'enumeration'],
    [
      'hs_call_status',
      'enumeration',
      {
        // API-CONTRACTS 2.2 [unverified list].
        enumValues: [
          'BUSY',
          'CALLING_CRM_USER',
          'CANCELED',
          'COMPLETED',
          'CONNECTING',
          'FAILED',
          'IN_PROGRESS',
          'NO_ANSWER',
          'QUEUED',
          'RINGING',
        ],
      },
    ],
    // Milliseconds (API-CONTRACTS 2.2).
    ['hs_call_duration', 'number'],
    ['hs_call_from_number', 'string'],
    ['hs_call_to_number', 'string'],
    ['hs_call_recording_url', 'string'],
    ['hs_call_callee_object_id', 'number'],
    ['hs_call_callee_object_type', 'enumeration', { enumValues: ['CONTACT', 'COMPANY'] }],
    ['hs_call_source', 'string'],
    ['hs_call_external_id', 'string'],
    ['hs_call_external_account_id', 'string'],
  ],
  communications: [
    ...ENGAGEMENT,
    // API-CONTRACTS 2.4.
    [
      'hs_communication_channel_type',
      'enumeration',
      { enumValues: ['SMS', 'WHATS_APP', 'LINKEDIN_MESSAGE'] },
    ],
    ['hs_communication_logged_from', 'enumeration', { enumValues: ['CRM'] }],
    ['hs_communication_body', 'string'],
  ],
  tickets: [
    // API-CONTRACTS 2.6.
    ['subject', 'string'],
    ['content', 'string'],
    ['hs_pipeline', 'enumeration'],
    ['hs_pipeline_stage', 'enumeration'],
    ['hs_ticket_priority', 'enumeration', { enumValues: ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] }],
    ['hs_ticket_category', 'string'],
    ['source_type', 'string'],
    ['hubspot_owner_id', 'enumeration'],
    ['closed_date', 'datetime'],
    ['createdate', 'datetime'],
    ['hs_lastmodifieddate', 'datetime', READ_ONLY],
    ['hs_object_id', 'number', READ_ONLY],
  ],
  notes: [...ENGAGEMENT, ['hs_note_body', 'string', { fieldType: 'html' }]],
};

const GROUP: Record<ObjectType, string> = {
  contacts: 'contactinformation',
  companies: 'companyinformation',
  calls: 'callinformation',
  communications: 'communicationinformation',
  tickets: 'ticketinformation',
  notes: 'noteinformation',
};

function build(type: ObjectType, [name, ptype, extra = {}]: Spec): PropertyDef {
  const { enumValues, ...rest } = extra;
  return {
    name,
    label: name,
    type: ptype,
    fieldType: FIELD_TYPE[ptype],
    groupName: GROUP[type],
    description: '',
    hasUniqueValue: false,
    options: (enumValues ?? []).map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false })),
    readOnlyValue: false,
    calculated: false,
    hubspotDefined: true,
    createdAt: 0,
    ...rest,
  };
}

const STANDARD: Record<ObjectType, Map<string, PropertyDef>> = Object.fromEntries(
  Object.entries(SPECS).map(([type, specs]) => [
    type,
    new Map(specs.map((s) => [s[0], build(type as ObjectType, s)])),
  ]),
) as Record<ObjectType, Map<string, PropertyDef>>;

/** The property `name` of `type` in this portal (standard or custom), or null. */
export function propertyDef(portal: Portal, type: ObjectType, name: string): PropertyDef | null {
  return STANDARD[type].get(name) ?? portal.customProperties[type].get(name) ?? null;
}

export function allPropertyDefs(portal: Portal, type: ObjectType): PropertyDef[] {
  return [...STANDARD[type].values(), ...portal.customProperties[type].values()];
}

/** The options of an enumeration, including the portal-dependent ones. */
export function optionsOf(portal: Portal, def: PropertyDef): PropertyOption[] {
  const opt = (value: string, label: string, i: number) => ({ label, value, displayOrder: i, hidden: false });
  switch (def.name) {
    case 'hs_call_disposition':
      return portal.outcomes.map((o, i) => opt(o.id, o.label, i));
    case 'hubspot_owner_id':
      return portal.owners
        .filter((o) => !o.archived)
        .map((o, i) => opt(o.id, `${o.firstName} ${o.lastName}`.trim() || o.email, i));
    case 'hs_pipeline':
      return portal.pipelines.filter((p) => !p.archived).map((p, i) => opt(p.id, p.label, i));
    case 'hs_pipeline_stage':
      return portal.pipelines
        .filter((p) => !p.archived)
        .flatMap((p) => p.stages.filter((s) => !s.archived).map((s) => ({ ...s, pipeline: p })))
        .map((s, i) => opt(s.id, `${s.pipeline.label}: ${s.label}`, i));
    default:
      return def.options;
  }
}

/**
 * A property as `GET /crm/v3/properties/{objectType}/{name}` returns it
 * (HubSpot `Property` model; `modificationMetadata` per the spec).
 */
export function propertyJson(portal: Portal, def: PropertyDef) {
  const at = new Date(def.createdAt).toISOString();
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: optionsOf(portal, def),
    displayOrder: -1,
    calculated: def.calculated,
    externalOptions: DYNAMIC_ENUMS.has(def.name),
    hasUniqueValue: def.hasUniqueValue,
    hidden: false,
    hubspotDefined: def.hubspotDefined,
    modificationMetadata: {
      archivable: !def.hubspotDefined,
      readOnlyDefinition: def.hubspotDefined,
      readOnlyValue: def.readOnlyValue,
    },
    formField: !def.readOnlyValue,
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
}
