import { describe, expect, it } from 'vitest';
import { salesforceId18 } from './ids.ts';

describe('salesforceId18', () => {
  it('adds the case checksum to a 15-character id', () => {
    // A 15/18 pair as Salesforce's CASESAFEID() gives it.
    expect(salesforceId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(salesforceId18('00Q000000000002')).toBe('00Q000000000002EAA');
  });
  it('leaves an 18-character id and anything else as it is', () => {
    expect(salesforceId18('003000000000001AAA')).toBe('003000000000001AAA');
    expect(salesforceId18('not an id')).toBe('not an id');
  });
});
