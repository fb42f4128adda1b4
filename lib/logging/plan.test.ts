/**
 * The rules of SPEC section 3 that the generic planner decides, proven for
 * every CRM through `planCall` / `planMessage`.
 */
import { describe, expect, it } from 'vitest';
import {
  CALLER_E164,
  callState,
  crmRecord,
  messageState,
  plannerContext,
  SUPPORT_NUMBER,
  T0,
} from '../../test/support/build.ts';
import { planCall, planMessage } from './plan.ts';
import { CRMS, type Crm } from './plan-types.ts';
import { type IntegrationSettingsInput, integrationSettingsSchema } from './settings-union.ts';

const RECORD_KIND: Record<Crm, string> = { hubspot: 'contact', salesforce: 'Contact', jobadder: 'contact' };

function settingsFor(crm: Crm, extra: Partial<IntegrationSettingsInput> = {}) {
  return integrationSettingsSchema.parse({
    crm,
    connectedNumbers: [SUPPORT_NUMBER.id],
    defaultCountry: 'FR',
    ...extra,
  });
}

function ctxFor(crm: Crm, overrides: Parameters<typeof plannerContext>[0] = {}) {
  return plannerContext({ records: [crmRecord({ kind: RECORD_KIND[crm] })], ...overrides });
}

const rules = (plan: { trace: { rule: string; outcome: string }[] }) =>
  plan.trace.map((s) => `${s.rule}:${s.outcome}`);

