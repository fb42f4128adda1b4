import { describe, expect, it } from 'vitest';
import type { CrmRecord } from '../../lib/logging/plan-types.ts';
import { placeNumber } from './record-number.ts';

const record = (kind: string, phones: Record<string, string>): CrmRecord => ({
  id: '1',
  kind,
  name: 'R',
  phones: Object.entries(phones).map(([field, value]) => ({ field, value })),
  ownerId: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('placeNumber (EXT-LINK-1: the number added to the linked record)', () => {
  it('EXT-LINK-1: goes into the first empty phone field of the kind, in order', () => {
    expect(placeNumber('hubspot', record('contact', {}), '+33612345678', 'FR')).toEqual({
      kind: 'write',
      field: 'phone',
    });
    expect(
      placeNumber('hubspot', record('contact', { phone: '01 23 45 67 89' }), '+33612345678', 'FR'),
    ).toEqual({ kind: 'write', field: 'mobilephone' });
    expect(
      placeNumber('salesforce', record('Lead', { Phone: '+33123456789' }), '+33612345678', 'FR'),
    ).toEqual({
      kind: 'write',
      field: 'MobilePhone',
    });
  });

  it('EXT-LINK-1 / GEN-PHONE-2: a field holding the number in any format means nothing to write', () => {
    expect(
      placeNumber('salesforce', record('Contact', { MobilePhone: '06 12 34 56 78' }), '+33612345678', 'FR'),
    ).toEqual({ kind: 'present', field: 'MobilePhone' });
  });

  it('EXT-LINK-1: every field taken, or a kind without phone fields, is said as such', () => {
    expect(
      placeNumber('salesforce', record('Account', { Phone: '+33123456789' }), '+33612345678', 'FR'),
    ).toEqual({ kind: 'full', fields: ['Phone'] });
    expect(placeNumber('hubspot', record('deal', {}), '+33612345678', 'FR')).toEqual({ kind: 'unsupported' });
  });
});
