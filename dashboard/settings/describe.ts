/**
 * How the settings screen describes a CRM's settings: sections of fields,
 * each with its label, the rule it implements and the control that edits it.
 * One description file per CRM (hubspot.ts, salesforce.ts, jobadder.ts) says
 * what its settings schema (lib/crm/<crm>/settings.ts) holds in the words of
 * the articles; form.tsx renders any of them. test/dashboard/settings-fields.test.ts
 * checks that every field of every schema has a control.
 */
import type { SettingsChoices } from '../../lib/api/contract-settings.ts';

/** A value a control offers. `null` is a real value of nullable settings ("Nobody"). */
export interface Option {
  value: string | null;
  label: string;
}

/** Options read from the CRM (the `settingsChoices` route); empty until they are loaded. */
export type ChoiceOptions = (choices: SettingsChoices | null) => Option[];

export type Control =
  /** A boolean as one checkbox. */
  | { kind: 'switch' }
  /** A boolean read as two sentences (e.g. "only during business hours" / "always"). */
  | { kind: 'either'; on: string; off: string }
  /** A fixed list: radio buttons. */
  | { kind: 'choice'; options: Option[] }
  /** A list read from the CRM: a select. */
  | { kind: 'crm'; options: ChoiceOptions; what: string }
  /** `optional`: an empty box removes the setting (e.g. no custom name). */
  | { kind: 'text'; placeholder?: string; maxLength?: number; optional?: boolean }
  | { kind: 'number'; min: number; unit: string }
  /** One select per row (a choice per call type), each row its own setting under `path`. */
  | { kind: 'grid'; rows: { key: string; label: string; options: Option[] }[]; column: string }
  /** A control of its own (HubSpot tickets, tag mapping): see form.tsx. */
  | { kind: 'tickets' }
  | { kind: 'tagOutcomes' };

export interface FieldSpec {
  /** Dotted path in the settings, as the schema's errors name it. */
  path: string;
  label: string;
  /** The SPEC rule the setting implements. */
  rule: string;
  hint?: string;
  control: Control;
}

export interface SectionSpec {
  title: string;
  hint?: string;
  fields: FieldSpec[];
}

/**
 * Settings every integration has that the screen shows outside the form:
 * the status switch (GEN-ACT-1, with GEN-ADM-1's reason and GEN-ACT-2's
 * date) and the connected numbers (GEN-NUM-1), each saved by its own route.
 */
export const STATUS_FIELDS = ['active', 'inactiveReason', 'activatedAt', 'connectedNumbers'] as const;

/** The settings of SPEC section 3 edited in the form, shared by every CRM's description. */
export const GENERAL_SECTION: SectionSpec = {
  title: 'Integration',
  fields: [
    {
      path: 'name',
      label: 'Integration name',
      rule: 'HS-GEN-5',
      hint: 'Shown in this dashboard, to tell this integration from others. Empty: the CRM’s name.',
      control: { kind: 'text', placeholder: 'e.g. Support team', maxLength: 100, optional: true },
    },
    {
      path: 'defaultCountry',
      label: 'Default country of CRM phone numbers',
      rule: 'GEN-PHONE-1',
      hint: 'ISO code (FR, DE, US…) used to read numbers stored without a country code.',
      control: { kind: 'text', placeholder: 'FR', maxLength: 2 },
    },
  ],
};

/** Options of a fixed list from its values and their labels. */
export function optionsOf<const V extends string>(values: readonly V[], labels: Record<V, string>): Option[] {
  return values.map((value) => ({ value, label: labels[value] }));
}
