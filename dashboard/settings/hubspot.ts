/**
 * A HubSpot integration's settings as the screen shows them (SPEC section 4;
 * seeds 000/001: outcome per call type, tickets, general settings, name).
 * The schema is lib/crm/hubspot/settings.ts.
 */
import {
  HUBSPOT_ALLOWED_OUTCOMES,
  HUBSPOT_OUTCOME_KIND_LABELS,
  HUBSPOT_OUTCOME_KINDS,
} from '../../lib/crm/hubspot/settings.ts';
import { GENERAL_SECTION, type SectionSpec } from './describe.ts';

/** "None" means the call activity gets no outcome (HS-OUT-1). */
const outcomeLabel = (value: string) => (value === 'None' ? 'None (no outcome)' : value);

export const HUBSPOT_SECTIONS: SectionSpec[] = [
  {
    title: 'Call outcome',
    hint: 'Each call becomes a HubSpot call activity; pick its outcome per type of call.',
    fields: [
      {
        path: 'outcomes',
        label: 'Outcome per call type',
        rule: 'HS-OUT-1',
        hint: 'Outbound calls that reach an automated message or a voicemail count as answered (HS-OUT-2).',
        control: {
          kind: 'grid',
          column: 'Outcome',
          rows: HUBSPOT_OUTCOME_KINDS.map((kind) => ({
            key: kind,
            label: HUBSPOT_OUTCOME_KIND_LABELS[kind],
            options: HUBSPOT_ALLOWED_OUTCOMES[kind].map((v) => ({ value: v, label: outcomeLabel(v) })),
          })),
        },
      },
      {
        path: 'tagOutcomes',
        label: 'Outcomes from Aircall tags',
        rule: 'HS-OUT-3',
        hint: 'A call with one mapped tag gets that tag’s outcome (any of the portal’s, custom ones too); with several mapped tags the per-type outcome applies. Calls already logged keep theirs.',
        control: { kind: 'tagOutcomes' },
      },
    ],
  },
  {
    title: 'Tickets',
    hint: 'Pick the ticket pipeline, then per call or SMS type: create a ticket, update the contact’s latest open ticket, or do nothing. Create and update need a stage.',
    fields: [{ path: 'tickets', label: 'Tickets', rule: 'HS-TIX-1', control: { kind: 'tickets' } }],
  },
  {
    title: 'General settings',
    fields: [
      {
        path: 'onlyBusinessHours',
        label: 'When to log calls and SMS',
        rule: 'HS-GEN-1',
        control: {
          kind: 'either',
          on: 'Only during each Aircall number’s business hours',
          off: 'Always, even outside business hours',
        },
      },
      {
        path: 'createContacts',
        label: 'Create a HubSpot contact for numbers that match none',
        rule: 'HS-GEN-2',
        hint: 'When off, the call is still logged, without a contact, and waits in the agents’ unmatched inbox.',
        control: { kind: 'switch' },
      },
      {
        path: 'syncContactsToAircall',
        label: 'Sync HubSpot contacts to Aircall',
        rule: 'HS-GEN-3',
        hint: 'Numbers called that exist in HubSpot get an Aircall contact, kept up to date.',
        control: { kind: 'switch' },
      },
      {
        path: 'defaultOwnerId',
        label: 'Default owner',
        rule: 'HS-GEN-4',
        hint: 'Owner of a call activity or a new contact when no owner is found.',
        control: {
          kind: 'crm',
          what: 'HubSpot owner',
          options: (c) => [
            { value: null, label: 'Nobody' },
            ...(c?.crm === 'hubspot' ? c.owners : []).map((o) => ({
              value: o.id,
              label: o.email ? `${o.name} (${o.email})` : o.name,
            })),
          ],
        },
      },
    ],
  },
  GENERAL_SECTION,
];
