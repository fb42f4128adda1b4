/**
 * The sObjects the simulator serves and their standard fields, as
 * `GET /sobjects/{T}/describe` reports them. Task fields: API-CONTRACTS 3.3;
 * Lead and Case: 3.4; SF-FLD-1's `aircall__` custom fields on Task (SPEC 5);
 * the rest of the standard fields, lengths and picklist values are the
 * standard object reference's [unverified: not in the stored material].
 */
import { KEY_PREFIXES } from './ids.ts';

export const SOBJECT_TYPES = [
  'Account',
  'Contact',
  'Lead',
  'Case',
  'Opportunity',
  'OpportunityContactRole',
  'Task',
  'User',
  'Profile',
] as const;
export type SObjectType = (typeof SOBJECT_TYPES)[number];

/** The object named in a path or query, case-insensitively, or null. */
export function toSObjectType(raw: string): SObjectType | null {
  const lower = raw.toLowerCase();
  return SOBJECT_TYPES.find((t) => t.toLowerCase() === lower) ?? null;
}

/** The describe `type` of a field (Salesforce's names). */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'combobox'
  | 'picklist'
  | 'phone'
  | 'email'
  | 'url'
  | 'reference'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'date'
  | 'datetime';

export const CUSTOM_FIELD_TYPES = [
  'string',
  'textarea',
  'picklist',
  'phone',
  'email',
  'url',
  'boolean',
  'int',
  'double',
  'currency',
  'date',
  'datetime',
] as const;

export type FieldValue = string | number | boolean | null;

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Maximum characters of text fields (0 for others, as describe says). */
  length: number;
  createable: boolean;
  updateable: boolean;
  /** False for required fields (with `createable` and not `defaultedOnCreate`) and checkboxes. */
  nillable: boolean;
  defaultedOnCreate: boolean;
  externalId: boolean;
  unique: boolean;
  custom: boolean;
  /** Picklist values; the first `default` one is set on create when the field is omitted. */
  picklistValues: { value: string; default?: boolean }[];
  /** Picklists refusing values outside the list (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). */
  restrictedPicklist: boolean;
  referenceTo: SObjectType[];
  /** `Owner` for `OwnerId`: the name SOQL uses for the parent (`Owner.Email`). */
  relationshipName: string | null;
  /** Value set on create when the field is omitted (besides picklist defaults). */
  defaultValue?: FieldValue;
  /** Account fields that exist only in orgs with Person Accounts. */
  personAccountOnly?: boolean;
}

export interface SObjectDef {
  name: SObjectType;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  searchable: boolean;
  fields: FieldDef[];
}

const base = (name: string, label: string, type: FieldType, length = 0): FieldDef => ({
  name,
  label,
  type,
  length,
  createable: true,
  updateable: true,
  nillable: true,
  defaultedOnCreate: false,
  externalId: false,
  unique: false,
  custom: false,
  picklistValues: [],
  restrictedPicklist: false,
  referenceTo: [],
  relationshipName: null,
});

type Extra = Partial<FieldDef>;
const text = (name: string, label: string, length: number, extra: Extra = {}) => ({
  ...base(name, label, 'string', length),
  ...extra,
});
const area = (name: string, label: string, length: number, extra: Extra = {}) => ({
  ...base(name, label, 'textarea', length),
  ...extra,
});
const phone = (name: string, label: string, extra: Extra = {}) => ({
  ...base(name, label, 'phone', 40),
  ...extra,
});
const typed = (name: string, label: string, type: FieldType, extra: Extra = {}) => ({
  ...base(name, label, type, 0),
  ...extra,
});
const required: Extra = { nillable: false };
const readOnly: Extra = { createable: false, updateable: false };
/** Fields Salesforce computes: never writable, and their describe says `defaultedOnCreate`. */
const computed: Extra = { ...readOnly, defaultedOnCreate: true };
const checkbox = (name: string, label: string, extra: Extra = {}) =>
  typed(name, label, 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: false, ...extra });

function pick(name: string, label: string, values: string[], extra: Extra = {}) {
  // A picklist's default is its default value, not a separate defaultValue.
  const { defaultValue, ...rest } = extra;
  return {
    ...base(name, label, 'picklist', 255),
    picklistValues: values.map((value) => (value === defaultValue ? { value, default: true } : { value })),
    ...(defaultValue === undefined ? {} : { defaultedOnCreate: true }),
    ...rest,
  };
}

function ref(name: string, label: string, to: SObjectType[], relationshipName: string, extra: Extra = {}) {
  return { ...base(name, label, 'reference', 18), referenceTo: to, relationshipName, ...extra };
}

