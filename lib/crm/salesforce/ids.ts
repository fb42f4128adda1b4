/**
 * Salesforce record ids come in two forms: 15 characters, case-sensitive
 * (what older links and the UI may show), and 18 characters, the same id with
 * a 3-character case checksum (what the REST API returns, API-CONTRACTS 3.6).
 * The backend stores the 18-character form, so a page URL with the 15-character
 * form is turned into it before it is looked up.
 */
const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character form of a 15- or 18-character id; other input is returned as it is. */
export function salesforceId18(id: string): string {
  if (!/^[A-Za-z0-9]{15}$/.test(id)) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM.charAt(bits);
  }
  return id + suffix;
}
