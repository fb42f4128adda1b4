/**
 * HubSpot tickets for a call or SMS (SPEC section 4, HS-TIX-1 with HS-TIX-2 at
 * plan time): create one, or update the party's most recently modified open
 * ticket of the pipeline, or nothing (GEN-REQ-1 when HubSpot refuses the
 * creation); and the ticket's subject and content.
 */
import type { MessageState } from '../../aircall/callState.ts';
import type { ActivityType } from '../../logging/classify.ts';
import type { CallPlanArgs, MessagePlanArgs } from '../../logging/crm-planner.ts';
import type { CrmRecord, PlannedWrite, WriteLink } from '../../logging/plan-types.ts';
import { type HubspotFacts, readHubspotRecordExtra } from './facts.ts';
import {
  HUBSPOT_ASSOCIATION_TYPES as ASSOC,
  hubspotAssociation,
  toHubspotTicketProperties,
} from './mapper.ts';
import { type Party, type Subject, linkTo, time } from './party.ts';
import { HUBSPOT_TICKET_TYPE_LABELS, type HubspotSettings } from './settings.ts';

/**
 * HS-TIX-1 (with HS-TIX-2 at plan time): create a ticket, or update the
 * party's most recently modified open ticket of the pipeline (moved to the
 * stage, activity associated), or nothing.
 */
export function ticketFor(
  args: CallPlanArgs<HubspotSettings> | MessagePlanArgs<HubspotSettings>,
  subject: Subject,
  type: ActivityType,
  facts: HubspotFacts,
  party: Party,
  ownerId: string | null,
  text: { subject: string; content: string },
): PlannedWrite[] {
  const { settings, ctx, trace } = args;
  const { pipelineId } = settings.tickets;
  const { action, stageId } = settings.tickets.types[type];
  const typeLabel = HUBSPOT_TICKET_TYPE_LABELS[type];
  if (action === 'none' || pipelineId === null || stageId === null) {
    trace.skipped('HS-TIX-1', `Tickets for ${typeLabel} are set to "do nothing".`);
    return [];
  }

  const pipelines = facts.ticketPipelines;
  const pipeline = pipelines?.find((p) => p.id === pipelineId && !p.archived);
  if (pipelines && !pipeline) {
    trace.skipped(
      'HS-TIX-2',
      `Ticket pipeline ${pipelineId} no longer exists in HubSpot, so tickets for ${typeLabel} do nothing; the dashboard asks for another pipeline.`,
    );
    return [];
  }
  if (pipeline && !pipeline.stages.some((s) => s.id === stageId && !s.archived)) {
    trace.skipped(
      'HS-TIX-2',
      `Stage ${stageId} no longer exists in ticket pipeline "${pipeline.label || pipeline.id}", so tickets for ${typeLabel} do nothing; the dashboard asks for another stage.`,
    );
    return [];
  }

  const links: WriteLink[] = [{ ref: 'activity', as: hubspotAssociation(subject.assoc.ticketToActivity) }];
  if (party.target)
    links.push(linkTo(party.target, party.kind, ASSOC.ticketToContact, ASSOC.ticketToCompany));

  const already = ctx.existing.ticket;
  if (already) {
    // The ticket was created or moved when the call/SMS was first logged; later
    // events must not move it back to the stage if someone has moved it since.
    trace.applied(
      'HS-TIX-1',
      `Ticket ${already.id} was already written for this ${subject.what}; only its associations are kept up to date.`,
    );
    return [
      {
        ref: 'ticket',
        op: 'update',
        target: 'hubspot.tickets',
        id: already.id,
        fields: {},
        links,
        rules: ['HS-TIX-1'],
      },
    ];
  }

  if (action === 'update') {
    const open = openTickets(party.record, pipelineId, facts);
    const [latest] = open;
    if (latest) {
      trace.applied(
        'HS-TIX-1',
        `Tickets for ${typeLabel}: "update". Ticket ${latest.id}, the most recently modified open ticket of ${party.kind} ${party.record?.id} in pipeline ${pipelineId} (of ${open.length}), is moved to stage ${stageId} and associated with the ${subject.what}.`,
      );
      return [
        {
          ref: 'ticket',
          op: 'update',
          target: 'hubspot.tickets',
          id: latest.id,
          fields: { hs_pipeline_stage: stageId },
          links,
          rules: ['HS-TIX-1'],
        },
      ];
    }
  }

  const blocked = ctx.blockedCreates?.find((b) => b.target === 'hubspot.tickets');
  if (blocked) {
    trace.applied(
      'GEN-REQ-1',
      `HubSpot refuses to create a ticket because the required property "${blocked.field}" has no value; the ${subject.what} is logged without a ticket.`,
    );
    return [];
  }
  trace.applied(
    'HS-TIX-1',
    action === 'update'
      ? `Tickets for ${typeLabel}: "update", but ${noOpenTicket(party, pipelineId)}: a ticket is created in stage ${stageId}.`
      : `Tickets for ${typeLabel}: "create". A ticket is created in pipeline ${pipelineId}, stage ${stageId}.`,
  );
  const fields = toHubspotTicketProperties({ ...text, pipelineId, stageId, ownerId });
  return [
    {
      ref: 'ticket',
      op: 'create',
      target: 'hubspot.tickets',
      fields,
      links,
      rules: ['HS-TIX-1', 'HS-GEN-4'],
    },
  ];
}

/** Why HS-TIX-1 "update" found no ticket to update, for the trace. */
function noOpenTicket(party: Party, pipelineId: string): string {
  if (!party.record) return `there is no existing HubSpot ${party.kind} whose tickets could be updated`;
  if (readHubspotRecordExtra(party.record).tickets === undefined) {
    return `the tickets of ${party.kind} ${party.record.id} are not known (not looked up)`;
  }
  return `${party.kind} ${party.record.id} has no open ticket in pipeline ${pipelineId}`;
}

/** The record's open tickets of the pipeline, most recently modified first (HS-TIX-1 "update"). */
function openTickets(record: CrmRecord | null, pipelineId: string, facts: HubspotFacts) {
  if (!record) return [];
  const tickets = readHubspotRecordExtra(record).tickets ?? [];
  const stages = facts.ticketPipelines?.find((p) => p.id === pipelineId)?.stages ?? [];
  const closedStage = (stageId: string) =>
    stages.find((s) => s.id === stageId)?.metadata?.ticketState?.toUpperCase() === 'CLOSED';
  return tickets
    .filter((t) => t.pipelineId === pipelineId && !(t.closed ?? closedStage(t.stageId)))
    .sort((a, b) => time(b.updatedAt) - time(a.updatedAt) || a.id.localeCompare(b.id));
}

export function ticketContent(title: string, summary: string | null, notes: string[]): string {
  return [title, summary ? `AI summary: ${summary}` : null, ...notes].filter(Boolean).join('\n\n');
}

export function smsTicketText(
  message: MessageState,
  party: Party,
  args: MessagePlanArgs<HubspotSettings>,
): { subject: string; content: string } {
  const who = party.name ?? args.externalE164 ?? 'an unknown number';
  const line = message.number?.name ?? 'Aircall';
  const subject =
    message.direction === 'outbound' ? `SMS to ${who} via ${line}` : `SMS from ${who} on ${line}`;
  return { subject, content: message.body };
}
