import { describe, expect, it } from 'vitest';
import {
  ALICE,
  CALLER_E164,
  callState,
  crmRecord,
  crmUser,
  messageState,
  missedCall,
  outboundCall,
  plannerContext,
  T0,
} from '../../../test/support/build.ts';
import type { CallState } from '../../aircall/callState.ts';
import { planCall, planMessage } from '../../logging/plan.ts';
import type { ExistingWrites, Plan, PlannedWrite, PlannerContext } from '../../logging/plan-types.ts';
import type { HubspotTicket, HubspotTicketPipeline } from './facts.ts';
import { HUBSPOT_DEFAULT_OUTCOME_IDS as OUTCOME } from './mapper.ts';
import { type HubspotSettingsInput, hubspotSettingsSchema } from './settings.ts';

const settings = (over: Partial<HubspotSettingsInput> = {}) =>
  hubspotSettingsSchema.parse({ crm: 'hubspot', connectedNumbers: [1], defaultCountry: 'FR', ...over });

const CLAIRE = crmRecord({ id: '501', name: 'Claire Dupont', ownerId: '900' });
const ALICE_OWNER = crmUser({ id: '77', email: 'Alice@Example.com', name: 'Alice Martin' });

const PIPELINES: HubspotTicketPipeline[] = [
  {
    id: '0',
    label: 'Support',
    archived: false,
    stages: [
      { id: '1', label: 'New', archived: false, metadata: { ticketState: 'OPEN' } },
      { id: '3', label: 'Waiting on us', archived: false, metadata: { ticketState: 'OPEN' } },
      { id: '4', label: 'Closed', archived: false, metadata: { ticketState: 'CLOSED' } },
    ],
  },
  {
    id: '8',
    label: 'Sales',
    archived: false,
    stages: [{ id: '81', label: 'Open', archived: false, metadata: { ticketState: 'OPEN' } }],
  },
];

const ctxWith = (over: Partial<PlannerContext> = {}) =>
  plannerContext({ records: [CLAIRE], users: [ALICE_OWNER], ...over });

function write(plan: Plan, ref: string): PlannedWrite {
  const found = plan.writes.find((w) => w.ref === ref);
  if (!found) throw new Error(`no "${ref}" write in ${JSON.stringify(plan.writes.map((w) => w.ref))}`);
  return found;
}

const activity = (plan: Plan) => write(plan, 'activity');
const details = (plan: Plan, rule: string) => plan.trace.filter((s) => s.rule === rule).map((s) => s.detail);

/** What the backend records after executing a plan: every ref with its id and fields (GEN-IDEM-1). */
function existingAfter(plan: Plan, before: ExistingWrites = {}): ExistingWrites {
  const existing: ExistingWrites = { ...before };
  for (const w of plan.writes)
    existing[w.ref] = { id: w.id ?? `${w.ref}-id`, target: w.target, fields: w.fields, basis: w.basis };
  return existing;
}

