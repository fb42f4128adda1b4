/** The doctor (GEN-DOC-1..6): checks against the live connections, and the one-click phone rewrite. */
import { z } from 'zod';
import type { DoctorCheck } from '../logging/doctor.ts';
import { companyParams, crm, integrationParams, route, type RouteDef } from './route.ts';
import { foundCallSchema } from './contract-dashboard.ts';

/** lib/logging/doctor.ts DOCTOR_CHECKS (a type import: the dashboard's bundle keeps out the checks' code). */
const CHECKS = [
  'GEN-DOC-1',
  'GEN-DOC-2',
  'GEN-DOC-3',
  'GEN-DOC-4',
  'GEN-DOC-5',
  'GEN-DOC-6',
] as const satisfies readonly DoctorCheck[];

/** What each check looks at, in the troubleshooting article's order (seed 004). */
export const CHECK_TITLES: Record<(typeof CHECKS)[number], string> = {
  'GEN-DOC-1': 'Plan and permissions',
  'GEN-DOC-2': 'Users, emails and the installer',
  'GEN-DOC-3': 'Phone number format (E.164)',
  'GEN-DOC-4': 'Connected numbers and IVRs',
  'GEN-DOC-5': 'Phone fields and required fields',
  'GEN-DOC-6': 'One call, step by step',
};

/** One record's phone values not in E.164, with their rewrite (GEN-DOC-3, EXT-FIX-1). */
export const phoneRewriteSchema = z.object({
  /** The record's kind as the CRM adapter reads and updates it ("contact", "Contact", "Lead"...). */
  objectType: z.string(),
  recordId: z.string(),
  name: z.string(),
  fixes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
  /** Values that cannot be read as a number: a person must correct them. */
  unreadable: z.array(z.object({ field: z.string(), value: z.string() })),
});

/** A finding of the doctor: what is wrong (or `ok`: what was checked), and what to do. */
export const findingSchema = z.object({
  check: z.enum(CHECKS),
  severity: z.enum(['error', 'warning', 'info', 'ok']),
  title: z.string(),
  detail: z.string(),
  /** null only for `ok` findings. */
  fix: z.string().nullable(),
  examples: z.array(z.string()),
  count: z.number().nullable(),
  /** GEN-DOC-3: the records the one-click rewrite changes (from a bounded scan, said in `detail`). */
  records: z.array(phoneRewriteSchema).optional(),
});

export const integrationDoctorSchema = z.object({
  integrationId: z.string(),
  crm,
  /** The CRM's name ("Salesforce"). */
  label: z.string(),
  active: z.boolean(),
  findings: z.array(findingSchema),
  /** Whether `doctorPhoneRewrite` can change this CRM's records, and if not why. */
  phoneRewrite: z.object({ supported: z.boolean(), reason: z.string().nullable() }),
});

export const DOCTOR_API = {
  runDoctor: route({
    method: 'GET',
    path: '/admin/companies/:companyId/doctor',
    auth: 'admin',
    summary:
      'Run the troubleshooting checks (GEN-DOC-1..5) against the live Aircall and CRM connections; a check that cannot run is a finding saying why',
    params: companyParams,
    query: z.object({ crm: crm.optional() }),
    reply: z.object({ ranAt: z.number(), integrations: z.array(integrationDoctorSchema) }),
  }),
  doctorPhoneRewrite: route({
    method: 'POST',
    path: '/admin/companies/:companyId/doctor/:crm/phone-rewrite',
    auth: 'admin',
    summary:
      "Rewrite the CRM's phone numbers that are not in E.164 (GEN-DOC-3, EXT-FIX-1): the records given, or those the doctor's scan finds",
    params: integrationParams,
    body: z
      .object({
        /** The records to rewrite (from `runDoctor`); without it, the doctor's scan is run again. */
        records: z
          .array(z.object({ objectType: z.string().min(1), recordId: z.string().min(1) }))
          .max(500)
          .optional(),
      })
      .default({}),
    reply: z.object({
      /** Records changed. */
      rewritten: z.number(),
      /** Phone values changed, over those records. */
      values: z.number(),
      records: z.array(phoneRewriteSchema),
      /** Records left as they were, with why and what to do. */
      failed: z.array(
        z.object({
          objectType: z.string(),
          recordId: z.string(),
          name: z.string().nullable(),
          reason: z.string(),
          fix: z.string().nullable(),
        }),
      ),
    }),
  }),
  doctorCall: route({
    method: 'GET',
    path: '/admin/companies/:companyId/doctor/calls/:callId',
    auth: 'admin',
    summary:
      "One call's decision trace per integration (GEN-DOC-6, GEN-TRACE-1); for a call this backend never processed, what Aircall says about it",
    params: companyParams.extend({ callId: z.string().trim().min(1) }),
    reply: z.object({
      callId: z.string(),
      /** The call with its trace per integration (as `callTraces` gives it) and its work; null when never planned. */
      activity: foundCallSchema.nullable(),
      findings: z.array(findingSchema),
    }),
  }),
} as const satisfies Record<string, RouteDef>;
