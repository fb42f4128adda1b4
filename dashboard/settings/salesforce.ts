/**
 * A Salesforce integration's settings as the screen shows them (SPEC section
 * 5; seed 002 and Aircall's help centre: call workflow per call type, then
 * the general settings). The schema is lib/crm/salesforce/settings.ts.
 */
import {
  SALESFORCE_NEW_RECORD_CHOICES,
  SALESFORCE_RELATE_TO_CHOICES,
  SALESFORCE_TASK_STATUS_CHOICES,
} from '../../lib/crm/salesforce/settings.ts';
import { GENERAL_SECTION, optionsOf, type SectionSpec } from './describe.ts';

const TASK_STATUS = optionsOf(SALESFORCE_TASK_STATUS_CHOICES, {
  completed: 'Log as Completed',
  open: 'Log as open (In Progress)',
  nothing: 'Do nothing',
});

/** The rows of SF-STAT-1, calls then SMS (SF-SMS-1). */
const TASK_TYPES = [
  ['outbound_answered', 'outbound answered calls'],
  ['outbound_unanswered', 'outbound unanswered calls'],
  ['inbound_answered', 'inbound answered calls'],
  ['missed_no_voicemail', 'missed calls without voicemail'],
  ['missed_voicemail', 'voicemails'],
  ['sms_outbound', 'outbound SMS'],
  ['sms_inbound', 'inbound SMS'],
] as const;

export const SALESFORCE_SECTIONS: SectionSpec[] = [
  {
    title: 'Call workflow',
    hint: 'Each call becomes a Salesforce Task. Completed Tasks show under the record’s past activities, open ones under next steps.',
    fields: [
      {
        path: 'taskStatus',
        label: 'Task per call or SMS type',
        rule: 'SF-STAT-1',
        control: {
          kind: 'grid',
          column: 'Task',
          rows: TASK_TYPES.map(([key, label]) => ({ key, label, options: TASK_STATUS })),
        },
      },
      {
        path: 'logSms',
        label: 'Log SMS as Tasks',
        rule: 'SF-SMS-1',
        control: { kind: 'switch' },
      },
      {
        path: 'onlyBusinessHours',
        label: 'When to log calls',
        rule: 'SF-HOURS-1',
        hint: 'Applies to calls only; SMS are always logged.',
        control: {
          kind: 'either',
          on: 'Only during each Aircall number’s business hours',
          off: 'Always, even when the number is closed',
        },
      },
    ],
  },
  {
    title: 'Records',
    fields: [
      {
        path: 'newRecord',
        label: 'For a number that matches no Salesforce record, create',
        rule: 'SF-NEW-1',
        control: {
          kind: 'choice',
          options: optionsOf(SALESFORCE_NEW_RECORD_CHOICES, {
            contact: 'A Contact',
            lead: 'A Lead',
            account: 'An Account',
            none: 'Nothing',
          }),
        },
      },
      {
        path: 'relateTo',
        label: 'Log a Contact’s calls and SMS on',
        rule: 'SF-CASE-2',
        hint: 'The Contact’s first open Case or Opportunity, when it has one (not for Leads or Accounts).',
        control: {
          kind: 'choice',
          options: optionsOf(SALESFORCE_RELATE_TO_CHOICES, {
            case: 'Its open Case',
            opportunity: 'Its open Opportunity',
            none: 'The Contact only',
          }),
        },
      },
      {
        path: 'createCase',
        label: 'Create a Case for a Contact that has no open one',
        rule: 'SF-CASE-1',
        hint: 'Only when calls are logged on Cases. Opportunities are never created.',
        control: { kind: 'switch' },
      },
      {
        path: 'unmatchedOwnerId',
        label: 'When a call does not match a Salesforce user, assign it to',
        rule: 'SF-OWN-2',
        hint: 'Owner of an unanswered call’s Task when the record has no owner.',
        control: {
          kind: 'crm',
          what: 'Salesforce user',
          options: (c) => [
            { value: null, label: 'The installer' },
            ...(c?.crm === 'salesforce' ? c.users : []).map((u) => ({
              value: u.id,
              label: u.email ? `${u.name} (${u.email})` : u.name,
            })),
          ],
        },
      },
    ],
  },
  GENERAL_SECTION,
];
