import { describe, expect, it } from 'vitest';
import { callState, missedCall, outboundCall } from '../../test/support/build.ts';
import { classifyCall, outboundFailureOf } from './classify.ts';

describe('classifyCall', () => {
  it.each([
    ['outbound answered', outboundCall(), 'outbound_answered'],
    ['outbound unanswered', outboundCall({}, false), 'outbound_unanswered'],
    ['inbound answered', callState(), 'inbound_answered'],
    ['missed without voicemail', missedCall(), 'missed_no_voicemail'],
    ['missed with voicemail', missedCall({}, true), 'missed_voicemail'],
  ])('%s is %s', (_, call, type) => {
    expect(classifyCall(call).type).toBe(type);
  });

  it('HS-OUT-2: busy and wrong number are read from hangup_cause, anything else is plain unanswered', () => {
    expect(outboundFailureOf('USER_BUSY')).toBe('busy');
    expect(outboundFailureOf('user-busy')).toBe('busy');
    expect(outboundFailureOf('486')).toBe('busy');
    expect(outboundFailureOf('UNALLOCATED_NUMBER')).toBe('wrong_number');
    expect(outboundFailureOf('invalid number format')).toBe('wrong_number');
    expect(outboundFailureOf('NORMAL_CLEARING')).toBeNull();
    expect(outboundFailureOf(null)).toBeNull();
    expect(classifyCall(outboundCall({ hangupCause: 'USER_BUSY' }, false)).outboundFailure).toBe('busy');
    // An answered call is answered whatever the hang-up cause says.
    expect(classifyCall(outboundCall({ hangupCause: 'USER_BUSY' })).outboundFailure).toBeNull();
  });

  it('tells a conference from a transfer', () => {
    const external = { type: 'external', id: null, name: null, phoneNumber: '+33612345678' };
    const user = (id: number) => ({ type: 'user', id, name: `u${id}`, phoneNumber: null });
    expect(classifyCall(callState({ participants: [external, user(1), user(2)] })).conference).toBe(true);
    expect(
      classifyCall(
        callState({
          participants: [external, { ...external, phoneNumber: '+33699999999' }, user(1)],
        }),
      ).conference,
    ).toBe(true);
    const transferred = callState({
      participants: [external, user(1), user(2)],
      transfers: [{ kind: 'user', at: 1, by: null, to: null, toNumber: null }],
    });
    expect(classifyCall(transferred).conference).toBe(false);
    expect(classifyCall(callState({ participants: [external, user(1)] })).conference).toBe(false);
  });

  it('GEN-NUM-2: an inbound call on an IVR number is marked as through an IVR', () => {
    const call = callState({
      number: { id: 5, name: 'IVR', digits: null, country: 'FR', timeZone: null, isIvr: true, open: true },
    });
    expect(classifyCall(call).viaIvr).toBe(true);
  });

  it('knows when the call is over and when its data is complete', () => {
    expect(
      classifyCall(
        callState({ events: ['call.created', 'call.answered'], endedAt: null, status: 'answered' }),
      ),
    ).toMatchObject({ over: false, ended: false });
    expect(classifyCall(callState({ events: ['call.created', 'call.hungup'] }))).toMatchObject({
      over: true,
      ended: false,
    });
    expect(classifyCall(callState())).toMatchObject({ over: true, ended: true });
  });
});
