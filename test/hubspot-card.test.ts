/**
 * End to end, on both stores: the HubSpot app card's backend routes
 * (lib/api/contract-card.ts, server/http/card.ts). Calls and an SMS are played
 * through the Aircall simulator onto Claire's contact; the card's requests are
 * made over real HTTP exactly as HubSpot makes them for `hubspot.fetch`
 * (asker appended to the URL, signature v3: test/support/hubspot-signature.ts);
 * what they show is compared with the agent API, and a note is followed into
 * Aircall and back onto the HubSpot call through HubSpot's own API.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB } from '../lib/aircall/scenarios.ts';
import { CLAIRE, DEMO_HUBSPOT_APP } from '../sandbox/demo.ts';
import { type HubspotAsker, hubspotFetch } from './support/hubspot-signature.ts';
import { STORES, startWorld, type World } from './support/world.ts';

const APP_ID = 3_210_001;
const CALL = { answered: 7501, missed: 7502 };
const CLAIRE_PHONE = '+33 6 12 34 56 78';

interface ErrorBody {
  code: string;
  message: string;
  fix?: string;
}

describe.each(STORES)('HubSpot app card backend (%s store)', { timeout: 30_000 }, (store) => {
  let w: World;
  let alice: HubspotAsker;

  beforeAll(async () => {
    w = await startWorld({ store, n: 75 });
    alice = { portalId: w.company.ids.portalId, userId: 7001, userEmail: ALICE.email, appId: APP_ID };
    await w.play({
      call: {
        callId: CALL.answered,
        direction: 'inbound',
        external: CLAIRE_PHONE,
        answerAfter: 10,
        talk: 125,
        user: ALICE,
        tags: [{ id: 31, name: 'General_Inquiries' }],
        comments: [{ id: 97501, content: 'Asked for a quote', by: ALICE }],
      },
    });
    await w.play({ scenario: 'missed-voicemail', external: CLAIRE_PHONE, callId: CALL.missed });
    await w.play({ scenario: 'sms-inbound', external: CLAIRE_PHONE });
    await w.settle();
  }, 90_000);
  afterAll(async () => w?.close());

  const cardUrl = (path: string) => `${w.backend.url}/hubspot-card/v1${path}`;
  const activityUrl = () => cardUrl(`/records/contacts/${CLAIRE.id}/activity`);

  /** A card request as HubSpot sends it, on HubSpot's clock (here the world's). */
  const card = (
    url: string,
    opts: Partial<Parameters<typeof hubspotFetch>[0]> & { asker?: Partial<HubspotAsker> } = {},
  ) =>
    hubspotFetch({
      url,
      asker: alice,
      secret: DEMO_HUBSPOT_APP.clientSecret,
      now: w.clock.now(),
      ...opts,
    });

  function refusal(r: { status: number; json: Record<string, unknown> }, status: number, code: string) {
    expect(r.status, JSON.stringify(r.json)).toBe(status);
    const error = r.json.error as ErrorBody;
    expect(error.code).toBe(code);
    expect(error.fix, 'every refusal says what to do').toBeTruthy();
    return error;
  }

  /** The HubSpot call engagement the backend wrote for an Aircall call, read back from HubSpot. */
  async function hubspotCallBody(callId: number): Promise<string> {
    const traces = await w.admin('GET', `/admin/companies/${w.company.ids.companyId}/calls/${callId}`);
    const logging = traces.json.logging as { written: Record<string, { id: string }> }[];
    const id = logging[0]?.written.activity?.id;
    if (!id) throw new Error(`call ${callId} was not written to HubSpot: ${JSON.stringify(traces.json)}`);
    const r = await w.hubspot('GET', `/crm/v3/objects/calls/${id}?properties=hs_call_body`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return String((r.json.properties as Record<string, unknown>).hs_call_body ?? '');
  }

  it("EXT-LIST-1: the card lists the contact's calls and SMS exactly as the agent API does, with the agent's time zone", async () => {
    const r = await card(activityUrl());
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const panel = await w.agent('GET', `/v1/records/hubspot/contacts/${CLAIRE.id}/activity`);
    expect(panel.status).toBe(200);
    expect(r.json.activity).toEqual(panel.json.activity);
    const listed = r.json.activity as { kind: string; id: string; summary: Record<string, unknown> }[];
    expect(listed.filter((a) => a.kind === 'call').map((a) => a.id)).toEqual(
      expect.arrayContaining([String(CALL.answered), String(CALL.missed)]),
    );
    expect(listed.some((a) => a.kind === 'message')).toBe(true);
    const answered = listed.find((a) => a.id === String(CALL.answered));
    expect(answered?.summary.notes).toEqual([expect.objectContaining({ content: 'Asked for a quote' })]);
    expect(r.json.agent).toEqual({ aircallUserId: ALICE.id, name: ALICE.name, timeZone: 'Europe/Paris' });
  });

  it('GEN-EMAIL-1: the HubSpot user is the Aircall user with the same email, compared ignoring case', async () => {
    const r = await card(activityUrl(), { asker: { ...alice, userId: 7002, userEmail: ' BOB@Example.com' } });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect((r.json.agent as { aircallUserId: number }).aircallUserId).toBe(BOB.id);

    const stranger = await card(activityUrl(), { asker: { ...alice, userEmail: 'mallory@example.com' } });
    const error = refusal(stranger, 403, 'unknown_user');
    expect(error.message).toContain('mallory@example.com');
  });

  it('EXT-NOTE-1: a note added from the card reaches the Aircall call, then the HubSpot call activity', async () => {
    const note = 'Quote sent from the HubSpot card';
    const r = await card(cardUrl(`/calls/${CALL.answered}/notes`), {
      method: 'POST',
      body: { content: note },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toEqual({ ok: true });

    // Aircall holds the comment, read back through Aircall's API (API-CONTRACTS 1.4).
    const { apiId, apiToken } = w.company.ids;
    const aircall = await fetch(`${w.sandbox.aircall.url}/v1/calls/${CALL.answered}`, {
      headers: { authorization: `Basic ${Buffer.from(`${apiId}:${apiToken}`).toString('base64')}` },
    });
    const call = ((await aircall.json()) as { call: { comments: { content: string }[] } }).call;
    expect(call.comments.map((c) => c.content)).toContain(note);

    // Aircall's call.commented webhook brings it to the HubSpot call, through the usual path.
    await w.settle();
    const body = await hubspotCallBody(CALL.answered);
    expect(body).toContain(note);
    expect(body).toContain('Asked for a quote');

    const listed = await card(activityUrl());
    const answered = (
      listed.json.activity as { id: string; summary: { notes: { content: string }[] } }[]
    ).find((a) => a.id === String(CALL.answered));
    expect(answered?.summary.notes.map((n) => n.content)).toContain(note);
  });

  it('EXT-NOTE-1: an empty note is refused with the field named; an unknown call is a 404', async () => {
    const empty = await card(cardUrl(`/calls/${CALL.answered}/notes`), {
      method: 'POST',
      body: { content: ' ' },
    });
    expect(refusal(empty, 400, 'invalid_body').message).toContain('the note is empty');
    const unknown = await card(cardUrl('/calls/7599/notes'), { method: 'POST', body: { content: 'x' } });
    refusal(unknown, 404, 'not_found');
  });

  it('refuses requests HubSpot did not sign: no signature, a wrong secret, a changed body', async () => {
    expect(
      refusal(await card(activityUrl(), { tamper: { unsigned: true } }), 401, 'unauthorized').message,
    ).toContain('X-HubSpot-Signature-v3');
    const wrong = await card(activityUrl(), { tamper: { secret: 'not-the-app-secret' } });
    expect(refusal(wrong, 401, 'unauthorized').fix).toContain('HUBSPOT_CLIENT_SECRET');
    const changed = await card(cardUrl(`/calls/${CALL.answered}/notes`), {
      method: 'POST',
      body: { content: 'signed text' },
      tamper: { sentBody: JSON.stringify({ content: 'other text' }) },
    });
    expect(refusal(changed, 401, 'unauthorized').message).toContain('does not match');
  });

  it('refuses a request whose HubSpot timestamp is older than 5 minutes (replay)', async () => {
    const stale = await card(activityUrl(), { tamper: { timestamp: w.clock.now() - 5 * 60_000 - 1_000 } });
    expect(refusal(stale, 401, 'unauthorized').message).toContain('older than');
    const fresh = await card(activityUrl(), { tamper: { timestamp: w.clock.now() - 4 * 60_000 } });
    expect(fresh.status, JSON.stringify(fresh.json)).toBe(200);
  });

  it("the HubSpot app that holds the card (hubspot-app/) requires every scope the backend's OAuth asks for", async () => {
    const r = await w.admin(
      'GET',
      `/admin/companies/${w.company.ids.companyId}/connections/hubspot/authorize`,
    );
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const asked = new URL(r.json.url as string).searchParams.get('scope')?.split(' ') ?? [];
    expect(asked.length).toBeGreaterThan(0);
    const app = JSON.parse(
      readFileSync(new URL('../hubspot-app/src/app/app-hsmeta.json', import.meta.url), 'utf8'),
    ) as {
      config: { auth: { requiredScopes: string[] } };
    };
    expect(app.config.auth.requiredScopes).toEqual(expect.arrayContaining(asked));
  });

  it('refuses a portal no company connected, and a signed request without the HubSpot user', async () => {
    const unknown = await card(activityUrl(), { asker: { ...alice, portalId: 999_999 } });
    expect(refusal(unknown, 403, 'unknown_portal').message).toContain('999999');
    const anonymous = await card(activityUrl(), { asker: { ...alice, userEmail: undefined } });
    expect(refusal(anonymous, 401, 'unauthorized').message).toContain('userEmail');
  });
});
