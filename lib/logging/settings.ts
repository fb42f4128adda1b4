/**
 * Settings every integration has (SPEC section 3), and how an invalid
 * setting is reported. Each CRM's schema extends `generalSettingsShape` in
 * lib/crm/<crm>/settings.ts; `integrationSettingsSchema` (settings-union.ts)
 * is the union the backend stores and validates.
 */
import { z } from 'zod';
import { isCountryCode } from '../phone/e164.ts';

/** Settings of SPEC section 3, shared by every CRM. */
export const generalSettingsShape = {
  /** GEN-ACT-1: while inactive nothing is logged and contacts are not synced. */
  active: z.boolean().default(true),
  /**
   * GEN-ADM-1: why the product made the integration inactive (e.g. the
   * installer lost admin rights), shown in the dashboard; null when an admin
   * chose it or it is active.
   */
  inactiveReason: z.string().nullable().default(null),
  /**
   * GEN-ACT-2: when the integration was last (re)activated, UNIX ms. Calls
   * that started before are not logged, unless an admin backfills them
   * (GEN-ACT-2b). null: since installation.
   */
  activatedAt: z.number().int().nonnegative().nullable().default(null),
  /** HS-GEN-5 (every CRM here): the name shown in the dashboard. */
  name: z
    .string()
    .trim()
    .min(1, 'name must not be empty')
    .max(100, 'name must be at most 100 characters')
    .optional(),
  /** GEN-NUM-1: Aircall number ids whose calls and SMS are logged. */
  connectedNumbers: z.array(z.number().int().positive()).default([]),
  /** GEN-PHONE-1: ISO 3166 alpha-2 country for numbers stored without a country code. */
  defaultCountry: z
    .string()
    .refine(isCountryCode, {
      error: 'must be an ISO 3166 alpha-2 country code such as FR, DE or US',
    })
    .default('US'),
};

export const generalSettingsSchema = z.object(generalSettingsShape);
export type GeneralSettings = z.infer<typeof generalSettingsSchema>;

/** One problem with submitted settings: which field, what is wrong, what is allowed. */
export interface SettingsIssue {
  /** Dotted path, e.g. "outcomes.inbound_answered". */
  field: string;
  message: string;
  /** The values that would be accepted, when the field has a fixed list. */
  allowed?: string[];
}

/** Turn a zod error into issues a dashboard can show next to each field. */
export function settingsIssues(error: z.ZodError): SettingsIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(settings)';
    if (issue.code === 'invalid_value') {
      const allowed = issue.values.map(String);
      return { field, message: `${field}: ${issue.message}`, allowed };
    }
    return { field, message: `${field}: ${issue.message}` };
  });
}

/**
 * A z.enum whose error names the field's rule and the allowed values, e.g.
 * 'outcome "Busy" is not allowed for inbound answered calls; allowed: Connected, None (HS-OUT-1)'.
 */
export function choice<const T extends readonly [string, ...string[]]>(
  values: T,
  what: string,
  rule: string,
) {
  return z.enum(values, {
    error: (issue) =>
      `${issue.input === undefined ? 'missing' : JSON.stringify(issue.input)} is not allowed for ${what}; allowed: ${values.join(', ')} (${rule})`,
  });
}
