import { describe, expect, it } from 'vitest';
import { BOB, callState, messageState, missedCall, T0 } from '../../../test/support/build.ts';
import { classifyCall } from '../../logging/classify.ts';
import {
  defaultOutcomeLabel,
  HUBSPOT_DEFAULT_OUTCOME_IDS,
  hubspotCallBody,
  toHubspotCallProperties,
  toHubspotCommunicationProperties,
  toHubspotContactProperties,
  toHubspotTicketProperties,
} from './mapper.ts';

const input = (call = callState()) => ({
  kind: classifyCall(call),
  externalE164: '+33612345678',
  recordName: null,
  outcomeId: null,
  ownerId: null,
  callee: null,
  defaultCountry: 'FR',
});

describe('toHubspotCallProperties', () => {
  it('HS-OUT-1: the body lists voicemail, AI summary, topics, tags and notes in order, as escaped HTML', () => {
    const call = missedCall(
      {
        ai: {
          summary: 'Wants a <quote>\nby Friday',
          topics: ['pricing', 'delivery'],
          sentiment: null,
          actionItems: [],
        },
        tags: [{ id: 1, name: 'VIP & co', addedByUserId: null }],
        comments: [
          { id: 2, content: 'Second', postedAt: T0 + 60, postedBy: BOB },
          { id: 1, content: '<script>x</script>', postedAt: T0 + 30, postedBy: null },
        ],
      },
      true,
    );
    expect(hubspotCallBody(call)).toBe(
      [
        '<p>Voicemail: <a href="https://assets.aircall.io/calls/1001/voicemail">https://assets.aircall.io/calls/1001/voicemail</a></p>',
        '<p><strong>AI summary</strong><br>Wants a &lt;quote&gt;<br>by Friday</p>',
        '<p><strong>Key topics</strong>: pricing, delivery</p>',
        '<p><strong>Tags</strong>: VIP &amp; co</p>',
        '<p><strong>Note</strong>: &lt;script&gt;x&lt;/script&gt;</p>',
        '<p><strong>Bob Durand</strong>: Second</p>',
      ].join(''),
    );
  });

  it('HS-OUT-1: a link that is not http(s) is shown as text, never made clickable', () => {
    const body = hubspotCallBody(callState({ asset: 'javascript:alert(1)' }));
    expect(body).toBe('<p>Recording: javascript:alert(1)</p>');
  });

  it('HS-OUT-1: duration is conversation time in milliseconds; outbound numbers go from the Aircall line', () => {
    const call = callState({ direction: 'outbound', endedAt: null, duration: 100, answeredAt: T0 + 10 });
    const props = toHubspotCallProperties(call, input(call));
    expect(props.hs_call_duration).toBe('90000');
    expect(props.hs_call_from_number).toBe('+33176360695');
    expect(props.hs_call_to_number).toBe('+33612345678');
    expect(props).not.toHaveProperty('hs_call_disposition');
    expect(props).not.toHaveProperty('hubspot_owner_id');
  });

  it('HS-OUT-1: the default outcome GUIDs read back to their labels; custom ids have none', () => {
    expect(defaultOutcomeLabel(HUBSPOT_DEFAULT_OUTCOME_IDS['Left voicemail'])).toBe('Left voicemail');
    expect(defaultOutcomeLabel('custom-1')).toBeNull();
  });
});

describe('toHubspotCommunicationProperties', () => {
  it('HS-SMS-1: a WhatsApp message uses the WHATS_APP channel; media are linked', () => {
    const props = toHubspotCommunicationProperties(
      messageState({ channel: 'whatsapp', mediaUrls: ['https://media.aircall.io/1.jpg'] }),
      { externalE164: '+33612345678', recordName: null, ownerId: '5' },
    );
    expect(props.hs_communication_channel_type).toBe('WHATS_APP');
    expect(props.hs_communication_logged_from).toBe('CRM');
    expect(props.hs_communication_body).toContain('<a href="https://media.aircall.io/1.jpg">');
    expect(props.hubspot_owner_id).toBe('5');
  });
});

describe('tickets and contacts', () => {
  it('HS-TIX-1: a ticket carries pipeline, stage and owner', () => {
    expect(
      toHubspotTicketProperties({ subject: 'S', content: 'C', pipelineId: '0', stageId: '1', ownerId: '7' }),
    ).toEqual({
      subject: 'S',
      content: 'C',
      hs_pipeline: '0',
      hs_pipeline_stage: '1',
      hubspot_owner_id: '7',
    });
  });

  it('HS-GEN-2: a new contact holds the number in E.164, without owner when there is none', () => {
    expect(toHubspotContactProperties({ e164: '+33612345678', ownerId: null })).toEqual({
      phone: '+33612345678',
    });
  });
});
