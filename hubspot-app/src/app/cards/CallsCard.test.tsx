/**
 * The card rendered with HubSpot's own test renderer (`createRenderer` from
 * @hubspot/ui-extensions/testing, location crm.record.sidebar): its context
 * (record, user, profile variables) and actions are HubSpot's mocks, and
 * `hubspot.fetch` is spied on, answering what the bridge's card routes answer
 * (the backend side is proven in the bridge's test/hubspot-card.test.ts).
 */
import {
  Accordion,
  Alert,
  Button,
  EmptyState,
  ErrorState,
  hubspot,
  Link,
  Select,
  Tag,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallsCard } from './CallsCard';

const BACKEND = 'https://bridge.example.com';
const LIST_URL = `${BACKEND}/hubspot-card/v1/records/contacts/501/activity`;
/** 2026-09-21T14:13:20Z: 16:13 in Paris (CEST), 10:13 in New York (EDT). */
const T0 = 1_790_000_000_000;

const logged = (recordId: string) => ({
  integrationId: 'demo:hubspot',
  crm: 'hubspot',
  outcome: 'write',
  recordId,
  unmatched: false,
  written: { activity: { target: 'calls', id: '880001' } },
  trace: [{ rule: 'HS-OUT-1', outcome: 'applied', detail: 'Logged as a call on contact 501.' }],
  updatedAt: T0,
});

/** Activities as the bridge's agent API shapes them (agentActivitySchema). */
const ANSWERED = {
  kind: 'call',
  id: '7501',
  summary: {
    type: 'inbound_answered',
    direction: 'inbound',
    at: T0,
    durationS: 135,
    number: 'Support FR',
    agent: 'Alice Martin',
    recording: 'https://recordings.example.com/7501.mp3',
    voicemail: null,
    tags: [{ id: 31, name: 'General_Inquiries' }],
    notes: [{ id: 97501, content: 'Asked for a quote', by: 'Alice Martin', at: T0 }],
    aiSummary: null,
  },
  external: '+33612345678',
  agentUserId: 11,
  startedAt: T0,
  logging: [logged('501')],
  outcome: 'Connected',
};
const MISSED = {
  kind: 'call',
  id: '7502',
  summary: {
    type: 'missed_voicemail',
    direction: 'inbound',
    at: T0 - 3_600_000,
    durationS: 25,
    number: 'Support FR',
    agent: null,
    recording: null,
    voicemail: 'https://recordings.example.com/7502-voicemail.mp3',
    tags: [],
    notes: [],
  },
  external: '+33612345678',
  agentUserId: null,
  startedAt: T0 - 3_600_000,
  logging: [
    {
      ...logged('501'),
      outcome: 'nothing',
      trace: [
        { rule: 'GEN-NUM-1', outcome: 'stopped', detail: 'Number 2 is not connected to this integration.' },
      ],
    },
  ],
  outcome: null,
};
const SMS = {
  kind: 'message',
  id: 'm-1',
  summary: {
    type: 'sms_inbound',
    direction: 'inbound',
    at: T0 - 7_200_000,
    body: 'Can you call me back?',
    agent: null,
  },
  external: '+33612345678',
  agentUserId: null,
  startedAt: T0 - 7_200_000,
  logging: [logged('501')],
  outcome: null,
};
const ALICE = { aircallUserId: 11, name: 'Alice Martin', timeZone: 'Europe/Paris' };

const reply = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const list = (activity: unknown[], agent: unknown = ALICE) => reply(200, { activity, agent });

/** A renderer on Claire's contact (id 501) with the profile's BACKEND_URL, and a spy on hubspot.fetch. */
function renderCard(variables: Record<string, string> = { BACKEND_URL: BACKEND }) {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.crm.objectId = 501;
  renderer.mocks.context.crm.objectTypeId = '0-1';
  renderer.mocks.context.user.email = 'alice@example.com';
  renderer.mocks.context.user.locale = 'en-US';
  renderer.mocks.context.variables = variables;
  const fetch = vi.spyOn(hubspot, 'fetch');
  return { renderer, fetch, render: () => renderer.render(<CallsCard />) };
}

