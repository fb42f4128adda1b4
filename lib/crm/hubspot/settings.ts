/**
 * HubSpot integration settings (SPEC section 4; seeds 000 French / 001 German):
 * status and connected numbers (shared, lib/logging/settings.ts), call outcome
 * per call type (HS-OUT-1), tag-to-outcome mapping (HS-OUT-3), tickets per
 * call/SMS type (HS-TIX-1), general settings (HS-GEN-1..4) and the
 * integration's name (HS-GEN-5, in `generalSettingsShape`).
 *
 * `reconcileTicketSettings` applies HS-TIX-2 (a deleted pipeline or stage
 * turns the types that used it into "do nothing") for the backend to save and
 * the dashboard to show as a banner.
 */
import { z } from 'zod';
import { ACTIVITY_TYPES, type ActivityType } from '../../logging/classify.ts';
import { choice, generalSettingsShape } from '../../logging/settings.ts';
import type { HubspotTicketPipeline } from './facts.ts';

/**
 * The seven rows of HS-OUT-1's table: the five call types, with the
 * unanswered outbound call split by why it failed (busy, wrong number; see
 * HS-OUT-2 and `outboundFailureOf` in lib/logging/classify.ts).
 */
export const HUBSPOT_OUTCOME_KINDS = [
  'outbound_answered',
  'outbound_unanswered',
  'outbound_busy',
  'outbound_wrong_number',
  'inbound_answered',
  'missed_no_voicemail',
  'missed_voicemail',
] as const;
export type HubspotOutcomeKind = (typeof HUBSPOT_OUTCOME_KINDS)[number];

/**
 * HS-OUT-1: the outcomes the admin may pick per kind, in the articles' order
 * ("None" = the call activity gets no outcome). Labels are HubSpot's default
 * outcome labels; the GUIDs are in mapper.ts (`HUBSPOT_DEFAULT_OUTCOME_IDS`).
 */
export const HUBSPOT_ALLOWED_OUTCOMES = {
  outbound_answered: ['Connected', 'None'],
  outbound_unanswered: ['No answer', 'None'],
  outbound_busy: ['Busy', 'No answer', 'None'],
  outbound_wrong_number: ['Wrong number', 'No answer', 'None'],
  inbound_answered: ['Connected', 'None'],
  missed_no_voicemail: ['No answer', 'None'],
  missed_voicemail: ['No answer', 'None', 'Left voicemail'],
} as const satisfies Record<HubspotOutcomeKind, readonly [string, ...string[]]>;

/** Every label a setting of HS-OUT-1 can hold. */
export type HubspotOutcomeChoice = (typeof HUBSPOT_ALLOWED_OUTCOMES)[HubspotOutcomeKind][number];

/** How each outcome kind reads in messages (dashboard errors, traces, HS-TIX-2 warnings). */
export const HUBSPOT_OUTCOME_KIND_LABELS: Record<HubspotOutcomeKind, string> = {
  outbound_answered: 'outbound answered calls',
  outbound_unanswered: 'outbound unanswered calls',
  outbound_busy: 'outbound calls to a contact already on a call (busy)',
  outbound_wrong_number: 'outbound calls to a wrong number',
  inbound_answered: 'inbound answered calls',
  missed_no_voicemail: 'missed calls without voicemail',
  missed_voicemail: 'missed calls with voicemail',
};

/** How each ticket type of HS-TIX-1 reads in messages. */
export const HUBSPOT_TICKET_TYPE_LABELS: Record<ActivityType, string> = {
  outbound_answered: 'outbound answered calls',
  outbound_unanswered: 'outbound unanswered calls',
  inbound_answered: 'inbound answered calls',
  missed_no_voicemail: 'missed calls without voicemail',
  missed_voicemail: 'missed calls with voicemail',
  sms_outbound: 'outbound SMS',
  sms_inbound: 'inbound SMS',
};

function outcomeSetting<K extends HubspotOutcomeKind>(
  kind: K,
  defaultLabel: (typeof HUBSPOT_ALLOWED_OUTCOMES)[K][number],
) {
  return choice(HUBSPOT_ALLOWED_OUTCOMES[kind], HUBSPOT_OUTCOME_KIND_LABELS[kind], 'HS-OUT-1').default(
    defaultLabel,
  );
}

