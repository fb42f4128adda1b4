/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key
 * prefix naming the object, then the record) plus a 3-character checksum that
 * makes the 18-character form case-insensitive (API-CONTRACTS 3.6 for the
 * prefixes; checksum: Salesforce's documented "18-character ID" algorithm
 * [unverified: not in the stored material]).
 */

/** Key prefixes of the objects the simulator serves (API-CONTRACTS 3.6; 006, 00K, 00e, 00D [unverified]). */
export const KEY_PREFIXES = {
  Account: '001',
  Contact: '003',
  Lead: '00Q',
  Case: '500',
  Task: '00T',
  User: '005',
  Opportunity: '006',
  OpportunityContactRole: '00K',
  Profile: '00e',
} as const;

/** The key prefix of organization ids. */
export const ORG_PREFIX = '00D';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3 checksum characters of a 15-character id: one per 5 characters, a bit per upper-case letter. */
export function checksum(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out += CHECKSUM_CHARS.charAt(bits);
  }
  return out;
}

/**
 * The 18-character form of a 15- or 18-character id, or null when it is not a
 * well-formed id (wrong length, characters, or checksum): Salesforce then
 * answers MALFORMED_ID.
 */
export function to18(raw: string): string | null {
  if (!/^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/.test(raw)) return null;
  const id15 = raw.slice(0, 15);
  const sum = checksum(id15);
  if (raw.length === 18 && raw.slice(15).toUpperCase() !== sum) return null;
  return id15 + sum;
}

/** Builds the 18-character id number `n` with a key prefix: `<prefix>Sm0<base62 n>` + checksum. */
export function makeId(prefix: string, n: number): string {
  let digits = '';
  let rest = Math.floor(n);
  do {
    digits = BASE62.charAt(rest % 62) + digits;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  const id15 = `${prefix}Sm0${digits.padStart(9, '0')}`;
  return id15 + checksum(id15);
}

/** True when two ids (15 or 18 characters) name the same record. */
export function sameId(a: string, b: string): boolean {
  const x = to18(a);
  return x !== null && x === to18(b);
}
