/**
 * A JobAdder integration's settings as the screen shows them (SPEC section 6;
 * seed 003 "Explication des paramètres d'intégration": call logging, SMS
 * logging, duplicates, contact sync). The schema is lib/crm/jobadder/settings.ts.
 */
import { DUPLICATE_MODES, SMS_MODES } from '../../lib/crm/jobadder/settings.ts';
import { type ChoiceOptions, GENERAL_SECTION, optionsOf, type SectionSpec } from './describe.ts';

/** The account's note types; a name JobAdder offers for only one kind of record says so. */
const noteTypes: ChoiceOptions = (c) =>
  (c?.crm === 'jobadder' ? c.noteTypes : []).map((t) => ({
    value: t.name,
    label:
      t.contact && t.candidate
        ? t.name
        : `${t.name} (${t.contact ? 'contacts' : 'candidates'} only: notes on the others are refused)`,
  }));

export const JOBADDER_SECTIONS: SectionSpec[] = [
  {
    title: 'Call logging',
    hint: 'Each call becomes a note on the matched contact or candidate.',
    fields: [
      {
        path: 'logAiInsights',
        label: 'Log AI insights',
        rule: 'JA-CALL-1',
        hint: 'With Aircall AI: the call summary and key topics go into the note.',
        control: { kind: 'switch' },
      },
      {
        path: 'logRecordingLink',
        label: 'Log the call recording link',
        rule: 'JA-CALL-1',
        hint: 'A link to the recording in the Aircall dashboard.',
        control: { kind: 'switch' },
      },
      {
        path: 'noteType',
        label: 'Note type of calls',
        rule: 'JA-CALL-1',
        control: { kind: 'crm', what: 'JobAdder note type', options: noteTypes },
      },
    ],
  },
  {
    title: 'SMS logging',
    fields: [
      {
        path: 'smsMode',
        label: 'SMS',
        rule: 'JA-SMS-1',
        control: {
          kind: 'choice',
          options: optionsOf(SMS_MODES, {
            conversation:
              'Log SMS as a conversation (one note per contact, continued within 72 hours of its last change)',
            note_per_sms: 'Create a note for each SMS',
            none: 'Do not log SMS',
          }),
        },
      },
      {
        path: 'smsNoteType',
        label: 'Note type of SMS',
        rule: 'JA-SMS-1',
        control: { kind: 'crm', what: 'JobAdder note type', options: noteTypes },
      },
      {
        path: 'maxNoteLength',
        label: 'Longest note',
        rule: 'JA-SMS-1',
        hint: 'A conversation note is continued only while it stays within this length; call notes are cut to it.',
        control: { kind: 'number', min: 1, unit: 'characters' },
      },
    ],
  },
  {
    title: 'Duplicates',
    fields: [
      {
        path: 'duplicates',
        label: 'When two contacts or two candidates share the number',
        rule: 'JA-DUP-1',
        control: {
          kind: 'choice',
          options: optionsOf(DUPLICATE_MODES, {
            most_recent: 'Log into the most recently updated one',
            nothing: 'Do nothing',
          }),
        },
      },
    ],
  },
  {
    title: 'Contact sync',
    fields: [
      {
        path: 'contactSync',
        label: 'Sync JobAdder contacts and candidates to Aircall',
        rule: 'JA-SYNC-1',
        hint: 'On each call, the JobAdder contact or candidate found is copied into Aircall; Aircall allows no duplicate, so an existing Aircall contact with that number is overwritten.',
        control: { kind: 'switch' },
      },
    ],
  },
  GENERAL_SECTION,
];
