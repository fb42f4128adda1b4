import { describe, expect, it } from 'vitest';
import { ACTIVITY_TYPES } from '../../logging/classify.ts';
import { settingsIssues } from '../../logging/settings.ts';
import { integrationSettingsSchema } from '../../logging/settings-union.ts';
import type { HubspotTicketPipeline } from './facts.ts';
import {
  HUBSPOT_ALLOWED_OUTCOMES,
  HUBSPOT_OUTCOME_KINDS,
  type HubspotSettingsInput,
  hubspotSettingsSchema,
  reconcileTicketSettings,
} from './settings.ts';

const parse = (over: Partial<HubspotSettingsInput> = {}) =>
  hubspotSettingsSchema.parse({ crm: 'hubspot', connectedNumbers: [1], ...over });

const issuesOf = (input: Record<string, unknown>) => {
  const result = hubspotSettingsSchema.safeParse({ crm: 'hubspot', ...input });
  if (result.success) throw new Error('expected the settings to be refused');
  return settingsIssues(result.error);
};

const ALL_LABELS = ['Connected', 'No answer', 'Busy', 'Wrong number', 'Left voicemail', 'None'];

describe('HubSpot outcomes (HS-OUT-1)', () => {
  it('HS-OUT-1: defaults give each call type the outcome that describes it', () => {
    expect(parse().outcomes).toEqual({
      outbound_answered: 'Connected',
      outbound_unanswered: 'No answer',
      outbound_busy: 'Busy',
      outbound_wrong_number: 'Wrong number',
      inbound_answered: 'Connected',
      missed_no_voicemail: 'No answer',
      missed_voicemail: 'Left voicemail',
    });
  });

  it('HS-OUT-1: "Busy" for inbound answered calls is refused, naming the field and the allowed values', () => {
    const [issue, ...rest] = issuesOf({ outcomes: { inbound_answered: 'Busy' } });
    expect(rest).toEqual([]);
    expect(issue?.field).toBe('outcomes.inbound_answered');
    expect(issue?.allowed).toEqual(['Connected', 'None']);
    expect(issue?.message).toContain('"Busy" is not allowed for inbound answered calls');
    expect(issue?.message).toContain('allowed: Connected, None (HS-OUT-1)');
  });

  it('HS-OUT-1: each call type accepts exactly the outcomes of the article', () => {
    for (const kind of HUBSPOT_OUTCOME_KINDS) {
      const allowed: readonly string[] = HUBSPOT_ALLOWED_OUTCOMES[kind];
      for (const label of ALL_LABELS) {
        const result = hubspotSettingsSchema.safeParse({ crm: 'hubspot', outcomes: { [kind]: label } });
        expect(result.success, `${kind} = ${label}`).toBe(allowed.includes(label));
      }
    }
  });

  it('HS-OUT-1: the admin choices are kept, the other kinds keep their defaults', () => {
    const s = parse({ outcomes: { outbound_busy: 'No answer', missed_voicemail: 'None' } });
    expect(s.outcomes.outbound_busy).toBe('No answer');
    expect(s.outcomes.missed_voicemail).toBe('None');
    expect(s.outcomes.inbound_answered).toBe('Connected');
  });
});

describe('HubSpot tag-to-outcome mapping (HS-OUT-3)', () => {
  it('HS-OUT-3: maps Aircall tags to any outcome id of the portal, custom ones included', () => {
    const s = parse({ tagOutcomes: [{ tagId: 7, tagName: 'Demo booked', outcomeId: 'custom-demo' }] });
    expect(s.tagOutcomes).toEqual([{ tagId: 7, tagName: 'Demo booked', outcomeId: 'custom-demo' }]);
  });

  it('HS-OUT-3: a tag mapped twice is refused', () => {
    const issues = issuesOf({
      tagOutcomes: [
        { tagId: 7, tagName: 'Demo', outcomeId: 'a' },
        { tagId: 7, tagName: 'Demo', outcomeId: 'b' },
      ],
    });
    expect(issues.map((i) => i.field)).toEqual(['tagOutcomes.1.tagId']);
    expect(issues[0]?.message).toContain('tag Demo is mapped twice');
  });

  it('HS-OUT-3: a mapping without outcome is refused', () => {
    expect(issuesOf({ tagOutcomes: [{ tagId: 7, outcomeId: ' ' }] })[0]?.field).toBe(
      'tagOutcomes.0.outcomeId',
    );
  });
});