describe('HS-OUT-1: a call engagement per call, associated with the contact', () => {
  it('HS-OUT-1: an answered inbound call becomes a completed call engagement on the matched contact', () => {
    const plan = planCall(settings(), callState({ comments: [] }), ctxWith());
    expect(plan.outcome).toBe('write');
    expect(plan.recordId).toBe('501');
    expect(plan.unmatched).toBe(false);
    expect(plan.writes.map((w) => `${w.op} ${w.target}`)).toEqual(['create hubspot.calls']);
    const call = activity(plan);
    expect(call.fields).toEqual({
      hs_timestamp: new Date(T0 * 1000).toISOString(),
      hs_call_title: 'Inbound call from Claire Dupont on Support FR',
      hs_call_body:
        '<p>Recording: <a href="https://assets.aircall.io/calls/1001/recording">https://assets.aircall.io/calls/1001/recording</a></p>',
      hs_call_direction: 'INBOUND',
      hs_call_status: 'COMPLETED',
      hs_call_duration: '95000',
      hs_call_source: 'INTEGRATIONS_PLATFORM',
      hs_call_from_number: CALLER_E164,
      hs_call_to_number: '+33176360695',
      hs_call_disposition: OUTCOME.Connected,
      hs_call_recording_url: 'https://recordings.aircall.io/1001.mp3',
      hubspot_owner_id: '77',
      hs_call_callee_object_id: '501',
      hs_call_callee_object_type: 'CONTACT',
    });
    expect(call.links).toEqual([{ id: '501', object: 'contacts', as: 'HUBSPOT_DEFINED:194' }]);
  });

  it('HS-OUT-1: nothing is logged before call.ended (the plan waits)', () => {
    const call = callState({ events: ['call.answered', 'call.created', 'call.hungup'] });
    const plan = planCall(settings(), call, ctxWith());
    expect(plan.outcome).toBe('wait');
    expect(plan.writes).toEqual([]);
    expect(details(plan, 'HS-OUT-1')[0]).toContain('logged once Aircall sends call.ended');
  });

  const cases: [string, CallState, string | undefined][] = [
    ['outbound answered', outboundCall(), OUTCOME.Connected],
    ['outbound unanswered', outboundCall({}, false), OUTCOME['No answer']],
    ['outbound busy', outboundCall({ hangupCause: 'USER_BUSY' }, false), OUTCOME.Busy],
    [
      'outbound wrong number',
      outboundCall({ hangupCause: 'unallocated_number' }, false),
      OUTCOME['Wrong number'],
    ],
    ['inbound answered', callState(), OUTCOME.Connected],
    ['missed, no voicemail', missedCall(), OUTCOME['No answer']],
    ['missed, voicemail', missedCall({}, true), OUTCOME['Left voicemail']],
  ];
  for (const [name, call, outcome] of cases) {
    it(`HS-OUT-1: ${name} gets its default outcome`, () => {
      expect(activity(planCall(settings(), call, ctxWith())).fields.hs_call_disposition).toBe(outcome);
    });
  }

  it('HS-OUT-1: the admin choice per type applies; "None" sets no outcome', () => {
    const s = settings({ outcomes: { outbound_busy: 'No answer', missed_voicemail: 'None' } });
    const busy = planCall(s, outboundCall({ hangupCause: 'busy' }, false), ctxWith());
    expect(activity(busy).fields.hs_call_disposition).toBe(OUTCOME['No answer']);
    const voicemail = planCall(s, missedCall({}, true), ctxWith());
    expect(activity(voicemail).fields).not.toHaveProperty('hs_call_disposition');
    expect(details(voicemail, 'HS-OUT-1')).toContain(
      'Outcome for missed calls with voicemail: "None", so no outcome is set.',
    );
  });

  it('HS-OUT-1: several contacts hold the number: the most recently updated is used, and the trace says so', () => {
    const older = crmRecord({ id: '400', name: 'Old Claire', updatedAt: '2025-01-01T00:00:00.000Z' });
    const newer = crmRecord({ id: '600', name: 'New Claire', updatedAt: '2026-09-20T00:00:00.000Z' });
    const company = crmRecord({
      id: 'c1',
      kind: 'company',
      name: 'ACME',
      updatedAt: '2026-09-21T00:00:00.000Z',
    });
    const plan = planCall(settings(), callState(), ctxWith({ records: [older, company, newer] }));
    expect(plan.recordId).toBe('600');
    expect(activity(plan).links).toEqual([{ id: '600', object: 'contacts', as: 'HUBSPOT_DEFINED:194' }]);
    expect(details(plan, 'HS-OUT-1')).toContain(
      '2 HubSpot contacts hold +33612345678; the call is logged on the most recently updated, 600 (New Claire, updated 2026-09-20T00:00:00.000Z), not on 400.',
    );
  });

  it('HS-OUT-1: a number held only by a company logs the call on the company', () => {
    const company = crmRecord({ id: 'c1', kind: 'company', name: 'ACME' });
    const plan = planCall(settings(), callState(), ctxWith({ records: [company] }));
    expect(activity(plan).links).toEqual([{ id: 'c1', object: 'companies', as: 'HUBSPOT_DEFINED:182' }]);
    expect(activity(plan).fields.hs_call_callee_object_type).toBe('COMPANY');
  });
});

