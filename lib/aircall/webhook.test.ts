import { describe, expect, it } from 'vitest';
import { parseWebhook } from './webhook.ts';

// Example payloads from ../shared/API-CONTRACTS.md section 1, as written there.
const callCreatedExample = {
  resource: 'call',
  event: 'call.created',
  timestamp: 1732622896,
  token: 'cebcaac65XXXXXXXXXx',
  data: {
    id: 123,
    direct_link: 'https://api.aircall.io/v1/calls/123',
    direction: 'outbound',
    call_uuid: 'CAed058bba60a84d62c77cee898a852b05',
    status: 'initial',
    missed_call_reason: null,
    started_at: 1732622895,
    answered_at: null,
    ended_at: null,
    duration: 0,
    cost: '0',
    hangup_cause: null,
    voicemail: null,
    recording: null,
    raw_digits: '+1 800-123-4567',
    participants: [
      { phone_number: '+1 800-123-4567', type: 'external' },
      { id: 123, name: 'John Doe', type: 'user' },
    ],
    user: {},
    contact: {},
    number: {},
  },
};

// The real call.ended of API-CONTRACTS 1.4 (pastebin, anonymised), with its nested objects.
const callEndedReal = {
  resource: 'call',
  event: 'call.ended',
  timestamp: 1537525832,
  token: 'tok',
  data: {
    id: 98765,
    direct_link: 'https://api.aircall.io/v1/calls/98765',
    direction: 'inbound',
    status: 'done',
    missed_call_reason: null,
    started_at: 1537525790,
    answered_at: 1537525798,
    ended_at: 1537525802,
    duration: 5,
    raw_digits: '+33 6 12 34 56 78',
    asset: null,
    user: {
      id: 1,
      direct_link: 'https://api.aircall.io/v1/users/1',
      name: 'Jane',
      email: 'jane@example.com',
      available: true,
      availability_status: 'available',
    },
    contact: {
      id: 5,
      direct_link: 'https://api.aircall.io/v1/contacts/5',
      first_name: 'Claire',
      last_name: 'Dupont',
      company_name: 'ACME',
      information: null,
      is_shared: true,
      created_at: 1537000000,
      updated_at: 1537000000,
      emails: [],
      phone_numbers: [{ id: 9, label: 'Work', value: '+33612345678' }],
      urls: [],
    },
    number: {
      id: 7,
      direct_link: 'https://api.aircall.io/v1/numbers/7',
      name: 'Support',
      digits: '+33 1 76 36 06 95',
      country: 'FR',
      time_zone: 'Europe/Paris',
      open: true,
      availability_status: 'open',
      is_ivr: false,
      live_recording_activated: true,
      messages: { welcome: 'https://example.com/welcome.mp3' },
    },
    tags: [{ id: 3, name: 'General_Inquiries', color: '#fff', description: null }],
    comments: [{ id: 4, content: 'Call back Monday', posted_at: 1537525820, posted_by: null }],
  },
};

function messageReceived(times: number | string) {
  return {
    resource: 'message',
    event: 'message.received',
    timestamp: 1732622896,
    token: 'tok',
    data: {
      id: 'msg_1',
      direct_link: 'https://api.aircall.io/v1/messages/msg_1',
      direction: 'inbound',
      body: 'Hello',
      status: 'received',
      channel: null,
      external_number: '+44 7474 626067',
      created_at: times,
      sent_at: times,
      updated_at: times,
      media: [{ file_name: 'a.jpg', file_type: 'image/jpeg', presigned_url: 'https://x/a.jpg' }],
      number: { id: 7, name: 'Support', digits: '+33 1 76 36 06 95', country: 'FR' },
      contact: {},
    },
  };
}