/**
 * HS-OUT-1 outcome per kind. The articles do not say what is preselected;
 * the defaults are, for each row, the outcome that describes what happened
 * (the first the article lists, or "Left voicemail" for a missed call with
 * one), because "None" would log calls without the information the row
 * exists for, and "No answer" on a busy/wrong-number call would hide why it
 * failed.
 */
const outcomesSchema = z.object({
  outbound_answered: outcomeSetting('outbound_answered', 'Connected'),
  outbound_unanswered: outcomeSetting('outbound_unanswered', 'No answer'),
  outbound_busy: outcomeSetting('outbound_busy', 'Busy'),
  outbound_wrong_number: outcomeSetting('outbound_wrong_number', 'Wrong number'),
  inbound_answered: outcomeSetting('inbound_answered', 'Connected'),
  missed_no_voicemail: outcomeSetting('missed_no_voicemail', 'No answer'),
  missed_voicemail: outcomeSetting('missed_voicemail', 'Left voicemail'),
});

/**
 * HS-OUT-3: an Aircall tag mapped to one of the portal's outcomes (default or
 * custom), by the outcome's id (the `hs_call_disposition` value). Tags are
 * matched by Aircall tag id, which survives renames; the name is kept for
 * the dashboard.
 */
const tagOutcomeSchema = z.object({
  tagId: z.number().int().positive(),
  tagName: z.string().optional(),
  outcomeId: z.string().trim().min(1, 'outcomeId must name one of the portal outcomes (HS-OUT-3)'),
});

export const TICKET_ACTIONS = ['create', 'update', 'none'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

function ticketTypeSetting(type: ActivityType) {
  return z
    .object({
      action: choice(TICKET_ACTIONS, `tickets for ${HUBSPOT_TICKET_TYPE_LABELS[type]}`, 'HS-TIX-1').default(
        'none',
      ),
      /** Stage of the chosen pipeline the ticket is created in or moved to (create/update). */
      stageId: z.string().trim().min(1).nullable().default(null),
    })
    .prefault({});
}

/**
 * HS-TIX-1: one pipeline, and per type (5 call types + 2 SMS types) create /
 * update / do nothing; create and update need a stage of that pipeline.
 */
const ticketsSchema = z
  .object({
    /** The ticket pipeline (GET /crm/v3/pipelines/tickets `id`); null: none chosen. */
    pipelineId: z.string().trim().min(1).nullable().default(null),
    types: z
      .object(
        Object.fromEntries(ACTIVITY_TYPES.map((t) => [t, ticketTypeSetting(t)])) as Record<
          ActivityType,
          ReturnType<typeof ticketTypeSetting>
        >,
      )
      .prefault({}),
  })
  .superRefine((tickets, ctx) => {
    for (const type of ACTIVITY_TYPES) {
      const { action, stageId } = tickets.types[type];
      const what = HUBSPOT_TICKET_TYPE_LABELS[type];
      if (action !== 'none' && stageId === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['types', type, 'stageId'],
          message: `tickets for ${what} are set to "${action}", which needs a stage of the ticket pipeline; pick one (HS-TIX-1)`,
        });
      }
      if (stageId !== null && tickets.pipelineId === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['types', type, 'stageId'],
          message: `stage "${stageId}" is set for ${what} but no ticket pipeline is chosen; pick the pipeline first, then a stage of it (HS-TIX-1)`,
        });
      }
    }
  });

/** Every setting of a HubSpot integration (SPEC sections 3 and 4). */
export const hubspotSettingsSchema = z.object({
  crm: z.literal('hubspot'),
  ...generalSettingsShape,
  outcomes: outcomesSchema.prefault({}),
  tagOutcomes: z
    .array(tagOutcomeSchema)
    .default([])
    .superRefine((mappings, ctx) => {
      const seen = new Set<number>();
      mappings.forEach((m, i) => {
        if (seen.has(m.tagId)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'tagId'],
            message: `tag ${m.tagName ?? m.tagId} is mapped twice; a tag maps to one outcome (HS-OUT-3)`,
          });
        }
        seen.add(m.tagId);
      });
    }),
  tickets: ticketsSchema.prefault({}),
  /** HS-GEN-1: true = log only within each Aircall number's business hours; false = always (the default). */
  onlyBusinessHours: z.boolean().default(false),
  /** HS-GEN-2: create a HubSpot contact for a number that matches none. */
  createContacts: z.boolean().default(true),
  /** HS-GEN-3: create/update the Aircall contact from the HubSpot contact of a called number. */
  syncContactsToAircall: z.boolean().default(false),
  /** HS-GEN-4: HubSpot owner id for activities and new contacts without an owner; null = "Nobody". */
  defaultOwnerId: z.string().trim().min(1).nullable().default(null),
});

