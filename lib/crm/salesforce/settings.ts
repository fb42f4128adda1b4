/**
 * Salesforce integration settings (SPEC section 5; seed 002 and Aircall's help
 * centre article "Logging your calls in Salesforce": call workflow per call
 * type, then the general settings).
 */
import { z } from 'zod';
import { choice, generalSettingsShape } from '../../logging/settings.ts';

/**
 * SF-STAT-1: what a call or SMS type becomes: a Task with Status `Completed`
 * (past activities), an open Task with Status `In Progress` (next steps), or
 * no Task at all.
 */
export const SALESFORCE_TASK_STATUS_CHOICES = ['completed', 'open', 'nothing'] as const;
export type SalesforceTaskStatusChoice = (typeof SALESFORCE_TASK_STATUS_CHOICES)[number];

/** SF-NEW-1: what to create for a number that matches no Salesforce record. */
export const SALESFORCE_NEW_RECORD_CHOICES = ['contact', 'lead', 'account', 'none'] as const;
export type SalesforceNewRecordChoice = (typeof SALESFORCE_NEW_RECORD_CHOICES)[number];

/**
 * SF-CASE-2: which of a Contact's open objects a call or SMS is related to
 * (`WhatId`). Aircall's help centre: "calls and SMS will log to either an
 * existing Case or Opportunity assigned to a Contact, based on your
 * preferences. If Case is selected, you can also choose to create a new Case".
 */
export const SALESFORCE_RELATE_TO_CHOICES = ['case', 'opportunity', 'none'] as const;
export type SalesforceRelateToChoice = (typeof SALESFORCE_RELATE_TO_CHOICES)[number];

function taskStatus(label: string) {
  return choice(SALESFORCE_TASK_STATUS_CHOICES, `the Task status of ${label}`, 'SF-STAT-1').default(
    'completed',
  );
}

/** A Salesforce User id: key prefix 005, 15 or 18 characters (API-CONTRACTS 3.6). */
const salesforceUserId = z
  .string()
  .trim()
  .regex(/^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/, {
    error:
      'unmatchedOwnerId must be a Salesforce User id (15 or 18 characters starting with 005), or null for the installer (SF-OWN-2)',
  });

export const salesforceSettingsSchema = z.object({
  crm: z.literal('salesforce'),
  ...generalSettingsShape,
  /**
   * SF-STAT-1, per call type and, for SMS (SF-SMS-1), per direction. Every
   * type defaults to `completed`, as the help centre's call workflow does.
   * `prefault` so a partial object still gets the other types' defaults.
   */
  taskStatus: z
    .object({
      outbound_answered: taskStatus('outbound answered calls'),
      outbound_unanswered: taskStatus('outbound unanswered calls'),
      inbound_answered: taskStatus('inbound answered calls'),
      missed_no_voicemail: taskStatus('missed calls without voicemail'),
      missed_voicemail: taskStatus('voicemails'),
      sms_outbound: taskStatus('outbound SMS'),
      sms_inbound: taskStatus('inbound SMS'),
    })
    .prefault({}),
  /**
   * SF-HOURS-1: log calls only within the Aircall number's business hours.
   * Applies to calls only, never to messages. Off by default: the help centre
   * offers "calls can log even when numbers are closed" as the alternative,
   * and logging everything loses nothing.
   */
  onlyBusinessHours: z.boolean().default(false),
  /**
   * SF-NEW-1: the record created for a number that matches none. Default
   * `contact`: seed 002 describes creation as what happens unless the admin
   * chose otherwise ("si vous avez choisi de ne pas créer de nouveaux
   * contacts..."), and its own example is a Contact created by Aircall
   * (SF-OWN-4); a Contact is also the only kind a Case can hang on (SF-CASE-1).
   */
  newRecord: choice(
    SALESFORCE_NEW_RECORD_CHOICES,
    'the record created for unknown numbers',
    'SF-NEW-1',
  ).default('contact'),
  /**
   * SF-CASE-2: relate calls on a Contact to its first open Case or
   * Opportunity. Default `case`: the help centre lists Case first, and it is
   * the choice under which a Case can be created (SF-CASE-1).
   */
  relateTo: choice(
    SALESFORCE_RELATE_TO_CHOICES,
    "what a Contact's calls are related to",
    'SF-CASE-2',
  ).default('case'),
  /**
   * SF-CASE-1: with `relateTo: 'case'`, create a Case for a Contact that has
   * no open one. Off by default (seed 002: "we can create a new Case", an
   * option). Opportunities are never created.
   */
  createCase: z.boolean().default(false),
  /**
   * SF-OWN-2, the setting "when a call does not match a Salesforce user,
   * assign it to": owner of an unanswered call's Task when the record has no
   * usable owner. null: the installer.
   */
  unmatchedOwnerId: salesforceUserId.nullable().default(null),
  /** SF-SMS-1: log SMS as Tasks. */
  logSms: z.boolean().default(true),
});

export type SalesforceSettings = z.infer<typeof salesforceSettingsSchema>;
export type SalesforceSettingsInput = z.input<typeof salesforceSettingsSchema>;