describe.each(CRMS)('generic rules on %s', (crm) => {
  it('GEN-ACT-1: an inactive integration logs nothing, calls and SMS alike', () => {
    const settings = settingsFor(crm, { active: false });
    const call = planCall(settings, callState(), ctxFor(crm));
    const sms = planMessage(settings, messageState(), ctxFor(crm));
    for (const plan of [call, sms]) {
      expect(plan.outcome).toBe('nothing');
      expect(plan.writes).toEqual([]);
      expect(rules(plan)).toContain('GEN-ACT-1:stopped');
    }
  });

  it('GEN-ADM-1: an integration made inactive because the installer lost admin rights says why in the trace', () => {
    const reason =
      'the installer Ines is no longer an admin in the CRM; an admin of both must reconnect the integration';
    const plan = planCall(
      settingsFor(crm, { active: false, inactiveReason: reason }),
      callState(),
      ctxFor(crm),
    );
    expect(plan.outcome).toBe('nothing');
    expect(plan.trace.find((s) => s.rule === 'GEN-ACT-1')?.detail).toContain(reason);
  });

  it('GEN-ACT-1: an active integration logs a matched answered call', () => {
    const plan = planCall(settingsFor(crm), callState(), ctxFor(crm));
    expect(plan.outcome).toBe('write');
    expect(plan.recordId).toBe('rec-1');
    expect(rules(plan)).toContain('GEN-ACT-1:applied');
  });

  it('GEN-ACT-2: a call made while the integration was inactive is not logged after reactivation', () => {
    const settings = settingsFor(crm, { activatedAt: (T0 + 60) * 1000 });
    const plan = planCall(settings, callState(), ctxFor(crm));
    expect(plan.outcome).toBe('nothing');
    expect(rules(plan)).toContain('GEN-ACT-2:stopped');
  });

  it('GEN-ACT-2b: an admin backfill of the window logs it', () => {
    const settings = settingsFor(crm, { activatedAt: (T0 + 60) * 1000 });
    const plan = planCall(
      settings,
      callState(),
      ctxFor(crm, { backfill: { from: (T0 - 60) * 1000, to: (T0 + 60) * 1000 } }),
    );
    expect(plan.outcome).toBe('write');
    expect(rules(plan)).toContain('GEN-ACT-2b:applied');
    const outside = planCall(
      settings,
      callState(),
      ctxFor(crm, { backfill: { from: 0, to: (T0 - 1) * 1000 } }),
    );
    expect(outside.outcome).toBe('nothing');
  });

  it('GEN-NUM-1: only calls and SMS on connected numbers are logged, and the set can change', () => {
    const unconnected = settingsFor(crm, { connectedNumbers: [2] });
    expect(planCall(unconnected, callState(), ctxFor(crm)).outcome).toBe('nothing');
    expect(rules(planMessage(unconnected, messageState(), ctxFor(crm)))).toContain('GEN-NUM-1:stopped');
    const reconnected = settingsFor(crm, { connectedNumbers: [2, SUPPORT_NUMBER.id] });
    expect(planCall(reconnected, callState(), ctxFor(crm)).outcome).toBe('write');
  });

  it('GEN-NUM-2: a call through an IVR is logged only when the IVR and its destination are both connected', () => {
    const ivrCall = callState({ number: { ...SUPPORT_NUMBER, id: 5, isIvr: true } });
    const route = { ivrRoute: { ivrNumberId: 5, destinationNumberId: 6 } };
    const onlyIvr = planCall(settingsFor(crm, { connectedNumbers: [5] }), ivrCall, ctxFor(crm, route));
    expect(onlyIvr.outcome).toBe('nothing');
    expect(onlyIvr.trace.find((s) => s.rule === 'GEN-NUM-2')?.detail).toContain('6 is not');
    const both = planCall(settingsFor(crm, { connectedNumbers: [5, 6] }), ivrCall, ctxFor(crm, route));
    expect(both.outcome).toBe('write');
    expect(rules(both)).toContain('GEN-NUM-2:applied');
  });

  it('GEN-PHONE-1: a CRM number stored in national format matches with the default country', () => {
    const ctx = ctxFor(crm, {
      records: [crmRecord({ kind: RECORD_KIND[crm], phones: [{ field: 'phone', value: '06 12 34 56 78' }] })],
    });
    const plan = planCall(settingsFor(crm), callState(), ctx);
    expect(plan.recordId).toBe('rec-1');
    expect(plan.trace.find((s) => s.rule === 'GEN-PHONE-1')?.detail).toContain(CALLER_E164);
  });

  it('GEN-PHONE-1: an unreadable stored number is reported in the trace and never matched', () => {
    const ctx = ctxFor(crm, {
      records: [crmRecord({ kind: RECORD_KIND[crm], phones: [{ field: 'phone', value: 'see notes' }] })],
    });
    const plan = planCall(settingsFor(crm), callState(), ctx);
    expect(plan.recordId).not.toBe('rec-1');
    expect(plan.trace.some((s) => s.rule === 'GEN-PHONE-1' && s.detail.includes('could not be read'))).toBe(
      true,
    );
  });

  it('GEN-PHONE-1: an anonymous caller is matched to no record', () => {
    const plan = planCall(settingsFor(crm), callState({ rawDigits: 'anonymous' }), ctxFor(crm));
    expect(plan.recordId).not.toBe('rec-1');
    expect(plan.trace.find((s) => s.rule === 'GEN-PHONE-1')?.detail).toContain('withheld');
  });

  it('GEN-PHONE-2: the number is found in a secondary phone field', () => {
    const field = { hubspot: 'mobilephone', salesforce: 'AssistantPhone', jobadder: 'mobile' }[crm];
    const ctx = ctxFor(crm, {
      records: [
        crmRecord({
          kind: RECORD_KIND[crm],
          phones: [
            { field: 'phone', value: '+33 1 00 00 00 00' },
            { field, value: '+33 6 12 34 56 78' },
          ],
        }),
      ],
    });
    const plan = planCall(settingsFor(crm), callState(), ctx);
    expect(plan.recordId).toBe('rec-1');
    expect(plan.trace.find((s) => s.rule === 'GEN-PHONE-2')?.detail).toContain(field);
  });

  it('EXT-LINK-1: a call an agent linked to a record is logged there as if it had matched', () => {
    const linked = crmRecord({ id: 'rec-linked', kind: RECORD_KIND[crm], phones: [] });
    const plan = planCall(settingsFor(crm), callState(), ctxFor(crm, { records: [], linkedRecord: linked }));
    expect(plan.recordId).toBe('rec-linked');
    expect(plan.unmatched).toBe(false);
    expect(rules(plan)).toContain('EXT-LINK-1:applied');
  });

  it('GEN-TRACE-1: the trace ends with what is written, or why nothing is', () => {
    const written = planCall(settingsFor(crm), callState(), ctxFor(crm));
    const last = written.trace.at(-1);
    expect(last?.rule).toBe('GEN-TRACE-1');
    expect(last?.detail).toMatch(/^Written: create /);
    const notWritten = planCall(settingsFor(crm, { connectedNumbers: [] }), callState(), ctxFor(crm));
    expect(notWritten.trace.at(-1)?.detail).toBe('Nothing written: see GEN-NUM-1.');
  });

  it('GEN-DOC-6: the trace of a call that was not logged names the rule that stopped it and the fix', () => {
    const plan = planCall(settingsFor(crm, { connectedNumbers: [2] }), callState(), ctxFor(crm));
    const stop = plan.trace.find((s) => s.outcome === 'stopped');
    expect(stop?.rule).toBe('GEN-NUM-1');
    expect(stop?.detail).toContain("connect it in the integration's numbers");
  });

  it('GEN-DOC-3: the trace of a call names the stored numbers that could not be read, with the fix', () => {
    const ctx = ctxFor(crm, {
      records: [crmRecord({ kind: RECORD_KIND[crm], phones: [{ field: 'phone', value: 'ask reception' }] })],
    });
    const step = planCall(settingsFor(crm), callState(), ctx).trace.find((s) =>
      s.detail.includes('could not be read'),
    );
    expect(step?.detail).toContain('rec-1.phone="ask reception"');
    expect(step?.detail).toContain('rewrite them in E.164');
  });

  it('GEN-DOC-4: the trace of a call through an IVR whose destination is not connected says which number to connect', () => {
    const ivrCall = callState({ number: { ...SUPPORT_NUMBER, id: 5, isIvr: true } });
    const plan = planCall(settingsFor(crm, { connectedNumbers: [5] }), ivrCall, {
      ...ctxFor(crm),
      ivrRoute: { ivrNumberId: 5, destinationNumberId: 6 },
    });
    expect(plan.trace.find((s) => s.outcome === 'stopped')).toMatchObject({ rule: 'GEN-NUM-2' });
  });

  it('GEN-DOC-5: the trace says in which secondary field the number was found', () => {
    const field = { hubspot: 'mobilephone', salesforce: 'OtherPhone', jobadder: 'mobile' }[crm];
    const ctx = ctxFor(crm, {
      records: [crmRecord({ kind: RECORD_KIND[crm], phones: [{ field, value: CALLER_E164 }] })],
    });
    const step = planCall(settingsFor(crm), callState(), ctx).trace.find((s) => s.rule === 'GEN-PHONE-2');
    expect(step?.detail).toContain(`(${field})`);
  });

  it('GEN-TRACE-1: same inputs, same plan', () => {
    const a = planCall(settingsFor(crm), callState(), ctxFor(crm));
    const b = planCall(settingsFor(crm), callState(), ctxFor(crm));
    expect(b).toEqual(a);
  });
});