describe('parseWebhook', () => {
  it('accepts the call.created example of API-CONTRACTS 1.4, empty user/contact/number meaning none', () => {
    const r = parseWebhook(callCreatedExample);
    expect(r.ok).toBe(true);
    if (!r.ok || r.event.family !== 'call') throw new Error('expected a call event');
    expect(r.event.data.user).toBeNull();
    expect(r.event.data.number).toBeNull();
    expect(r.event.data.direction).toBe('outbound');
  });

  it('accepts the real call.ended payload with its nested user, contact and number', () => {
    const r = parseWebhook(callEndedReal);
    if (!r.ok || r.event.family !== 'call') throw new Error('expected a call event');
    expect(r.event.data.number?.time_zone).toBe('Europe/Paris');
    expect(r.event.data.contact?.phone_numbers?.[0]?.value).toBe('+33612345678');
  });

  it('reads message timestamps given as UNIX milliseconds and as ISO strings alike', () => {
    const ms = parseWebhook(messageReceived(1732622895123));
    const iso = parseWebhook(messageReceived('2024-11-26T12:08:15.123Z'));
    if (!ms.ok || ms.event.family !== 'message' || !iso.ok || iso.event.family !== 'message') {
      throw new Error('expected message events');
    }
    expect(ms.event.data.created_at).toBe(1732622895123);
    expect(iso.event.data.created_at).toBe(1732622895123);
  });

  it('refuses a message timestamp that is neither, naming the field', () => {
    const r = parseWebhook(messageReceived('yesterday'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]?.field).toBe('data.created_at');
  });

  it('accepts summary.created (API-CONTRACTS 1.8) and AI events with other content shapes', () => {
    const summary = parseWebhook({
      resource: 'summary',
      event: 'summary.created',
      timestamp: 1,
      token: 't',
      data: { call_id: 123, content: 'The caller asks for a refund.' },
    });
    const topics = parseWebhook({
      resource: 'topics',
      event: 'topics.created',
      timestamp: 1,
      token: 't',
      data: { call_id: 123, content: [{ name: 'refund' }] },
    });
    expect(summary.ok && summary.event.family).toBe('ai');
    expect(topics.ok && topics.event.family).toBe('ai');
  });

  it('accepts contact events with UTC string dates, number and v2 user events', () => {
    const contact = parseWebhook({
      resource: 'contact',
      event: 'contact.updated',
      timestamp: 1,
      token: 't',
      data: {
        id: 5,
        first_name: 'C',
        created_at: '2024-01-01T00:00:00.000Z',
        updated_at: '2024-01-02T00:00:00.000Z',
        phone_numbers: [],
      },
    });
    const number = parseWebhook({
      resource: 'number',
      event: 'number.closed',
      timestamp: 1,
      token: 't',
      data: { id: 7, name: 'Support', open: false },
    });
    const user = parseWebhook({
      resource: 'user',
      event: 'user.created.v2',
      timestamp: 1,
      token: 't',
      data: { id: 1, name: 'Jane', email: 'j@x.io' },
    });
    expect([contact, number, user].map((r) => r.ok && r.event.family)).toEqual(['contact', 'number', 'user']);
  });

  it('keeps well-formed events the product does not use as "other"', () => {
    const r = parseWebhook({
      resource: 'analytics',
      event: 'analytics.report_created',
      timestamp: 1,
      token: 't',
      data: { report: 1 },
    });
    expect(r.ok && r.event.family).toBe('other');
  });

  it('names the missing field of a call event', () => {
    const { started_at: _, ...data } = callCreatedExample.data;
    const r = parseWebhook({ ...callCreatedExample, data });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field)).toEqual(['data.started_at']);
    expect(r.message).toContain('data.started_at');
  });

  it('requires ended_at on call.ended, the event calls are logged on', () => {
    const r = parseWebhook({ ...callEndedReal, data: { ...callEndedReal.data, ended_at: null } });
    expect(!r.ok && r.problems[0]?.field).toBe('data.ended_at');
  });

  it('refuses a direction Aircall never sends', () => {
    const r = parseWebhook({ ...callEndedReal, data: { ...callEndedReal.data, direction: 'sideways' } });
    expect(!r.ok && r.problems[0]?.field).toBe('data.direction');
  });

  it('refuses a body without the envelope, naming each missing part', () => {
    const r = parseWebhook({ hello: 'world' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field).sort()).toEqual([
      'data',
      'event',
      'resource',
      'timestamp',
      'token',
    ]);
    expect(parseWebhook('not json at all').ok).toBe(false);
  });
});