const idField = (): FieldDef => ({ ...base('Id', 'Record ID', 'id', 18), ...computed, nillable: false });

/** CreatedDate, CreatedById, ... set by Salesforce on every write. */
function systemFields(): FieldDef[] {
  return [
    checkbox('IsDeleted', 'Deleted', readOnly),
    typed('CreatedDate', 'Created Date', 'datetime', { ...computed, nillable: false }),
    ref('CreatedById', 'Created By ID', ['User'], 'CreatedBy', { ...computed, nillable: false }),
    typed('LastModifiedDate', 'Last Modified Date', 'datetime', { ...computed, nillable: false }),
    ref('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy', {
      ...computed,
      nillable: false,
    }),
    typed('SystemModstamp', 'System Modstamp', 'datetime', { ...computed, nillable: false }),
  ];
}

/** OwnerId: defaulted to the API user on create (SF-OWN-3, SF-MISC-1). */
const ownerField = (label = 'Owner ID') =>
  ref('OwnerId', label, ['User'], 'Owner', { nillable: false, defaultedOnCreate: true });

/**
 * The idempotency key the bridge upserts by: an external id, unique, text
 * 255 on Task, Contact, Lead, Account and Case. A real org has it only once
 * the product's package (or an admin) created it; the simulator has it by
 * default (seed `fields.<T>.hidden` removes it to model an org without).
 */
export const BRIDGE_KEY_FIELD = 'Aircall_Bridge_Key__c';
const bridgeKey = (): FieldDef =>
  text(BRIDGE_KEY_FIELD, 'Aircall Bridge Key', 255, { externalId: true, unique: true, custom: true });

/** SF-FLD-1: the Task custom fields of Aircall's package, with the labels SPEC 5 gives (others: from the API name). */
function aircallTaskFields(): FieldDef[] {
  const custom: Extra = { custom: true };
  return [
    typed('aircall__Waiting_Time__c', 'Waiting Time', 'double', custom),
    text('aircall__Answered_by__c', 'Answered by', 255, custom),
    text('aircall__Phone_number__c', 'Phone number', 255, custom),
    text('aircall__Country__c', 'Country', 255, custom),
    typed('aircall__Call_Recording__c', 'Call Recording', 'url', { ...custom, length: 255 }),
    text('aircall__Transferred_to__c', 'Transferred to', 255, custom),
    text('aircall__Time_Zone__c', 'Time Zone', 255, custom),
    text('aircall__Time_of_Day__c', 'Time of Day', 255, custom),
    pick('aircall__Connection_Status__c', 'Connection Status', ['connected', 'not connected'], custom),
    checkbox('aircall__Was_Connected__c', 'Was Connected', custom),
  ];
}

const NAME_PARTS = (): FieldDef[] => [
  text('FirstName', 'First Name', 40),
  text('LastName', 'Last Name', 80, required),
  text('Name', 'Full Name', 121, computed),
];

/** Task Status values; `Completed` closes the Task (SF-STAT-1). */
export const TASK_CLOSED_STATUSES = ['Completed'];
export const CASE_CLOSED_STATUSES = ['Closed'];
export const OPPORTUNITY_CLOSED_STAGES = ['Closed Won', 'Closed Lost'];

