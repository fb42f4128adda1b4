/**
 * What the HubSpot planner reads beyond the shared planner inputs: facts about
 * one record (`CrmRecord.extra`) and about the portal (`PlannerContext.crmFacts`).
 * The backend fills them from HubSpot's API (endpoints named on each schema);
 * the planner parses them leniently: a part that does not parse counts as
 * unknown (and the rules that need it say so in the trace), never as empty,
 * so a malformed pipeline list cannot look like "every pipeline was deleted".
 */
import { z } from 'zod';
import type { CrmRecord, PlannerContext } from '../../logging/plan-types.ts';

/**
 * A call outcome of the portal, default or custom.
 * From `GET /calling/v1/dispositions` (`[{id, label}]`), or from
 * `GET /crm/v3/properties/calls/hs_call_disposition` (`options[{value, label}]`:
 * pass `value` as `id`). API-CONTRACTS 2.2.
 */
export const hubspotOutcomeSchema = z.looseObject({
  id: z.string().min(1),
  label: z.string(),
});
export type HubspotOutcome = z.infer<typeof hubspotOutcomeSchema>;

/**
 * A ticket pipeline stage, from `GET /crm/v3/pipelines/tickets` `results[].stages[]`.
 * `metadata.ticketState` is "OPEN" or "CLOSED" for ticket stages (HubSpot
 * pipelines API); HS-TIX-1 "update" only takes open tickets.
 */
export const hubspotPipelineStageSchema = z.looseObject({
  id: z.string().min(1),
  label: z.string().default(''),
  archived: z.boolean().default(false),
  metadata: z.looseObject({ ticketState: z.string().optional() }).optional(),
});
export type HubspotPipelineStage = z.infer<typeof hubspotPipelineStageSchema>;

/** A ticket pipeline, from `GET /crm/v3/pipelines/tickets` `results[]` (API-CONTRACTS 2.1, 2.6). */
export const hubspotTicketPipelineSchema = z.looseObject({
  id: z.string().min(1),
  label: z.string().default(''),
  archived: z.boolean().default(false),
  stages: z.array(hubspotPipelineStageSchema).default([]),
});
export type HubspotTicketPipeline = z.infer<typeof hubspotTicketPipelineSchema>;

/**
 * Portal facts (`PlannerContext.crmFacts` for a HubSpot integration).
 * Absent or unparsable parts are `undefined` = unknown.
 */
export const hubspotFactsSchema = z.object({
  /** The portal's call outcomes, default and custom (HS-OUT-3, HS-OUT-4); see `hubspotOutcomeSchema`. */
  outcomes: z.array(hubspotOutcomeSchema).optional().catch(undefined),
  /** The portal's ticket pipelines, `GET /crm/v3/pipelines/tickets` `results` (HS-TIX-1, HS-TIX-2). */
  ticketPipelines: z.array(hubspotTicketPipelineSchema).optional().catch(undefined),
  /**
   * HS-OUT-4: the outcome id an agent picked for this call in the panel
   * (stored by the backend, not read from HubSpot); null/absent: none picked.
   */
  agentOutcomeId: z.string().trim().min(1).nullable().optional().catch(undefined),
});
export type HubspotFacts = z.infer<typeof hubspotFactsSchema>;

/**
 * A ticket associated with the record: ids from
 * `GET /crm/v4/objects/contacts/{id}/associations/tickets`, properties from
 * `POST /crm/v3/objects/tickets/batch/read` with `hs_pipeline`,
 * `hs_pipeline_stage`, `hs_lastmodifieddate` (API-CONTRACTS 2.1, 2.6).
 */
export const hubspotTicketSchema = z.looseObject({
  id: z.string().min(1),
  /** `hs_pipeline`. */
  pipelineId: z.string().min(1),
  /** `hs_pipeline_stage`. */
  stageId: z.string().min(1),
  /** `hs_lastmodifieddate`, ISO 8601: "most recently modified" of HS-TIX-1. */
  updatedAt: z.string(),
  /**
   * Whether the ticket is closed, when the backend knows it (e.g. its stage's
   * `metadata.ticketState` is "CLOSED"); otherwise the planner reads the
   * stage's state from `HubspotFacts.ticketPipelines`.
   */
  closed: z.boolean().optional(),
});
export type HubspotTicket = z.infer<typeof hubspotTicketSchema>;

/**
 * Record facts (`CrmRecord.extra` of a HubSpot contact or company), from the
 * contact search `POST /crm/v3/objects/contacts/search` with properties
 * `firstname, lastname, email, company` (API-CONTRACTS 2.5) and the record's
 * tickets (see `hubspotTicketSchema`).
 */
export const hubspotRecordExtraSchema = z.object({
  /** `firstname` (HS-GEN-3: copied to the Aircall contact). */
  firstName: z.string().nullable().optional().catch(undefined),
  /** `lastname`. */
  lastName: z.string().nullable().optional().catch(undefined),
  /** `email`. */
  email: z.string().nullable().optional().catch(undefined),
  /** `company` (the contact's company name property). */
  company: z.string().nullable().optional().catch(undefined),
  /** The record's tickets, open and closed (HS-TIX-1 "update"); undefined: not looked up. */
  tickets: z.array(hubspotTicketSchema).optional().catch(undefined),
});
export type HubspotRecordExtra = z.infer<typeof hubspotRecordExtraSchema>;

/** The portal facts of the context, parsed leniently (never throws). */
export function readHubspotFacts(ctx: PlannerContext): HubspotFacts {
  const parsed = hubspotFactsSchema.safeParse(ctx.crmFacts ?? {});
  return parsed.success ? parsed.data : {};
}

/** The HubSpot facts of a record, parsed leniently (never throws). */
export function readHubspotRecordExtra(record: CrmRecord): HubspotRecordExtra {
  const parsed = hubspotRecordExtraSchema.safeParse(record.extra ?? {});
  return parsed.success ? parsed.data : {};
}
