/**
 * The dashboard's settings screen (issue 7): the choices each CRM offers
 * (ticket pipelines, outcomes, owners, users, note types), read live from the
 * CRM, and the company's Aircall numbers and tags, read live from Aircall.
 * Server: server/http/settings-choices.ts.
 */
import { z } from 'zod';
import { companyParams, integrationParams, route, type RouteDef } from './route.ts';

/** A CRM user an admin can pick (HS-GEN-4 default owner, SF-OWN-2 unmatched owner). */
const personChoice = z.object({ id: z.string(), name: z.string(), email: z.string().nullable() });

/** HubSpot: what the settings of SPEC section 4 pick from. */
export const hubspotChoicesSchema = z.object({
  crm: z.literal('hubspot'),
  /** HS-GEN-4: active owners, `GET /crm/v3/owners`. */
  owners: z.array(personChoice),
  /** HS-OUT-3: the portal's call outcomes, default and custom (`hs_call_disposition` options). */
  outcomes: z.array(z.object({ id: z.string(), label: z.string() })),
  /** HS-TIX-1: ticket pipelines and their stages, archived ones left out, `GET /crm/v3/pipelines/tickets`. */
  pipelines: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      stages: z.array(
        z.object({
          id: z.string(),
          label: z.string(),
          /** `metadata.ticketState`: "OPEN" / "CLOSED"; null when HubSpot does not say. */
          state: z.string().nullable(),
        }),
      ),
    }),
  ),
});

/** Salesforce: what the settings of SPEC section 5 pick from. */
export const salesforceChoicesSchema = z.object({
  crm: z.literal('salesforce'),
  /** SF-OWN-2: the org's active users (`SELECT Id, Name, Email FROM User WHERE IsActive = true`). */
  users: z.array(personChoice),
});

/** JobAdder: what the settings of SPEC section 6 pick from. */
export const jobadderChoicesSchema = z.object({
  crm: z.literal('jobadder'),
  /**
   * JA-CALL-1 / JA-SMS-1 note types (`GET /contacts/lists/notetype` and
   * `GET /candidates/lists/notetype`): one entry per name, saying for which
   * kind of record JobAdder offers it and whether it is JobAdder's SMS default.
   */
  noteTypes: z.array(
    z.object({ name: z.string(), contact: z.boolean(), candidate: z.boolean(), smsDefault: z.boolean() }),
  ),
});

export const settingsChoicesSchema = z.discriminatedUnion('crm', [
  hubspotChoicesSchema,
  salesforceChoicesSchema,
  jobadderChoicesSchema,
]);
export type SettingsChoices = z.infer<typeof settingsChoicesSchema>;
export type HubspotChoices = z.infer<typeof hubspotChoicesSchema>;
export type SalesforceChoices = z.infer<typeof salesforceChoicesSchema>;
export type JobadderChoices = z.infer<typeof jobadderChoicesSchema>;

/** An Aircall number as the numbers picker shows it (GEN-NUM-1), with its IVR routing (GEN-NUM-2). */
export const aircallNumberChoiceSchema = z.object({
  id: z.number(),
  name: z.string(),
  digits: z.string(),
  country: z.string().nullable(),
  isIvr: z.boolean(),
  /**
   * The numbers an IVR routes to. Aircall's public API does not publish IVR
   * routing; the sandbox gives it as `sandbox_ivr_destinations` (empty when unknown).
   */
  ivrDestinationIds: z.array(z.number()),
});
export type AircallNumberChoice = z.infer<typeof aircallNumberChoiceSchema>;

export const SETTINGS_API = {
  settingsChoices: route({
    method: 'GET',
    path: '/admin/companies/:companyId/integrations/:crm/choices',
    auth: 'admin',
    summary:
      "What the CRM's settings pick from, read live from the CRM: HubSpot pipelines, stages, outcomes and owners; Salesforce users; JobAdder note types",
    params: integrationParams,
    reply: settingsChoicesSchema,
  }),
  aircallNumbers: route({
    method: 'GET',
    path: '/admin/companies/:companyId/aircall/numbers',
    auth: 'admin',
    summary: "The company's Aircall numbers, read live from Aircall, with IVR routing (GEN-NUM-1, GEN-NUM-2)",
    params: companyParams,
    reply: z.object({ numbers: z.array(aircallNumberChoiceSchema) }),
  }),
  aircallTags: route({
    method: 'GET',
    path: '/admin/companies/:companyId/aircall/tags',
    auth: 'admin',
    summary: "The company's Aircall tags, read live from Aircall (HS-OUT-3 tag-to-outcome mapping)",
    params: companyParams,
    reply: z.object({ tags: z.array(z.object({ id: z.number(), name: z.string() })) }),
  }),
} as const satisfies Record<string, RouteDef>;