export type HubspotSettings = z.infer<typeof hubspotSettingsSchema>;
export type HubspotSettingsInput = z.input<typeof hubspotSettingsSchema>;
export type HubspotTicketSettings = HubspotSettings['tickets'];

/** One change HS-TIX-2 made, for the dashboard's warning banner. */
export interface TicketSettingsWarning {
  rule: 'HS-TIX-2';
  /** The type set to "do nothing"; null for a warning about the pipeline itself. */
  type: ActivityType | null;
  pipelineId: string;
  stageId: string | null;
  reason: 'pipeline_deleted' | 'stage_deleted';
  message: string;
}

export interface ReconciledTicketSettings {
  settings: HubspotSettings;
  warnings: TicketSettingsWarning[];
  changed: boolean;
}

/**
 * HS-TIX-2: compare the ticket settings with the portal's pipelines (as read
 * from GET /crm/v3/pipelines/tickets; archived pipelines and stages count as
 * deleted) and set every type that used a deleted pipeline or stage to "do
 * nothing". A deleted pipeline is also unselected. Pure; the backend saves
 * the result when `changed` and shows `warnings` as the dashboard banner.
 */
export function reconcileTicketSettings(
  settings: HubspotSettings,
  pipelines: readonly HubspotTicketPipeline[],
): ReconciledTicketSettings {
  const { pipelineId } = settings.tickets;
  if (pipelineId === null) return { settings, warnings: [], changed: false };
  const pipeline = pipelines.find((p) => p.id === pipelineId && !p.archived);
  const warnings: TicketSettingsWarning[] = [];
  const types = { ...settings.tickets.types };

  if (!pipeline) {
    for (const type of ACTIVITY_TYPES) {
      const current = types[type];
      if (current.action === 'none' && current.stageId === null) continue;
      types[type] = { action: 'none', stageId: null };
      if (current.action !== 'none') {
        warnings.push({
          rule: 'HS-TIX-2',
          type,
          pipelineId,
          stageId: current.stageId,
          reason: 'pipeline_deleted',
          message: `Tickets for ${HUBSPOT_TICKET_TYPE_LABELS[type]} were set to "${current.action}" in ticket pipeline ${pipelineId}, which no longer exists in HubSpot; they are now set to "do nothing".`,
        });
      }
    }
    warnings.unshift({
      rule: 'HS-TIX-2',
      type: null,
      pipelineId,
      stageId: null,
      reason: 'pipeline_deleted',
      message: `Ticket pipeline ${pipelineId} no longer exists in HubSpot; choose another pipeline to create or update tickets again.`,
    });
    return {
      settings: { ...settings, tickets: { pipelineId: null, types } },
      warnings,
      changed: true,
    };
  }

  const liveStages = new Set(pipeline.stages.filter((s) => !s.archived).map((s) => s.id));
  let changed = false;
  for (const type of ACTIVITY_TYPES) {
    const current = types[type];
    if (current.stageId === null || liveStages.has(current.stageId)) continue;
    types[type] = { action: 'none', stageId: null };
    changed = true;
    if (current.action !== 'none') {
      warnings.push({
        rule: 'HS-TIX-2',
        type,
        pipelineId,
        stageId: current.stageId,
        reason: 'stage_deleted',
        message: `Tickets for ${HUBSPOT_TICKET_TYPE_LABELS[type]} were set to "${current.action}" in stage ${current.stageId} of pipeline "${pipeline.label || pipeline.id}", which no longer exists in HubSpot; they are now set to "do nothing".`,
      });
    }
  }
  if (!changed) return { settings, warnings: [], changed: false };
  return { settings: { ...settings, tickets: { pipelineId, types } }, warnings, changed };
}