const text = (r: ReturnType<typeof createRenderer>) => r.getRootNode().toString();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Aircall calls card', () => {
  it("EXT-LIST-1: lists the record's calls and SMS, newest first, with time in the agent's zone, direction, duration, agent, outcome, recording, tags and notes", async () => {
    const { renderer, fetch, render } = renderCard();
    fetch.mockResolvedValue(list([ANSWERED, MISSED, SMS]));
    render();
    await renderer.waitFor(() => expect(text(renderer)).toContain('Inbound call, answered'));

    expect(fetch).toHaveBeenCalledWith(LIST_URL, { method: 'GET', timeout: 10_000 });
    const shown = text(renderer);
    expect(shown).toContain('Sep 21, 2026, 04:13 PM GMT+2 · Inbound · 2 min 15 s');
    expect(shown).toContain('Agent: Alice Martin · Line: Support FR · Outcome: Connected');
    expect(shown).toContain('Note: Asked for a quote (Alice Martin)');
    expect(shown).toContain('Missed call, voicemail');
    expect(shown).toContain('SMS received');
    expect(shown).toContain('Can you call me back?');
    expect(shown).toContain("Times in Europe/Paris, Alice Martin's Aircall time zone.");
    expect(shown.indexOf('Inbound call, answered')).toBeLessThan(shown.indexOf('SMS received'));
    expect(renderer.find(Link, (l) => l.text === 'Recording').props.href).toEqual({
      url: 'https://recordings.example.com/7501.mp3',
      external: true,
    });
    expect(renderer.find(Link, (l) => l.text === 'Voicemail')).toBeTruthy();
    expect(renderer.findAll(Tag).map((t) => t.text)).toEqual(['General_Inquiries']);
  });

  it("EXT-LIST-1: without an Aircall time zone for the agent, times are in the HubSpot user's own zone", async () => {
    const { renderer, fetch, render } = renderCard();
    fetch.mockResolvedValue(list([ANSWERED], { ...ALICE, timeZone: null }));
    render();
    await renderer.waitFor(() => expect(text(renderer)).toContain('Inbound call, answered'));
    expect(text(renderer)).toContain('Sep 21, 2026, 10:13 AM EDT');
    expect(text(renderer)).toContain('Times in your time zone.');
  });

  it('EXT-WHY-1: a call that was not logged says why (its trace); a logged one does not', async () => {
    const { renderer, fetch, render } = renderCard();
    fetch.mockResolvedValue(list([ANSWERED, MISSED]));
    render();
    await renderer.waitFor(() => expect(renderer.findAll(Accordion)).toHaveLength(1));
    const why = renderer.find(Accordion);
    expect(why.props.title).toBe('Why was this not logged?');
    expect(why.toString()).toContain('hubspot: not logged');
    expect(why.toString()).toContain('GEN-NUM-1 stopped: Number 2 is not connected to this integration.');
    expect(renderer.findByTestId(Tile, 'activity-call-7501').maybeFind(Accordion)).toBeNull();
    expect(renderer.findByTestId(Tile, 'activity-call-7502').maybeFind(Accordion)).not.toBeNull();
  });

  it('shows an empty state, and no note form, when nothing is logged on the record', async () => {
    const { renderer, fetch, render } = renderCard();
    fetch.mockResolvedValue(list([]));
    render();
    await renderer.waitFor(() => expect(renderer.maybeFind(EmptyState)).not.toBeNull());
    expect(renderer.find(EmptyState).props.title).toBe('No Aircall calls yet');
    expect(renderer.maybeFind(TextArea)).toBeNull();
  });

  it("shows the bridge's refusal with what to do, and loads again on Try again", async () => {
    const { renderer, fetch, render } = renderCard();
    fetch
      .mockResolvedValueOnce(
        reply(403, {
          error: {
            code: 'unknown_user',
            message:
              'No Aircall user of the company connected to HubSpot account 5075 has the email alice@example.com.',
            fix: 'Use the same email in HubSpot and in Aircall.',
          },
        }),
      )
      .mockResolvedValueOnce(list([ANSWERED]));
    render();
    await renderer.waitFor(() => expect(renderer.maybeFind(ErrorState)).not.toBeNull());
    const error = renderer.find(ErrorState);
    expect(error.props.title).toBe('The Aircall calls could not be loaded');
    expect(error.toString()).toContain('has the email alice@example.com');
    expect(error.toString()).toContain('What to do: Use the same email in HubSpot and in Aircall.');

    renderer.find(Button, (b) => b.text === 'Try again').trigger('onClick');
    await renderer.waitFor(() => expect(text(renderer)).toContain('Inbound call, answered'));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('says the bridge could not be reached when hubspot.fetch fails, and what to do', async () => {
    const { renderer, fetch, render } = renderCard();
    fetch.mockRejectedValue(new Error('timed out'));
    render();
    await renderer.waitFor(() => expect(renderer.maybeFind(ErrorState)).not.toBeNull());
    expect(text(renderer)).toContain(
      'The Aircall bridge at https://bridge.example.com could not be reached (timed out).',
    );
    expect(text(renderer)).toContain('What to do: Try again in a moment.');
  });

  it('without BACKEND_URL in the profile, says how to set it and fetches nothing', async () => {
    const { renderer, fetch, render } = renderCard({});
    render();
    await renderer.waitFor(() => expect(renderer.maybeFind(ErrorState)).not.toBeNull());
    expect(text(renderer)).toContain('BACKEND_URL is not set');
    expect(text(renderer)).toContain('hs project upload --profile');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('EXT-NOTE-1: a note is sent to the chosen call through the bridge, HubSpot shows a success alert, and the list reloads', async () => {
    const { renderer, fetch, render } = renderCard();
    fetch
      .mockResolvedValueOnce(list([ANSWERED, MISSED]))
      .mockResolvedValueOnce(reply(200, { ok: true }))
      .mockResolvedValueOnce(list([ANSWERED, MISSED]));
    render();
    await renderer.waitFor(() => expect(renderer.maybeFind(TextArea)).not.toBeNull());
    expect(renderer.find(Select).props.options.map((o) => o.value)).toEqual(['7501', '7502']);

    renderer.find(Select).trigger('onChange', '7502' as never);
    renderer.find(TextArea).trigger('onChange', '  Called back, no answer  ' as never);
    await renderer.waitFor(() =>
      expect(renderer.find(TextArea).props.value).toBe('  Called back, no answer  '),
    );
    renderer.find(Button, (b) => b.text === 'Add note').trigger('onClick');

    await renderer.waitFor(() => expect(renderer.mocks.actions.addAlert.callCount).toBe(1));
    expect(fetch).toHaveBeenNthCalledWith(2, `${BACKEND}/hubspot-card/v1/calls/7502/notes`, {
      method: 'POST',
      body: { content: 'Called back, no answer' },
      timeout: 10_000,
    });
    expect(renderer.mocks.actions.addAlert.calls[0]?.[0]).toEqual({
      type: 'success',
      message: 'Note added to call 7502 in Aircall. The HubSpot call shows it within a few seconds.',
    });
    await renderer.waitFor(() => expect(fetch).toHaveBeenCalledTimes(3));
    await renderer.waitFor(() => expect(renderer.find(TextArea).props.value).toBe(''));
  });

  it('EXT-NOTE-1: a note the bridge refuses stays typed, with the reason and what to do; an empty one is not sent', async () => {
    const { renderer, fetch, render } = renderCard();
    fetch.mockResolvedValueOnce(list([ANSWERED])).mockResolvedValueOnce(
      reply(502, {
        error: {
          code: 'aircall_error',
          message: 'Adding the note in Aircall failed: Aircall answered 503.',
          fix: 'Try again in a moment.',
        },
      }),
    );
    render();
    await renderer.waitFor(() => expect(renderer.maybeFind(TextArea)).not.toBeNull());

    renderer.find(Button, (b) => b.text === 'Add note').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFind(Alert)).not.toBeNull());
    expect(renderer.find(Alert).toString()).toContain('The note is empty.');
    expect(fetch).toHaveBeenCalledTimes(1);

    renderer.find(TextArea).trigger('onChange', 'Refund approved' as never);
    await renderer.waitFor(() => expect(renderer.find(TextArea).props.value).toBe('Refund approved'));
    renderer.find(Button, (b) => b.text === 'Add note').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.find(Alert).toString()).toContain(
        'Adding the note in Aircall failed: Aircall answered 503.',
      ),
    );
    expect(renderer.find(Alert).props.title).toBe('The note was not added');
    expect(renderer.find(Alert).toString()).toContain('What to do: Try again in a moment.');
    expect(renderer.find(TextArea).props.value).toBe('Refund approved');
    expect(renderer.mocks.actions.addAlert.called).toBe(false);
  });
});