describe('HubSpot tickets (HS-TIX-1)', () => {
  it('HS-TIX-1: by default no pipeline and every one of the seven types does nothing', () => {
    const { tickets } = parse();
    expect(tickets.pipelineId).toBeNull();
    expect(Object.keys(tickets.types).sort()).toEqual([...ACTIVITY_TYPES].sort());
    for (const type of ACTIVITY_TYPES) expect(tickets.types[type]).toEqual({ action: 'none', stageId: null });
  });

  it('HS-TIX-1: create and update take a stage of the chosen pipeline', () => {
    const s = parse({
      tickets: {
        pipelineId: '0',
        types: {
          missed_voicemail: { action: 'create', stageId: '1' },
          sms_inbound: { action: 'update', stageId: '3' },
        },
      },
    });
    expect(s.tickets.types.missed_voicemail).toEqual({ action: 'create', stageId: '1' });
    expect(s.tickets.types.sms_inbound).toEqual({ action: 'update', stageId: '3' });
    expect(s.tickets.types.inbound_answered.action).toBe('none');
  });

  it('HS-TIX-1: create without a stage is refused', () => {
    const issues = issuesOf({
      tickets: { pipelineId: '0', types: { outbound_answered: { action: 'create' } } },
    });
    expect(issues.map((i) => i.field)).toEqual(['tickets.types.outbound_answered.stageId']);
    expect(issues[0]?.message).toContain('needs a stage of the ticket pipeline');
  });

  it('HS-TIX-1: a stage without a pipeline is refused with a clear message', () => {
    const issues = issuesOf({ tickets: { types: { sms_outbound: { action: 'update', stageId: '2' } } } });
    expect(issues.map((i) => i.field)).toEqual(['tickets.types.sms_outbound.stageId']);
    expect(issues[0]?.message).toContain(
      'stage "2" is set for outbound SMS but no ticket pipeline is chosen',
    );
  });

  it('HS-TIX-1: an unknown action is refused, naming the allowed ones', () => {
    const [issue] = issuesOf({
      tickets: { pipelineId: '0', types: { inbound_answered: { action: 'close' } } },
    });
    expect(issue?.field).toBe('tickets.types.inbound_answered.action');
    expect(issue?.allowed).toEqual(['create', 'update', 'none']);
  });
});