const DEFS: SObjectDef[] = [
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: KEY_PREFIXES.Account,
    createable: true,
    updateable: true,
    deletable: true,
    searchable: true,
    fields: [
      idField(),
      text('Name', 'Account Name', 255, required),
      phone('Phone', 'Account Phone'),
      pick('Type', 'Account Type', [
        'Prospect',
        'Customer - Direct',
        'Customer - Channel',
        'Partner',
        'Other',
      ]),
      pick('Industry', 'Industry', [
        'Agriculture',
        'Banking',
        'Communications',
        'Retail',
        'Technology',
        'Other',
      ]),
      typed('Website', 'Website', 'url', { length: 255 }),
      area('Description', 'Account Description', 32000),
      ownerField('Owner ID'),
      checkbox('IsPersonAccount', 'Is Person Account', { ...readOnly, personAccountOnly: true }),
      text('FirstName', 'First Name', 40, { personAccountOnly: true }),
      text('LastName', 'Last Name', 80, { personAccountOnly: true }),
      typed('PersonEmail', 'Email', 'email', { length: 80, personAccountOnly: true }),
      phone('PersonMobilePhone', 'Mobile', { personAccountOnly: true }),
      phone('PersonHomePhone', 'Home Phone', { personAccountOnly: true }),
      phone('PersonOtherPhone', 'Other Phone', { personAccountOnly: true }),
      phone('PersonAssistantPhone', 'Asst. Phone', { personAccountOnly: true }),
      bridgeKey(),
      ...systemFields(),
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: KEY_PREFIXES.Contact,
    createable: true,
    updateable: true,
    deletable: true,
    searchable: true,
    fields: [
      idField(),
      ...NAME_PARTS(),
      ref('AccountId', 'Account ID', ['Account'], 'Account'),
      text('Title', 'Title', 128),
      typed('Email', 'Email', 'email', { length: 80 }),
      phone('Phone', 'Business Phone'),
      phone('MobilePhone', 'Mobile Phone'),
      phone('HomePhone', 'Home Phone'),
      phone('AssistantPhone', 'Asst. Phone'),
      phone('OtherPhone', 'Other Phone'),
      pick('LeadSource', 'Lead Source', ['Web', 'Phone Inquiry', 'Partner Referral', 'Other']),
      area('Description', 'Contact Description', 32000),
      ownerField(),
      bridgeKey(),
      ...systemFields(),
    ],
  },
  {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: KEY_PREFIXES.Lead,
    createable: true,
    updateable: true,
    deletable: true,
    searchable: true,
    fields: [
      idField(),
      ...NAME_PARTS(),
      // API-CONTRACTS 3.4: required; SF-LEAD-1: not with Person Accounts (see fields.ts).
      text('Company', 'Company', 255, required),
      text('Title', 'Title', 128),
      typed('Email', 'Email', 'email', { length: 80 }),
      phone('Phone', 'Phone'),
      phone('MobilePhone', 'Mobile Phone'),
      pick(
        'Status',
        'Lead Status',
        ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
        { defaultValue: 'Open - Not Contacted', nillable: false },
      ),
      pick('LeadSource', 'Lead Source', ['Web', 'Phone Inquiry', 'Partner Referral', 'Other']),
      area('Description', 'Description', 32000),
      checkbox('IsConverted', 'Converted', readOnly),
      ref('ConvertedContactId', 'Converted Contact ID', ['Contact'], 'ConvertedContact', readOnly),
      ref('ConvertedAccountId', 'Converted Account ID', ['Account'], 'ConvertedAccount', readOnly),
      ownerField(),
      bridgeKey(),
      ...systemFields(),
    ],
  },
  {
    name: 'Case',
    label: 'Case',
    labelPlural: 'Cases',
    keyPrefix: KEY_PREFIXES.Case,
    createable: true,
    updateable: true,
    deletable: true,
    searchable: true,
    fields: [
      idField(),
      text('CaseNumber', 'Case Number', 30, computed),
      text('Subject', 'Subject', 255),
      area('Description', 'Description', 32000),
      pick('Status', 'Status', ['New', 'Working', 'Escalated', 'Closed'], { defaultValue: 'New' }),
      checkbox('IsClosed', 'Closed', computed),
      typed('ClosedDate', 'Closed Date', 'datetime', computed),
      pick('Origin', 'Case Origin', ['Phone', 'Email', 'Web']),
      pick('Priority', 'Priority', ['High', 'Medium', 'Low'], { defaultValue: 'Medium' }),
      ref('ContactId', 'Contact ID', ['Contact'], 'Contact'),
      ref('AccountId', 'Account ID', ['Account'], 'Account'),
      ownerField(),
      bridgeKey(),
      ...systemFields(),
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: KEY_PREFIXES.Opportunity,
    createable: true,
    updateable: true,
    deletable: true,
    searchable: true,
    fields: [
      idField(),
      text('Name', 'Name', 120, required),
      ref('AccountId', 'Account ID', ['Account'], 'Account'),
      pick(
        'StageName',
        'Stage',
        [
          'Prospecting',
          'Qualification',
          'Proposal/Price Quote',
          'Negotiation/Review',
          ...OPPORTUNITY_CLOSED_STAGES,
        ],
        required,
      ),
      typed('CloseDate', 'Close Date', 'date', required),
      typed('Amount', 'Amount', 'currency'),
      checkbox('IsClosed', 'Closed', computed),
      checkbox('IsWon', 'Won', computed),
      area('Description', 'Description', 32000),
      ownerField(),
      ...systemFields(),
    ],
  },
  {
    name: 'OpportunityContactRole',
    label: 'Opportunity Contact Role',
    labelPlural: 'Opportunity Contact Role',
    keyPrefix: KEY_PREFIXES.OpportunityContactRole,
    createable: true,
    updateable: true,
    deletable: true,
    searchable: false,
    fields: [
      idField(),
      ref('OpportunityId', 'Opportunity ID', ['Opportunity'], 'Opportunity', {
        ...required,
        updateable: false,
      }),
      ref('ContactId', 'Contact ID', ['Contact'], 'Contact', required),
      pick('Role', 'Role', ['Business User', 'Decision Maker', 'Economic Buyer', 'Influencer', 'Other']),
      checkbox('IsPrimary', 'Primary'),
      ...systemFields(),
    ],
  },
  {
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: KEY_PREFIXES.Task,
    createable: true,
    updateable: true,
    deletable: true,
    searchable: true,
    fields: [
      idField(),
      ref('WhoId', 'Name ID', ['Contact', 'Lead'], 'Who'),
      ref('WhatId', 'Related To ID', ['Account', 'Opportunity', 'Case'], 'What'),
      {
        ...base('Subject', 'Subject', 'combobox', 255),
        picklistValues: [{ value: 'Call' }, { value: 'Email' }],
      },
      typed('ActivityDate', 'Due Date Only', 'date'),
      pick(
        'Status',
        'Status',
        ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
        {
          defaultValue: 'Not Started',
          nillable: false,
        },
      ),
      pick('Priority', 'Priority', ['High', 'Normal', 'Low'], { defaultValue: 'Normal', nillable: false }),
      checkbox('IsClosed', 'Closed', computed),
      pick('Type', 'Type', ['Call', 'Email', 'Meeting', 'Other']),
      // API-CONTRACTS 3.3: settable on create only.
      pick('TaskSubtype', 'Task Subtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], {
        defaultValue: 'Task',
        updateable: false,
        restrictedPicklist: true,
      }),
      area('Description', 'Description', 32000),
      typed('CallDurationInSeconds', 'Call Duration', 'int'),
      pick('CallType', 'Call Type', ['Inbound', 'Outbound', 'Internal'], {
        restrictedPicklist: true,
        length: 40,
      }),
      text('CallDisposition', 'Call Result', 255),
      text('CallObject', 'Call Object Identifier', 255),
      ref('AccountId', 'Account ID', ['Account'], 'Account', computed),
      ownerField('Assigned To ID'),
      ...aircallTaskFields(),
      bridgeKey(),
      ...systemFields(),
    ],
  },
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: KEY_PREFIXES.User,
    createable: false,
    updateable: false,
    deletable: false,
    searchable: true,
    fields: [
      idField(),
      text('Username', 'Username', 80, { ...readOnly, nillable: false }),
      ...NAME_PARTS().map((f) => ({ ...f, ...readOnly })),
      typed('Email', 'Email', 'email', { ...readOnly, length: 128, nillable: false }),
      checkbox('IsActive', 'Active', readOnly),
      ref('ProfileId', 'Profile ID', ['Profile'], 'Profile', { ...readOnly, nillable: false }),
      pick('UserType', 'User Type', ['Standard'], { ...readOnly, defaultValue: 'Standard' }),
      ...systemFields(),
    ],
  },
  {
    name: 'Profile',
    label: 'Profile',
    labelPlural: 'Profiles',
    keyPrefix: KEY_PREFIXES.Profile,
    createable: false,
    updateable: false,
    deletable: false,
    searchable: false,
    fields: [
      idField(),
      text('Name', 'Name', 255, { ...readOnly, nillable: false }),
      checkbox('PermissionsModifyAllData', 'Modify All Data', readOnly),
      checkbox('PermissionsApiEnabled', 'API Enabled', readOnly),
      ...systemFields(),
    ],
  },
];

const BY_NAME = new Map(DEFS.map((d) => [d.name, d]));

export function sobjectDef(type: SObjectType): SObjectDef {
  const def = BY_NAME.get(type);
  if (!def) throw new Error(`no catalog entry for ${type}`);
  return def;
}

/**
 * The phone fields SOSL's `IN PHONE FIELDS` searches (GEN-PHONE-2; Person
 * Account fields only when the org has them); custom phone fields are added
 * by fields.ts.
 */
export const STANDARD_PHONE_FIELDS: Partial<Record<SObjectType, string[]>> = {
  Contact: ['Phone', 'MobilePhone', 'HomePhone', 'AssistantPhone', 'OtherPhone'],
  Lead: ['Phone', 'MobilePhone'],
  Account: ['Phone', 'PersonMobilePhone', 'PersonHomePhone', 'PersonOtherPhone', 'PersonAssistantPhone'],
};

/** The field SOSL `IN NAME FIELDS` and polymorphic `Who.Name`/`What.Name` read. */
export function nameFieldOf(type: SObjectType): string {
  if (type === 'Case') return 'CaseNumber';
  if (type === 'Task') return 'Subject';
  if (type === 'OpportunityContactRole') return 'Id';
  return 'Name';
}