describe('HS-OUT-2: answered, unanswered, busy and wrong number outbound calls', () => {
  it('HS-OUT-2: an outbound call picked up by a voicemail or automated message counts as answered', () => {
    const plan = planCall(settings(), outboundCall({ hangupCause: 'NORMAL_CLEARING' }), ctxWith());
    expect(activity(plan).fields.hs_call_disposition).toBe(OUTCOME.Connected);
    expect(details(plan, 'HS-OUT-2')[0]).toContain('an automated message or a voicemail counts as answered');
  });

  it('HS-OUT-2: an unanswered outbound call with any other hangup cause is plain unanswered', () => {
    const plan = planCall(settings(), outboundCall({ hangupCause: 'ORIGINATOR_CANCEL' }, false), ctxWith());
    expect(activity(plan).fields.hs_call_disposition).toBe(OUTCOME['No answer']);
    expect(activity(plan).fields.hs_call_duration).toBe('0');
    expect(details(plan, 'HS-OUT-2')[0]).toBe(
      'Outbound call not answered, with hangup_cause "ORIGINATOR_CANCEL", which means neither busy nor wrong number: unanswered.',
    );
  });

  it('HS-OUT-2: a wrong-number hangup cause is explained in the trace', () => {
    const plan = planCall(
      settings(),
      outboundCall({ hangupCause: 'INVALID_NUMBER_FORMAT' }, false),
      ctxWith(),
    );
    expect(activity(plan).fields.hs_call_title).toBe(
      'Outbound unanswered call to Claire Dupont with Support FR (wrong number)',
    );
    expect(details(plan, 'HS-OUT-2')[0]).toContain('the number is invalid or does not exist');
  });
});

describe('HS-OUT-3 / HS-OUT-4: tag-to-outcome mapping and the agent pick', () => {
  const PORTAL_OUTCOMES = [
    ...Object.entries(OUTCOME).map(([label, id]) => ({ id, label })),
    { id: 'custom-demo', label: 'Demo booked' },
    { id: 'custom-callback', label: 'Call back later' },
  ];
  const mapped = settings({
    tagOutcomes: [
      { tagId: 7, tagName: 'Demo', outcomeId: 'custom-demo' },
      { tagId: 8, tagName: 'Callback', outcomeId: 'custom-callback' },
      { tagId: 9, tagName: 'Gone', outcomeId: 'deleted-outcome' },
    ],
  });
  const tag = (id: number, name: string) => ({ id, name, addedByUserId: ALICE.id });
  const facts = { outcomes: PORTAL_OUTCOMES };

  it('HS-OUT-3: one mapped tag gives the call its (custom) outcome', () => {
    const plan = planCall(
      mapped,
      callState({ tags: [tag(7, 'Demo'), tag(1, 'VIP')] }),
      ctxWith({ crmFacts: facts }),
    );
    expect(activity(plan).fields.hs_call_disposition).toBe('custom-demo');
    expect(details(plan, 'HS-OUT-3')).toContain('Tag "Demo" is mapped to the outcome "Demo booked".');
  });

  it('HS-OUT-3: several mapped tags: the per-type default applies', () => {
    const call = callState({ tags: [tag(7, 'Demo'), tag(8, 'Callback')] });
    const plan = planCall(mapped, call, ctxWith({ crmFacts: facts }));
    expect(activity(plan).fields.hs_call_disposition).toBe(OUTCOME.Connected);
    expect(details(plan, 'HS-OUT-3')[0]).toContain(
      'a call has one outcome, so the setting for inbound answered calls applies',
    );
  });

  it('HS-OUT-3: a tag mapped to an outcome the portal no longer has is ignored', () => {
    const plan = planCall(mapped, callState({ tags: [tag(9, 'Gone')] }), ctxWith({ crmFacts: facts }));
    expect(activity(plan).fields.hs_call_disposition).toBe(OUTCOME.Connected);
    expect(details(plan, 'HS-OUT-3')[0]).toContain('which the portal no longer has');
  });

  it('HS-OUT-3: a mapping change does not alter the outcome of a call already logged', () => {
    const call = callState({ tags: [tag(7, 'Demo')] });
    const first = planCall(mapped, call, ctxWith({ crmFacts: facts }));
    expect(activity(first).fields.hs_call_disposition).toBe('custom-demo');
    const remapped = settings({ tagOutcomes: [{ tagId: 7, outcomeId: 'custom-callback' }] });
    const again = planCall(remapped, call, ctxWith({ crmFacts: facts, existing: existingAfter(first) }));
    expect(activity(again).op).toBe('update');
    expect(activity(again).fields.hs_call_disposition).toBe('custom-demo');
    expect(details(again, 'HS-OUT-3')[0]).toContain('logged with the outcome "Demo booked"; it stays');
  });

  it('HS-OUT-3: a mapped tag added after the call was logged sets its outcome', () => {
    const first = planCall(mapped, callState({ tags: [] }), ctxWith({ crmFacts: facts }));
    expect(activity(first).fields.hs_call_disposition).toBe(OUTCOME.Connected);
    const tagged = callState({
      tags: [tag(7, 'Demo')],
      events: [...callState().events, 'call.tagged'].sort(),
    });
    const again = planCall(mapped, tagged, ctxWith({ crmFacts: facts, existing: existingAfter(first) }));
    expect(activity(again).op).toBe('update');
    expect(activity(again).fields.hs_call_disposition).toBe('custom-demo');
    expect(details(again, 'HS-OUT-3')[0]).toContain('tags changed since it was logged');
  });

  it('HS-OUT-4: an outcome an agent picked (custom included) wins over the tags', () => {
    const call = callState({ tags: [tag(7, 'Demo')] });
    const plan = planCall(
      mapped,
      call,
      ctxWith({ crmFacts: { ...facts, agentOutcomeId: 'custom-callback' } }),
    );
    expect(activity(plan).fields.hs_call_disposition).toBe('custom-callback');
    expect(details(plan, 'HS-OUT-4')[0]).toContain('An agent picked the outcome "Call back later"');
  });

  it('HS-OUT-4: the agent pick is applied to a call already logged', () => {
    const first = planCall(settings(), callState(), ctxWith({ crmFacts: facts }));
    const picked = planCall(
      settings(),
      callState(),
      ctxWith({ crmFacts: { ...facts, agentOutcomeId: 'custom-demo' }, existing: existingAfter(first) }),
    );
    expect(activity(picked)).toMatchObject({ op: 'update', id: 'activity-id' });
    expect(activity(picked).fields.hs_call_disposition).toBe('custom-demo');
    expect(details(picked, 'HS-OUT-4')[0]).toContain('applied to the call already logged');
  });

  it('HS-OUT-4: a pick that is not one of the portal outcomes is ignored', () => {
    const plan = planCall(
      settings(),
      callState(),
      ctxWith({ crmFacts: { ...facts, agentOutcomeId: 'nope' } }),
    );
    expect(activity(plan).fields.hs_call_disposition).toBe(OUTCOME.Connected);
    expect(plan.trace.find((s) => s.rule === 'HS-OUT-4')?.outcome).toBe('skipped');
  });
});

