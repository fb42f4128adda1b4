import { describe, expect, it } from 'vitest';
import { e164Digits, isE164, toE164 } from './e164.ts';
import { matchRecordsByPhone, phoneFixesFor } from './match.ts';

const record = (phones: Record<string, string>, id = 'r1') => ({
  id,
  kind: 'contact',
  name: 'Claire',
  phones: Object.entries(phones).map(([field, value]) => ({ field, value })),
  ownerId: null,
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('toE164', () => {
  it.each([
    ['+33 6 12 34 56 78', 'FR', '+33612345678'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['0033 6 12 34 56 78', 'FR', '+33612345678'],
    ['(0)6-12-34-56-78', 'FR', '+33612345678'],
    ['030 1234567', 'DE', '+49301234567'],
    ['+1 800-123-4567', 'FR', '+18001234567'],
    ['(415) 555-0132', 'US', '+14155550132'],
    ['0412 345 678', 'AU', '+61412345678'],
  ])('GEN-PHONE-1: %s with default country %s is %s', (input, country, e164) => {
    expect(toE164(input, country)).toMatchObject({ ok: true, e164 });
  });

  it('GEN-PHONE-1: an unreadable number is reported as such, with what to do', () => {
    const r = toE164('call me maybe', 'FR');
    expect(r).toMatchObject({ ok: false, reason: 'unparsable' });
    expect(!r.ok && r.message).toContain('E.164');
    expect(toE164('12', 'FR')).toMatchObject({ ok: false, reason: 'unparsable' });
    expect(toE164('anonymous', 'FR')).toMatchObject({ ok: false, reason: 'anonymous' });
    expect(toE164('', 'FR')).toMatchObject({ ok: false, reason: 'empty' });
    expect(toE164(null, 'FR')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('tells E.164 apart and strips the plus for Salesforce fields', () => {
    expect(isE164('+33612345678')).toBe(true);
    expect(isE164('+33 6 12 34 56 78')).toBe(false);
    expect(e164Digits('+18882406923')).toBe('18882406923');
  });
});

describe('matchRecordsByPhone', () => {
  it('GEN-PHONE-2: every phone field of a record is compared, in any format', () => {
    const records = [
      record({ phone: '+1 415 555 0100', mobilephone: '06 12 34 56 78' }, 'a'),
      record({ phone: '+33612345678' }, 'b'),
      record({ phone: '+33 6 99 99 99 99' }, 'c'),
    ];
    const { matches } = matchRecordsByPhone('+33612345678', records, 'FR');
    expect(matches.map((m) => [m.record.id, m.fields])).toEqual([
      ['a', ['mobilephone']],
      ['b', ['phone']],
    ]);
  });

  it('GEN-PHONE-1: an unreadable stored number is reported, never matched', () => {
    const { matches, unreadable } = matchRecordsByPhone(
      '+33612345678',
      [record({ phone: 'ask reception' })],
      'FR',
    );
    expect(matches).toEqual([]);
    expect(unreadable).toEqual([
      expect.objectContaining({ recordId: 'r1', field: 'phone', value: 'ask reception' }),
    ]);
  });

  it('EXT-FIX-1: lists the values not in E.164 with their rewrite', () => {
    expect(
      phoneFixesFor(record({ phone: '+33612345678', mobilephone: '06 12 34 56 79', other: 'n/a' }), 'FR'),
    ).toEqual([
      { field: 'mobilephone', value: '06 12 34 56 79', e164: '+33612345679' },
      expect.objectContaining({ field: 'other', value: 'n/a', e164: null }),
    ]);
  });
});
