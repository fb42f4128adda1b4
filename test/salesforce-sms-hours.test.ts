/**
 * End to end: SMS as Salesforce Tasks (SF-SMS-1, with SF-STAT-1 per
 * direction), business hours for calls only (SF-HOURS-1), and Person
 * Accounts in the matching order (SF-MATCH-1) on an org that has them. SMS
 * and calls are played through the Aircall simulator; Tasks are read back
 * with SOQL through Salesforce's REST API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../lib/aircall/scenarios.ts';
import { STORES } from './support/world.ts';
import { type SalesforceWorld, salesforceWorld } from './support/salesforce.ts';

/** UNIX seconds of the Monday of the week before last, at `hourUtc` (Paris is UTC+1 or +2). */
function mondayAt(hourUtc: number): number {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - 7 - ((d.getUTCDay() + 6) % 7));
  d.setUTCHours(hourUtc, 0, 0, 0);
  return Math.floor(d.getTime() / 1000);
}

describe.each(STORES)(
  'Salesforce SMS, business hours and Person Accounts (%s store)',
  { timeout: 60_000 },
  (store) => {
    let s: SalesforceWorld;

    beforeAll(async () => {
      // Person Accounts on before the adapter first reads the org (it caches the describes for 5 minutes).
      s = await salesforceWorld({ store, n: 33, org: { personAccounts: true } });
    }, 120_000);
    afterAll(async () => s?.w.close());

    async function sms(message: Record<string, unknown>): Promise<string> {
      const played = await s.w.play({ message });
      await s.settled();
      return String(played.messageId);
    }

    // ---- SF-SMS-1 ----

    it("SF-SMS-1: an inbound SMS is a Task 'SMS received from <record> to <number>', the text as Description, the record owner's", async () => {
      await s.settings();
      const id = await sms({
        direction: 'inbound',
        external: '+33 6 12 34 56 78',
        body: 'Bonjour, pouvez-vous me rappeler ?',
      });
      const [task, ...more] = await s.tasksOf(`message:${id}`);
      expect(more).toEqual([]);
      expect(task).toMatchObject({
        Subject: 'SMS received from Claire Dupont to Support FR',
        Description: 'Bonjour, pouvez-vous me rappeler ?',
        TaskSubtype: 'Task',
        Status: 'Completed',
        WhoId: s.sf.claire,
        OwnerId: s.sf.bob,
        aircall__Phone_number__c: '33176360695',
        aircall__Country__c: 'France',
      });
      const log = await s.messageLogging(id);
      expect(log.outcome).toBe('write');
      expect(s.step(log.trace, 'SF-SMS-1')[0]).toMatchObject({ outcome: 'applied' });
    });

    it("SF-SMS-1: an outbound SMS is 'SMS sent from <agent> via <number> to <record>', owned by the agent", async () => {
      await s.settings();
      const id = await sms({
        direction: 'outbound',
        external: '+33 6 12 34 56 78',
        body: 'Je vous rappelle demain à 10 h.',
        user: ALICE,
      });
      expect(await s.tasksOf(`message:${id}`)).toEqual([
        expect.objectContaining({
          Subject: 'SMS sent from Alice Martin via Support FR to Claire Dupont',
          Description: 'Je vous rappelle demain à 10 h.',
          WhoId: s.sf.claire,
          OwnerId: s.sf.alice,
        }),
      ]);
    });

    it('SF-SMS-1 / SF-STAT-1: per direction, an open Task or none; SMS logging off writes nothing', async () => {
      await s.settings({ taskStatus: { sms_inbound: 'nothing', sms_outbound: 'open' } });
      const inbound = await sms({ direction: 'inbound', external: '+33 6 12 34 56 78', body: 'Silence' });
      const outbound = await sms({
        direction: 'outbound',
        external: '+33 6 12 34 56 78',
        body: 'Open one',
        user: ALICE,
      });
      expect(await s.tasksOf(`message:${inbound}`)).toEqual([]);
      expect(s.step((await s.messageLogging(inbound)).trace, 'SF-STAT-1')[0]?.outcome).toBe('stopped');
      expect(await s.tasksOf(`message:${outbound}`)).toEqual([
        expect.objectContaining({ Status: 'In Progress', IsClosed: false }),
      ]);

      await s.settings({ logSms: false });
      const off = await sms({ direction: 'inbound', external: '+33 6 12 34 56 78', body: 'Not logged' });
      expect(await s.tasksOf(`message:${off}`)).toEqual([]);
      const offTrace = await s.messageLogging(off);
      expect(offTrace.outcome).toBe('nothing');
      expect(s.step(offTrace.trace, 'SF-SMS-1')).toEqual([
        expect.objectContaining({
          outcome: 'stopped',
          detail: 'SMS logging is turned off for this integration.',
        }),
      ]);
    });

    // ---- SF-HOURS-1 ----

    it('SF-HOURS-1: "only during business hours": a call outside them is not logged, one inside is', async () => {
      await s.settings({ onlyBusinessHours: true });
      const call = (callId: number, startedAt: number) =>
        s.w.play({
          call: {
            callId,
            direction: 'inbound',
            external: '+33 6 12 34 56 78',
            startedAt,
            answerAfter: 5,
            talk: 60,
            user: ALICE,
          },
        });
      await call(3301, mondayAt(20)); // Monday 21:00 or 22:00 in Paris: closed
      await call(3302, mondayAt(11)); // Monday 12:00 or 13:00 in Paris: open
      await s.settled();
      const outside = await s.logging(3301);
      expect(outside).toMatchObject({ outcome: 'nothing', written: {} });
      expect(s.step(outside.trace, 'SF-HOURS-1')).toEqual([
        expect.objectContaining({
          outcome: 'stopped',
          detail: expect.stringContaining("outside the number's business hours"),
        }),
      ]);
      expect(await s.tasksOf('3301')).toEqual([]);
      expect(await s.tasksOf('3302')).toEqual([expect.objectContaining({ WhoId: s.sf.claire })]);
    });

    it('SF-HOURS-1: business hours apply to calls, not to SMS: an SMS outside them is logged', async () => {
      await s.settings({ onlyBusinessHours: true });
      const id = await sms({
        direction: 'inbound',
        external: '+33 6 12 34 56 78',
        body: 'Sent at night',
        at: mondayAt(20) * 1000,
      });
      expect(await s.tasksOf(`message:${id}`)).toEqual([
        expect.objectContaining({ Subject: 'SMS received from Claire Dupont to Support FR' }),
      ]);
      expect(s.step((await s.messageLogging(id)).trace, 'SF-HOURS-1')[0]).toMatchObject({
        outcome: 'skipped',
        detail: expect.stringContaining('Business hours apply to calls only'),
      });
    });

    it('SF-HOURS-1: off (the default), calls are logged whatever the hours', async () => {
      await s.settings({ onlyBusinessHours: false });
      await s.playCall({
        callId: 3303,
        direction: 'inbound',
        external: '+33 6 12 34 56 78',
        startedAt: mondayAt(20),
        answerAfter: 5,
        talk: 60,
        user: ALICE,
      });
      expect(await s.tasksOf('3303')).toHaveLength(1);
    });

    // ---- SF-MATCH-1 with Person Accounts ----

    it('SF-MATCH-1: a business Account before a Person Account; a Person Account alone takes the Task (WhatId)', async () => {
      await s.settings();
      const ids = await s.seed({
        records: {
          Account: [
            { FirstName: 'Paula', LastName: 'Person', PersonMobilePhone: '+33640000331' },
            { Name: 'Bizco', Phone: '+33 6 40 00 03 31' },
            { FirstName: 'Pia', LastName: 'Alone', PersonMobilePhone: '06 40 00 03 32' },
          ],
        },
      });
      const [paula, bizco, pia] = ids.Account ?? [];
      await s.w.play({
        call: {
          callId: 3310,
          direction: 'inbound',
          external: '+33 6 40 00 03 31',
          answerAfter: 3,
          talk: 30,
          user: ALICE,
        },
      });
      await s.w.play({
        call: {
          callId: 3311,
          direction: 'inbound',
          external: '+33 6 40 00 03 32',
          answerAfter: 3,
          talk: 30,
          user: ALICE,
        },
      });
      await s.settled();
      expect(await s.task(3310)).toMatchObject({
        WhatId: bizco,
        WhoId: null,
        Subject: 'Inbound call from Bizco on Support FR',
      });
      expect(s.step((await s.logging(3310)).trace, 'SF-MATCH-1')[0]?.detail).toMatch(
        /^2 records hold the number; Account/,
      );
      expect(await s.task(3311)).toMatchObject({
        WhatId: pia,
        WhoId: null,
        Subject: 'Inbound call from Pia Alone on Support FR',
      });
      const pa = await s.logging(3311);
      expect(pa.recordId).toBe(pia);
      expect(s.step(pa.trace, 'SF-CASE-2')[0]?.detail).toContain('on a PersonAccount');
      expect(paula).toMatch(/^001/);
    });

    it('SF-MATCH-1: a Contact before a Person Account', async () => {
      await s.settings();
      const ids = await s.seed({
        records: {
          Account: [{ FirstName: 'Pierre', LastName: 'Person', PersonMobilePhone: '+33640000333' }],
          Contact: [{ FirstName: 'Camille', LastName: 'Contact', Phone: '+33640000333' }],
        },
      });
      await s.playCall({
        callId: 3312,
        direction: 'inbound',
        external: '+33 6 40 00 03 33',
        answerAfter: 3,
        talk: 30,
        user: ALICE,
      });
      expect(await s.task(3312)).toMatchObject({
        WhoId: ids.Contact?.[0],
        Subject: 'Inbound call from Camille Contact on Support FR',
      });
    });
  },
);