describe('HubSpot deleted pipelines and stages (HS-TIX-2)', () => {
  const pipelines: HubspotTicketPipeline[] = [
    {
      id: '0',
      label: 'Support',
      archived: false,
      stages: [
        { id: '1', label: 'New', archived: false },
        { id: '2', label: 'Waiting on contact', archived: false },
        { id: '9', label: 'Old', archived: true },
      ],
    },
  ];
  const configured = parse({
    tickets: {
      pipelineId: '0',
      types: {
        missed_voicemail: { action: 'create', stageId: '1' },
        missed_no_voicemail: { action: 'create', stageId: '7' },
        sms_inbound: { action: 'update', stageId: '9' },
      },
    },
  });

  it('HS-TIX-2: nothing deleted leaves the settings as they are', () => {
    const ok = parse({
      tickets: { pipelineId: '0', types: { missed_voicemail: { action: 'create', stageId: '1' } } },
    });
    const result = reconcileTicketSettings(ok, pipelines);
    expect(result).toEqual({ settings: ok, warnings: [], changed: false });
    expect(result.settings).toBe(ok);
  });

  it('HS-TIX-2: every type using a deleted (or archived) stage is set to do nothing, with a warning naming it', () => {
    const result = reconcileTicketSettings(configured, pipelines);
    expect(result.changed).toBe(true);
    expect(result.settings.tickets.pipelineId).toBe('0');
    expect(result.settings.tickets.types.missed_voicemail).toEqual({ action: 'create', stageId: '1' });
    expect(result.settings.tickets.types.missed_no_voicemail).toEqual({ action: 'none', stageId: null });
    expect(result.settings.tickets.types.sms_inbound).toEqual({ action: 'none', stageId: null });
    expect(result.warnings.map((w) => [w.type, w.reason, w.stageId])).toEqual([
      ['missed_no_voicemail', 'stage_deleted', '7'],
      ['sms_inbound', 'stage_deleted', '9'],
    ]);
    expect(result.warnings[0]?.message).toBe(
      'Tickets for missed calls without voicemail were set to "create" in stage 7 of pipeline "Support", which no longer exists in HubSpot; they are now set to "do nothing".',
    );
    // The corrected settings are valid settings.
    expect(hubspotSettingsSchema.parse(result.settings)).toEqual(result.settings);
  });

  it('HS-TIX-2: a deleted pipeline sets every type that used it to do nothing and unselects it', () => {
    const result = reconcileTicketSettings(configured, [
      { ...pipelines[0], id: '5', stages: [] },
    ] as HubspotTicketPipeline[]);
    expect(result.settings.tickets.pipelineId).toBeNull();
    for (const type of ACTIVITY_TYPES) {
      expect(result.settings.tickets.types[type]).toEqual({ action: 'none', stageId: null });
    }
    expect(result.warnings.map((w) => w.type)).toEqual([
      null,
      'missed_no_voicemail',
      'missed_voicemail',
      'sms_inbound',
    ]);
    expect(result.warnings.every((w) => w.reason === 'pipeline_deleted' && w.rule === 'HS-TIX-2')).toBe(true);
    expect(result.warnings[0]?.message).toContain('Ticket pipeline 0 no longer exists in HubSpot');
    expect(hubspotSettingsSchema.parse(result.settings)).toEqual(result.settings);
  });
});

describe('HubSpot general settings (HS-GEN-1..5)', () => {
  it('HS-GEN-1: calls are logged always unless the admin picks business hours only', () => {
    expect(parse().onlyBusinessHours).toBe(false);
    expect(parse({ onlyBusinessHours: true }).onlyBusinessHours).toBe(true);
  });

  it('HS-GEN-2: contacts are created for unknown numbers by default', () => {
    expect(parse().createContacts).toBe(true);
  });

  it('HS-GEN-3: contact sync to Aircall is off by default', () => {
    expect(parse().syncContactsToAircall).toBe(false);
  });

  it('HS-GEN-4: the default owner is "Nobody" (null) or a HubSpot owner id', () => {
    expect(parse().defaultOwnerId).toBeNull();
    expect(parse({ defaultOwnerId: '12345' }).defaultOwnerId).toBe('12345');
    expect(issuesOf({ defaultOwnerId: '' })[0]?.field).toBe('defaultOwnerId');
  });

  it('HS-GEN-5: the integration has a custom name; an empty one is refused', () => {
    expect(parse({ name: '  HubSpot Sales  ' }).name).toBe('HubSpot Sales');
    expect(issuesOf({ name: '   ' })[0]?.message).toContain('name must not be empty');
  });

  it('HS-GEN-5: HubSpot settings are one branch of the stored settings union', () => {
    const s = integrationSettingsSchema.parse({ crm: 'hubspot', name: 'HubSpot EU', connectedNumbers: [1] });
    expect(s.crm).toBe('hubspot');
    expect(s).toEqual(parse({ name: 'HubSpot EU' }));
  });
});
