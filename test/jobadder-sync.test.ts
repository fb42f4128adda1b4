/**
 * End to end: JobAdder contact sync to Aircall (JA-SYNC-1). On each call the
 * number is looked up in JobAdder; the JobAdder contact or candidate found
 * ends up as the Aircall contact for that number: created when Aircall has
 * none, overwritten (never duplicated, Aircall allows one contact per number)
 * when Aircall has one. What the backend did is read back through Aircall's
 * own API (the simulator's contacts search), and JobAdder through its API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../lib/aircall/scenarios.ts';
import { type Json, jobadderHelpers, step } from './support/jobadder.ts';
import { STORES, startWorld, type World } from './support/world.ts';

describe.each(STORES)('JobAdder contact sync end to end (%s store)', { timeout: 40_000 }, (store) => {
  let w: World;
  let h: ReturnType<typeof jobadderHelpers>;

  beforeAll(async () => {
    w = await startWorld({ store, n: 37, crm: 'jobadder', settings: { contactSync: true } });
    h = jobadderHelpers(w);
  }, 90_000);
  afterAll(async () => w?.close());

  /** Aircall's contacts holding an E.164 number, through Aircall's API with the company's key. */
  async function aircallContacts(e164: string): Promise<Json[]> {
    const { apiId, apiToken } = w.company.ids;
    const res = await fetch(
      `${w.sandbox.aircall.url}/v1/contacts/search?phone_number=${encodeURIComponent(e164)}`,
      {
        headers: { authorization: `Basic ${Buffer.from(`${apiId}:${apiToken}`).toString('base64')}` },
      },
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { contacts: Json[] }).contacts;
  }

  const values = (list: unknown) => ((list ?? []) as { value: string }[]).map((x) => x.value);

  async function call(callId: number, external: string) {
    await w.play({ call: { callId, direction: 'inbound', external, answerAfter: 4, talk: 45, user: ALICE } });
    await h.settled();
  }

  it('JA-SYNC-1: a JobAdder contact calling is created in Aircall with its details, and the call is logged', async () => {
    await h.settings({ contactSync: true });
    const { contactIds } = await h.seed({
      contacts: [
        {
          firstName: 'Zoé',
          lastName: 'Synced',
          email: 'zoe@client.fr',
          phone: '06 70 00 00 01',
          mobile: '+33 6 70 00 00 91',
          company: { name: 'Client SA' },
          position: 'CTO',
        },
      ],
    });
    expect(await aircallContacts('+33670000001')).toEqual([]);
    await call(3701, '+33 6 70 00 00 01');

    const [created, ...more] = await aircallContacts('+33670000001');
    expect(more).toEqual([]);
    expect(created).toMatchObject({
      first_name: 'Zoé',
      last_name: 'Synced',
      company_name: 'Client SA',
      information: `JobAdder contact ${contactIds[0]}, CTO`,
    });
    expect(values(created?.emails)).toEqual(['zoe@client.fr']);
    expect(values(created?.phone_numbers)).toEqual(expect.arrayContaining(['+33670000001', '+33670000091']));
    const l = await h.callLogging(3701);
    expect(l.written.aircall_contact).toEqual({ target: 'aircall.contact', id: String(created?.id) });
    // The trace kept is the call's last run: the create, or a later event updating what it created.
    expect(step(l.trace, 'JA-SYNC-1')[0]?.detail).toMatch(
      new RegExp(
        `No Aircall contact holds the number yet|Aircall contact ${String(created?.id)}, already synced for this call`,
      ),
    );
    expect((await h.notesOf('contacts', contactIds[0] ?? 0)).map((n) => n.reference)).toEqual([
      'aircall:call:3701',
    ]);

    // A later call with the same number updates that Aircall contact (JobAdder changed meanwhile).
    await h.seed({
      contacts: [
        { contactId: contactIds[0], firstName: 'Zoé', lastName: 'Renamed', phone: '06 70 00 00 01' },
      ],
    });
    await w.advance(61_000); // past the adapter's 60 s phone-search cache
    await call(3702, '+33 6 70 00 00 01');
    const after = await aircallContacts('+33670000001');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: created?.id, first_name: 'Zoé', last_name: 'Renamed' });
  });

  it('JA-SYNC-1: an existing Aircall contact with the number is overwritten with the JobAdder details, not duplicated', async () => {
    await h.settings({ contactSync: true });
    const seeded = await w.seedAircall({
      contacts: [
        {
          id: 78001,
          first_name: 'Old',
          last_name: 'Aircall',
          company_name: 'Old Co',
          phone_numbers: [{ label: 'Work', value: '+33 6 70 00 00 02' }],
        },
      ],
    });
    expect(seeded.status, JSON.stringify(seeded.json)).toBe(200);
    const { candidateIds } = await h.seed({
      candidates: [
        { firstName: 'Carla', lastName: 'Candidate', email: 'carla@mail.fr', mobile: '06 70 00 00 02' },
      ],
    });
    await call(3703, '+33 6 70 00 00 02');

    const found = await aircallContacts('+33670000002');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      id: 78001,
      first_name: 'Carla',
      last_name: 'Candidate',
      information: `JobAdder candidate ${candidateIds[0]}`,
    });
    // Emails are not asserted: Aircall's contact update (`POST /v1/contacts/:id`) leaves phone numbers and
    // emails to sub-resources (API-CONTRACTS 1.6), and the backend sends the update only.
    const l = await h.callLogging(3703);
    expect(l.written.aircall_contact).toEqual({ target: 'aircall.contact', id: '78001' });
    // The trace kept is the call's last run: the overwrite, or a later event updating the same contact.
    expect(step(l.trace, 'JA-SYNC-1')[0]?.detail).toMatch(
      /Aircall contact 78001 already holds the number; Aircall allows no duplicates, so it is overwritten|Aircall contact 78001, already synced for this call, is updated/,
    );
    expect((await h.notesOf('candidates', candidateIds[0] ?? 0)).map((n) => n.reference)).toEqual([
      'aircall:call:3703',
    ]);
  });

  it('JA-SYNC-1: off, nothing is created in Aircall; a number unknown to JobAdder is never synced', async () => {
    await h.settings({ contactSync: false });
    await h.seed({ contacts: [{ firstName: 'Xavier', lastName: 'Nosync', phone: '+33 6 70 00 00 03' }] });
    await call(3704, '+33 6 70 00 00 03');
    expect(await aircallContacts('+33670000003')).toEqual([]);
    const l = await h.callLogging(3704);
    expect(l.written.activity).toBeDefined();
    expect(l.written.aircall_contact).toBeUndefined();
    expect(step(l.trace, 'JA-SYNC-1')).toEqual([
      { rule: 'JA-SYNC-1', outcome: 'skipped', detail: 'Contact sync is off.' },
    ]);

    await h.settings({ contactSync: true });
    await call(3705, '+33 6 70 00 00 04');
    expect(await aircallContacts('+33670000004')).toEqual([]);
    expect((await h.callLogging(3705)).written).toEqual({});
  });
});