describe('HS-TIX-1 / HS-TIX-2: tickets', () => {
  const tickets = (types: Record<string, { action: 'create' | 'update' | 'none'; stageId?: string }>) =>
    settings({ tickets: { pipelineId: '0', types } });
  const ticket = (over: Partial<HubspotTicket>): HubspotTicket => ({
    id: 't1',
    pipelineId: '0',
    stageId: '1',
    updatedAt: '2026-09-01T00:00:00.000Z',
    ...over,
  });

  it('HS-TIX-1: "create" creates a ticket in the stage, associated with the call and the contact', () => {
    const s = tickets({ missed_voicemail: { action: 'create', stageId: '1' } });
    const plan = planCall(s, missedCall({}, true), ctxWith({ crmFacts: { ticketPipelines: PIPELINES } }));
    expect(plan.writes.map((w) => w.ref)).toEqual(['activity', 'ticket']);
    const t = write(plan, 'ticket');
    expect(t).toMatchObject({ op: 'create', target: 'hubspot.tickets' });
    expect(t.fields).toMatchObject({
      subject: 'Voicemail from Claire Dupont on Support FR',
      hs_pipeline: '0',
      hs_pipeline_stage: '1',
    });
    expect(t.links).toEqual([
      { ref: 'activity', as: 'HUBSPOT_DEFINED:219' },
      { id: '501', object: 'contacts', as: 'HUBSPOT_DEFINED:16' },
    ]);
  });

  it('HS-TIX-1: "do nothing" creates no ticket', () => {
    const s = tickets({ missed_voicemail: { action: 'create', stageId: '1' } });
    const plan = planCall(s, callState(), ctxWith());
    expect(plan.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(details(plan, 'HS-TIX-1')).toEqual([
      'Tickets for inbound answered calls are set to "do nothing".',
    ]);
  });

  it('HS-TIX-1: "update" moves the contact\'s most recently modified open ticket of the pipeline to the stage', () => {
    const claire = crmRecord({
      ...CLAIRE,
      extra: {
        tickets: [
          ticket({ id: 'old-open', updatedAt: '2026-08-01T00:00:00.000Z' }),
          ticket({ id: 'recent-open', stageId: '3', updatedAt: '2026-09-10T00:00:00.000Z' }),
          ticket({ id: 'closed-by-stage', stageId: '4', updatedAt: '2026-09-20T00:00:00.000Z' }),
          ticket({ id: 'closed-flag', updatedAt: '2026-09-19T00:00:00.000Z', closed: true }),
          ticket({
            id: 'other-pipeline',
            pipelineId: '8',
            stageId: '81',
            updatedAt: '2026-09-21T00:00:00.000Z',
          }),
        ],
      },
    });
    const s = tickets({ inbound_answered: { action: 'update', stageId: '1' } });
    const plan = planCall(
      s,
      callState(),
      ctxWith({ records: [claire], crmFacts: { ticketPipelines: PIPELINES } }),
    );
    expect(write(plan, 'ticket')).toEqual({
      ref: 'ticket',
      op: 'update',
      target: 'hubspot.tickets',
      id: 'recent-open',
      fields: { hs_pipeline_stage: '1' },
      links: [
        { ref: 'activity', as: 'HUBSPOT_DEFINED:219' },
        { id: '501', object: 'contacts', as: 'HUBSPOT_DEFINED:16' },
      ],
      rules: ['HS-TIX-1'],
    });
    expect(details(plan, 'HS-TIX-1')[0]).toContain(
      'Ticket recent-open, the most recently modified open ticket',
    );
  });

  it('HS-TIX-1: "update" with no open ticket in the pipeline creates one', () => {
    const claire = crmRecord({ ...CLAIRE, extra: { tickets: [ticket({ id: 'closed', stageId: '4' })] } });
    const s = tickets({ inbound_answered: { action: 'update', stageId: '3' } });
    const plan = planCall(
      s,
      callState(),
      ctxWith({ records: [claire], crmFacts: { ticketPipelines: PIPELINES } }),
    );
    expect(write(plan, 'ticket')).toMatchObject({
      op: 'create',
      fields: { hs_pipeline: '0', hs_pipeline_stage: '3' },
    });
    expect(details(plan, 'HS-TIX-1')[0]).toContain(
      'contact 501 has no open ticket in pipeline 0: a ticket is created in stage 3',
    );
  });

  it('HS-TIX-1: SMS have their own ticket types; the ticket is associated with the communication', () => {
    const s = tickets({ sms_inbound: { action: 'create', stageId: '1' } });
    const plan = planMessage(s, messageState(), ctxWith());
    expect(write(plan, 'ticket').links).toEqual([
      { ref: 'activity', as: 'HUBSPOT_DEFINED:84' },
      { id: '501', object: 'contacts', as: 'HUBSPOT_DEFINED:16' },
    ]);
    expect(write(plan, 'ticket').fields).toMatchObject({ subject: 'SMS from Claire Dupont on Support FR' });
  });

  it('HS-TIX-2: a pipeline deleted in HubSpot makes the type do nothing, and the trace says so', () => {
    const s = tickets({ inbound_answered: { action: 'create', stageId: '1' } });
    const plan = planCall(s, callState(), ctxWith({ crmFacts: { ticketPipelines: [PIPELINES[1]] } }));
    expect(plan.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(details(plan, 'HS-TIX-2')).toEqual([
      'Ticket pipeline 0 no longer exists in HubSpot, so tickets for inbound answered calls do nothing; the dashboard asks for another pipeline.',
    ]);
  });

  it('HS-TIX-2: a stage deleted in HubSpot makes the type do nothing', () => {
    const s = tickets({ inbound_answered: { action: 'update', stageId: '2' } });
    const plan = planCall(s, callState(), ctxWith({ crmFacts: { ticketPipelines: PIPELINES } }));
    expect(plan.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(details(plan, 'HS-TIX-2')[0]).toContain('Stage 2 no longer exists in ticket pipeline "Support"');
  });

  it('GEN-REQ-1: a ticket HubSpot refuses to create is left out, naming the field; the call is still logged', () => {
    const s = tickets({ inbound_answered: { action: 'create', stageId: '1' } });
    const ctx = ctxWith({ blockedCreates: [{ target: 'hubspot.tickets', field: 'region' }] });
    const plan = planCall(s, callState(), ctx);
    expect(plan.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(details(plan, 'GEN-REQ-1')[0]).toContain('required property "region"');
  });
});

describe('HS-GEN-1..5: general settings', () => {
  const outside = { withinBusinessHours: false };

  it('HS-GEN-1: "always" (default) logs calls outside business hours too', () => {
    const plan = planCall(settings(), callState(), ctxWith(outside));
    expect(plan.outcome).toBe('write');
    expect(details(plan, 'HS-GEN-1')).toEqual(['Calls are logged at any hour (setting "always").']);
  });

  it('HS-GEN-1: "only during business hours" does not log a call outside them', () => {
    const plan = planCall(settings({ onlyBusinessHours: true }), callState(), ctxWith(outside));
    expect(plan.outcome).toBe('nothing');
    expect(plan.trace.find((s) => s.rule === 'HS-GEN-1')).toEqual({
      rule: 'HS-GEN-1',
      outcome: 'stopped',
      detail:
        "The call was outside the business hours of Support FR (from the number's business hours), and this integration logs only within business hours.",
    });
  });

  it('HS-GEN-1: a missed call out_of_opening_hours is outside business hours when the schedule is not known', () => {
    const call = missedCall({ missedCallReason: 'out_of_opening_hours' });
    expect(planCall(settings({ onlyBusinessHours: true }), call, ctxWith()).outcome).toBe('nothing');
    expect(planCall(settings({ onlyBusinessHours: true }), callState(), ctxWith()).outcome).toBe('write');
  });

  it('HS-GEN-1: SMS follow the same business-hours setting', () => {
    const s = settings({ onlyBusinessHours: true });
    expect(planMessage(s, messageState(), ctxWith(outside)).outcome).toBe('nothing');
    expect(planMessage(s, messageState(), ctxWith({ withinBusinessHours: true })).outcome).toBe('write');
  });

  it('HS-GEN-2: an unknown number gets a new contact, and the call is associated with it', () => {
    const plan = planCall(settings(), callState(), ctxWith({ records: [] }));
    expect(plan.writes.map((w) => `${w.op} ${w.target} ${w.ref}`)).toEqual([
      'create hubspot.contacts record',
      'create hubspot.calls activity',
    ]);
    expect(write(plan, 'record').fields).toEqual({ phone: CALLER_E164, hubspot_owner_id: '77' });
    expect(activity(plan).links).toEqual([{ ref: 'record', as: 'HUBSPOT_DEFINED:194' }]);
    expect(activity(plan).fields).not.toHaveProperty('hs_call_callee_object_id');
    expect(activity(plan).fields.hs_call_title).toBe('Inbound call from +33612345678 on Support FR');
    expect(plan.unmatched).toBe(false);
  });

  it('HS-GEN-2: with contact creation off, the call is logged without a contact and goes to the unmatched inbox', () => {
    const plan = planCall(settings({ createContacts: false }), callState(), ctxWith({ records: [] }));
    expect(plan.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(activity(plan).links).toEqual([]);
    expect(plan.unmatched).toBe(true);
    expect(plan.recordId).toBeNull();
    expect(details(plan, 'HS-GEN-2')[0]).toContain('contact creation is off');
    expect(details(plan, 'EXT-LINK-1')[0]).toContain('unmatched inbox');
  });

  it('HS-GEN-2: a withheld number cannot get a contact; the call is logged unmatched', () => {
    const plan = planCall(settings(), callState({ rawDigits: 'anonymous' }), ctxWith());
    expect(plan.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(plan.unmatched).toBe(true);
  });

  it('GEN-REQ-1: HubSpot refuses the new contact (required property): the call is logged unmatched, naming the field', () => {
    const ctx = ctxWith({
      records: [],
      blockedCreates: [{ target: 'hubspot.contacts', field: 'customer_tier' }],
    });
    const plan = planCall(settings(), callState(), ctx);
    expect(plan.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(plan.unmatched).toBe(true);
    expect(details(plan, 'GEN-REQ-1')[0]).toContain('required property "customer_tier"');
  });

  it('GEN-REQ-1: HubSpot refuses the call engagement itself: nothing is logged and the trace names the field', () => {
    const ctx = ctxWith({ blockedCreates: [{ target: 'hubspot.calls', field: 'call_reason' }] });
    const plan = planCall(settings(), callState(), ctx);
    expect(plan.outcome).toBe('nothing');
    expect(plan.trace.find((s) => s.rule === 'GEN-REQ-1')?.outcome).toBe('stopped');
  });

  it('HS-GEN-3: a called number on a HubSpot contact creates the Aircall contact with its details', () => {
    const claire = crmRecord({
      ...CLAIRE,
      phones: [
        { field: 'phone', value: CALLER_E164 },
        { field: 'mobilephone', value: '06 98 76 54 32' },
      ],
      extra: { firstName: 'Claire', lastName: 'Dupont', email: 'claire@acme.fr', company: 'ACME' },
    });
    const plan = planCall(
      settings({ syncContactsToAircall: true }),
      callState(),
      ctxWith({ records: [claire] }),
    );
    expect(write(plan, 'aircall_contact')).toEqual({
      ref: 'aircall_contact',
      op: 'create',
      target: 'aircall.contact',
      fields: {
        first_name: 'Claire',
        last_name: 'Dupont',
        company_name: 'ACME',
        emails: [{ label: 'Work', value: 'claire@acme.fr' }],
        phone_numbers: [
          { label: 'Work', value: CALLER_E164 },
          { label: 'Mobile', value: '+33698765432' },
        ],
        information: 'HubSpot contact 501',
      },
      links: [],
      rules: ['HS-GEN-3'],
    });
  });

  it('HS-GEN-3: an Aircall contact that already holds the number is updated, not duplicated', () => {
    const plan = planCall(
      settings({ syncContactsToAircall: true }),
      callState(),
      ctxWith({ aircallContact: { id: 321 } }),
    );
    expect(write(plan, 'aircall_contact')).toMatchObject({ op: 'update', id: '321' });
  });

  it('HS-GEN-3: nothing is synced for a number not in HubSpot, or when the setting is off', () => {
    const created = planCall(
      settings({ syncContactsToAircall: true }),
      callState(),
      ctxWith({ records: [] }),
    );
    expect(created.writes.map((w) => w.ref)).toEqual(['record', 'activity']);
    expect(details(created, 'HS-GEN-3')[0]).toContain('was not on a HubSpot contact before this call');
    const off = planCall(settings(), callState(), ctxWith());
    expect(off.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(details(off, 'HS-GEN-3')).toEqual(['Contact sync to Aircall is off.']);
  });

  it('GEN-EMAIL-1: the call is owned by the HubSpot owner with the agent email, whatever its case', () => {
    const plan = planCall(settings({ defaultOwnerId: '999' }), callState(), ctxWith());
    expect(activity(plan).fields.hubspot_owner_id).toBe('77');
    expect(details(plan, 'GEN-EMAIL-1')[0]).toContain('is HubSpot owner 77');
  });

  it('HS-GEN-4: with no owner found, the default owner owns the call and the new contact', () => {
    const plan = planCall(settings({ defaultOwnerId: '999' }), missedCall(), ctxWith({ records: [] }));
    expect(write(plan, 'record').fields.hubspot_owner_id).toBe('999');
    expect(activity(plan).fields.hubspot_owner_id).toBe('999');
    expect(details(plan, 'HS-GEN-4')[0]).toBe('No owner found: the default owner 999 is used.');
  });

  it('HS-GEN-4: with no owner found and "Nobody", no owner is set', () => {
    const plan = planCall(settings(), callState(), ctxWith({ users: [] }));
    expect(activity(plan).fields).not.toHaveProperty('hubspot_owner_id');
    expect(details(plan, 'HS-GEN-4')[0]).toContain('"Nobody"');
  });

  it('HS-GEN-5: the trace names the integration', () => {
    const plan = planCall(settings({ name: 'HubSpot France' }), callState(), ctxWith());
    expect(details(plan, 'HS-GEN-5')).toEqual(['HubSpot integration "HubSpot France".']);
  });
});

describe('HS-SMS-1: SMS as HubSpot communications', () => {
  it('HS-SMS-1: an inbound SMS becomes an SMS communication on the contact', () => {
    const plan = planMessage(settings(), messageState(), ctxWith());
    expect(plan.outcome).toBe('write');
    expect(plan.writes.map((w) => `${w.op} ${w.target}`)).toEqual(['create hubspot.communications']);
    expect(activity(plan).fields).toEqual({
      hs_communication_channel_type: 'SMS',
      hs_communication_logged_from: 'CRM',
      hs_communication_body:
        '<p><strong>SMS received from Claire Dupont on Support FR</strong></p><p>Hello, can you call me back?</p>',
      hs_timestamp: new Date(T0 * 1000).toISOString(),
      hubspot_owner_id: '77',
    });
    expect(activity(plan).links).toEqual([{ id: '501', object: 'contacts', as: 'HUBSPOT_DEFINED:81' }]);
  });

  it('HS-SMS-1: an SMS on a number that is not connected is not logged', () => {
    const plan = planMessage(settings({ connectedNumbers: [2] }), messageState(), ctxWith());
    expect(plan.outcome).toBe('nothing');
    expect(plan.trace.find((s) => s.outcome === 'stopped')?.rule).toBe('GEN-NUM-1');
  });

  it('HS-SMS-1: an outbound SMS to an unknown number creates the contact (HS-GEN-2) and is not synced to Aircall', () => {
    const plan = planMessage(
      settings({ syncContactsToAircall: true }),
      messageState({ direction: 'outbound', events: ['message.sent'] }),
      ctxWith({ records: [] }),
    );
    expect(plan.writes.map((w) => w.ref)).toEqual(['record', 'activity']);
    expect(activity(plan).links).toEqual([{ ref: 'record', as: 'HUBSPOT_DEFINED:81' }]);
    expect(String(activity(plan).fields.hs_communication_body)).toContain(
      'SMS sent by Alice Martin via Support FR to +33612345678',
    );
  });
});

describe('GEN-IDEM-1 / EXT-LINK-1 for HubSpot', () => {
  it('GEN-IDEM-1: planning again with what the first plan wrote gives only updates of those ids', () => {
    const s = settings({
      syncContactsToAircall: true,
      tickets: { pipelineId: '0', types: { inbound_answered: { action: 'create', stageId: '1' } } },
    });
    const ctx = ctxWith({ crmFacts: { ticketPipelines: PIPELINES } });
    const first = planCall(s, callState(), ctx);
    expect(first.writes.map((w) => `${w.op} ${w.ref}`)).toEqual([
      'create activity',
      'create ticket',
      'create aircall_contact',
    ]);
    const tagged = callState({ tags: [{ id: 1, name: 'VIP', addedByUserId: ALICE.id }] });
    const second = planCall(s, tagged, { ...ctx, existing: existingAfter(first) });
    expect(second.writes.map((w) => `${w.op} ${w.ref} ${w.id}`)).toEqual([
      'update activity activity-id',
      'update ticket ticket-id',
      'update aircall_contact aircall_contact-id',
    ]);
    expect(activity(second).fields.hs_call_body).toContain('VIP');
    expect(planCall(s, tagged, { ...ctx, existing: existingAfter(first) })).toEqual(second);
  });

  it('GEN-IDEM-1: a contact created for the call is not created twice, even before HubSpot search finds it', () => {
    const s = settings({
      tickets: { pipelineId: '0', types: { missed_voicemail: { action: 'create', stageId: '1' } } },
    });
    const first = planCall(s, missedCall({}, true), ctxWith({ records: [] }));
    expect(first.writes.map((w) => `${w.op} ${w.ref}`)).toEqual([
      'create record',
      'create activity',
      'create ticket',
    ]);
    const second = planCall(
      s,
      missedCall({}, true),
      ctxWith({ records: [], existing: existingAfter(first) }),
    );
    expect(second.writes.map((w) => `${w.op} ${w.ref}`)).toEqual(['update activity', 'update ticket']);
    expect(activity(second).links).toEqual([
      { id: 'record-id', object: 'contacts', as: 'HUBSPOT_DEFINED:194' },
    ]);
    expect(second.recordId).toBe('record-id');
  });

  it('GEN-IDEM-1: a later event does not move the contact the call was logged on', () => {
    const first = planCall(settings(), callState(), ctxWith());
    const newer = crmRecord({ id: '700', name: 'Claire (dup)', updatedAt: '2026-09-21T15:00:00.000Z' });
    const second = planCall(
      settings(),
      callState(),
      ctxWith({ records: [CLAIRE, newer], existing: existingAfter(first) }),
    );
    expect(second.recordId).toBe('501');
  });

  it('EXT-LINK-1: a call an agent linked to a record is logged there, as if it had matched', () => {
    const first = planCall(settings({ createContacts: false }), callState(), ctxWith({ records: [] }));
    expect(first.unmatched).toBe(true);
    const linked = planCall(
      settings({ createContacts: false }),
      callState(),
      ctxWith({ records: [], linkedRecord: CLAIRE, existing: existingAfter(first) }),
    );
    expect(linked.unmatched).toBe(false);
    expect(linked.recordId).toBe('501');
    expect(activity(linked)).toMatchObject({
      op: 'update',
      id: 'activity-id',
      links: [{ id: '501', object: 'contacts', as: 'HUBSPOT_DEFINED:194' }],
    });
  });
});
