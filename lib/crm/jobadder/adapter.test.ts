/**
 * The JobAdder adapter against the JobAdder simulator over real HTTP: what
 * `gather` hands the planner (facts.ts), how notes are created, found again
 * after an interrupted create (GEN-IDEM-1), and updated. The whole path,
 * webhooks in and notes read back, is proven in test/jobadder-*.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlannedWrite } from '../../logging/plan-types.ts';
import { ApiError } from '../../api/errors.ts';
import { TOKEN, USER_ID, startTestJobadder } from '../../../sandbox/jobadder/testing.ts';
import { JobadderAdapter } from './adapter.ts';
import { JobadderClient } from './client.ts';
import { readJobadderCrmFacts, readJobadderRecordFacts } from './facts.ts';
import { jobadderSettingsSchema } from './settings.ts';

const E164 = '+33612345678';
let t: Awaited<ReturnType<typeof startTestJobadder>>;
let contactId: string;
let candidateId: string;
let now = Date.parse('2026-05-01T10:00:00Z');
const clock = { now: () => now };

const settings = (extra: Record<string, unknown> = {}) =>
  jobadderSettingsSchema.parse({ crm: 'jobadder', connectedNumbers: [1], defaultCountry: 'FR', ...extra });

function adapter() {
  return new JobadderAdapter({
    client: new JobadderClient({ apiBase: `${t.url}/v2`, auth: { token: async () => TOKEN } }),
    clock,
  });
}

async function requests(): Promise<string[]> {
  const res = await fetch(`${t.url}/_sandbox/requests`);
  const body = (await res.json()) as { requests: { method: string; path: string }[] };
  return body.requests.map((r) => `${r.method} ${r.path}`);
}

function note(kind: 'contact' | 'candidate', id: string, text: string, reference: string): PlannedWrite {
  return {
    ref: 'activity',
    op: 'create',
    target: kind === 'contact' ? 'jobadder.contactNote' : 'jobadder.candidateNote',
    fields: {
      [kind === 'contact' ? 'contactId' : 'candidateId']: id,
      text,
      type: 'SMS',
      reference,
      createdBy: { userId: String(USER_ID), email: 'ann@agency.test' },
    },
    links: [],
    rules: ['JA-SMS-1'],
  };
}

beforeAll(async () => {
  t = await startTestJobadder();
});
afterAll(() => t.close());
beforeEach(async () => {
  const seeded = (await t.reset({
    defaultCountry: 'FR',
    contacts: [
      {
        firstName: 'Claire',
        lastName: 'Dupont',
        email: 'claire@example.fr',
        phone: '06 12 34 56 78',
        company: { name: 'Dupont Conseil' },
        position: 'DRH',
        updatedAt: '2026-01-02T10:00:00Z',
      },
    ],
    candidates: [
      { firstName: 'Lina', lastName: 'Cand', mobile: '+33 6 12 34 56 78', updatedAt: '2026-02-01T10:00:00Z' },
    ],
  })) as { accounts: { contactIds: number[]; candidateIds: number[] }[] };
  contactId = String(seeded.accounts[0]?.contactIds[0]);
  candidateId = String(seeded.accounts[0]?.candidateIds[0]);
  await fetch(`${t.url}/_sandbox/requests`, { method: 'DELETE' });
});

describe('JobadderAdapter.gather', () => {
  it('JA-DUP-1 / JA-SYNC-1: contacts and candidates of the number, with updatedAt and the person fields; the users', async () => {
    const a = adapter();
    const g = await a.gather({
      settings: settings(),
      kind: 'call',
      externalE164: E164,
      existing: {},
      linkedRecord: null,
      activityType: 'inbound_answered',
    });
    expect(g.records.map((r) => [r.kind, r.id, r.name, r.updatedAt])).toEqual([
      ['contact', contactId, 'Claire Dupont', '2026-01-02T10:00:00.000Z'],
      ['candidate', candidateId, 'Lina Cand', '2026-02-01T10:00:00.000Z'],
    ]);
    const claire = g.records[0];
    expect(claire?.phones).toEqual([{ field: 'phone', value: '06 12 34 56 78' }]);
    expect(claire && readJobadderRecordFacts(claire)).toMatchObject({
      firstName: 'Claire',
      lastName: 'Dupont',
      email: 'claire@example.fr',
      company: 'Dupont Conseil',
      position: 'DRH',
    });
    expect(g.users).toEqual([
      expect.objectContaining({
        id: String(USER_ID),
        email: 'ann@agency.test',
        name: 'Ann Admin',
        active: true,
      }),
    ]);
    expect(g.installerUserId).toBe(String(USER_ID));
    expect(g.installerStatus).toEqual({ name: 'Ann Admin', crmAdmin: true });

    // Later events within 60 s reuse the search and the user: no request.
    const before = (await requests()).length;
    now += 30_000;
    await a.gather({
      settings: settings(),
      kind: 'call',
      externalE164: E164,
      existing: {},
      linkedRecord: null,
      activityType: null,
    });
    expect((await requests()).length).toBe(before);
    now += 31_000;
    await a.gather({
      settings: settings(),
      kind: 'call',
      externalE164: E164,
      existing: {},
      linkedRecord: null,
      activityType: null,
    });
    expect((await requests()).slice(before)).toEqual(['GET /v2/search/phonenumber']);
  });

  it('GEN-EMAIL-1: users are every user of the account (GET /users), inactive ones not active; the installer is the token user', async () => {
    await t.admin.post('/_sandbox/seed', {
      accounts: [
        {
          accountId: 'agency-au',
          users: [
            { userId: 8002, firstName: 'Bob', lastName: 'Durand', email: 'Bob@Agency.test', admin: false },
            { userId: 8003, firstName: 'Ivy', lastName: 'Gone', email: 'ivy@agency.test', inactive: true },
            { userId: 8004, firstName: 'Dan', lastName: 'Deleted', email: 'dan@agency.test', deleted: true },
          ],
        },
      ],
    });
    const input = {
      settings: settings(),
      kind: 'call' as const,
      externalE164: null,
      existing: {},
      linkedRecord: null,
      activityType: 'inbound_answered',
    };
    const a = adapter();
    const g = await a.gather(input);
    expect(g.users.map((u) => [u.id, u.email, u.name, u.active])).toEqual([
      [String(USER_ID), 'ann@agency.test', 'Ann Admin', true],
      ['8002', 'Bob@Agency.test', 'Bob Durand', true],
      ['8003', 'ivy@agency.test', 'Ivy Gone', false],
    ]);
    expect(g.installerUserId).toBe(String(USER_ID));
    expect(g.installerStatus).toEqual({ name: 'Ann Admin', crmAdmin: true });
    expect(await requests()).toEqual(['GET /v2/users/current', 'GET /v2/users']);

    // Cached 5 minutes like the current user; then both are read again.
    now += 4 * 60_000;
    await a.gather(input);
    expect(await requests()).toHaveLength(2);
    now += 2 * 60_000;
    await a.gather(input);
    expect((await requests()).slice(2)).toEqual(['GET /v2/users/current', 'GET /v2/users']);
  });

  it('GEN-EMAIL-1: a user list JobAdder refuses does not stop logging: the token user stands alone', async () => {
    await t.admin.post('/_sandbox/faults', { pathPrefix: '/v2/users?', status: 503 });
    const g = await adapter().gather({
      settings: settings(),
      kind: 'call',
      externalE164: null,
      existing: {},
      linkedRecord: null,
      activityType: 'inbound_answered',
    });
    expect(g.users.map((u) => u.id)).toEqual([String(USER_ID)]);
    expect(g.installerStatus).toEqual({ name: 'Ann Admin', crmAdmin: true });
  });

  it('JA-SMS-1: in conversation mode each record carries its newest conversation note, read fresh every time', async () => {
    const a = adapter();
    const header =
      'Aircall SMS conversation with Claire Dupont\n\n2026-05-01 12:00:00 UTC+02:00 #m-1 SMS received';
    const id = await a.create(note('contact', contactId, header, 'aircall:sms:m-1'), [], 'k1');
    // A "note per SMS" note and a person's note of the same type are not the conversation.
    await a.create(
      note('contact', contactId, 'Aircall SMS with Claire Dupont\n\nline', 'aircall:sms:m-2'),
      [],
      'k2',
    );
    const input = {
      settings: settings({ smsMode: 'conversation' }),
      kind: 'message' as const,
      externalE164: E164,
      existing: {},
      linkedRecord: null,
      activityType: 'sms_inbound',
    };
    const g = await a.gather(input);
    const conv = g.records[0] && readJobadderRecordFacts(g.records[0]).smsConversation;
    expect(conv).toMatchObject({ noteId: id, text: header, reference: 'aircall:sms:m-1' });
    expect(conv?.updatedAt).toBeGreaterThan(0);
    expect(g.records[1] && readJobadderRecordFacts(g.records[1]).smsConversation).toBeNull();

    // Someone changes the note: the next gather sees it (no cache).
    const changed = `${header}\nadded by hand`;
    await fetch(`${t.url}/v2/notes/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: changed }),
    });
    const again = await a.gather(input);
    expect(again.records[0] && readJobadderRecordFacts(again.records[0]).smsConversation?.text).toBe(changed);
  });

  it('JA-SMS-1: an SMS already written into a note that is no longer current gets that note in crmFacts.notes', async () => {
    const a = adapter();
    const old = await a.create(
      note('candidate', candidateId, 'Aircall SMS conversation with Lina\n\nold', 'aircall:sms:a'),
      [],
      'k',
    );
    now += 1000;
    await t.admin.post('/_sandbox/clock', { advanceMs: 1000 });
    await a.create(
      note('candidate', candidateId, 'Aircall SMS conversation with Lina\n\nnew', 'aircall:sms:b'),
      [],
      'k',
    );
    const g = await a.gather({
      settings: settings({ smsMode: 'conversation' }),
      kind: 'message',
      externalE164: E164,
      existing: { activity: { id: old, target: 'jobadder.candidateNote', fields: { candidateId } } },
      linkedRecord: null,
      activityType: 'sms_inbound',
    });
    expect(readJobadderCrmFacts({ crmFacts: g.crmFacts } as never).notes).toEqual([
      expect.objectContaining({ noteId: old, text: 'Aircall SMS conversation with Lina\n\nold' }),
    ]);
  });

  it('an agent-linked record is read by kind and id; a missing one is null', async () => {
    const a = adapter();
    expect(await a.readRecord('candidate', candidateId)).toMatchObject({
      kind: 'candidate',
      name: 'Lina Cand',
    });
    expect(await a.readRecord('contacts', contactId)).toMatchObject({
      kind: 'contact',
      name: 'Claire Dupont',
    });
    expect(await a.readRecord('contact', '987654')).toBeNull();
  });
});

describe('JobadderAdapter writes', () => {
  it('GEN-IDEM-1: create sends the reference and createdBy; recover finds the note by Reference', async () => {
    const a = adapter();
    const write = note('contact', contactId, 'Call note', 'aircall:call:42');
    expect(await a.recover(write, 'key')).toBeNull();
    const id = await a.create(write, [], 'key');
    expect(await a.recover(write, 'key')).toBe(id);
    const stored = t.sim.account('agency-au').notes.get(id);
    expect(stored).toMatchObject({
      text: 'Call note',
      type: 'SMS',
      reference: 'aircall:call:42',
      createdByIntegration: true,
      createdBy: USER_ID,
    });
  });

  it('update PUTs the whole text; the same text again costs no request', async () => {
    const a = adapter();
    const id = await a.create(note('contact', contactId, 'v1', 'aircall:call:43'), [], 'k');
    const update = { ...note('contact', contactId, 'v2', 'aircall:call:43'), op: 'update' as const, id };
    await a.update(update, id, []);
    expect(t.sim.account('agency-au').notes.get(id)?.text).toBe('v2');
    const before = (await requests()).length;
    await a.update(update, id, []);
    expect((await requests()).length).toBe(before);
    // A fresh adapter (another process) knows the text from what the backend recorded.
    const b = adapter();
    await b.gather({
      settings: settings(),
      kind: 'call',
      externalE164: null,
      existing: { activity: { id, target: 'jobadder.contactNote', fields: update.fields } },
      linkedRecord: null,
      activityType: null,
    });
    const mid = (await requests()).length;
    await b.update(update, id, []);
    expect((await requests()).length).toBe(mid);
  });

  it('EXT-FIX-1: a phone rewrite is refused with a clear 501: the contract has no record update', async () => {
    const err = await adapter()
      .updateRecord('contact', contactId, { phone: E164 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 501, code: 'not_supported' });
    expect((err as ApiError).fix).toMatch(/in JobAdder itself/);
  });

  it('outcomes and settings checks: none for JobAdder', async () => {
    expect(await adapter().outcomes()).toEqual([]);
    expect(await adapter().checkSettings()).toBeNull();
    expect(adapter().objectOf('jobadder.candidateNote')).toBe('candidateNote');
  });
});
