/**
 * The webhook token check, with each company's token hash remembered by this
 * process (issue 8 Speed: webhook intake). Reading the company row for every
 * event cost a query per event: on PostgreSQL a transaction of its own (1.39
 * commits per event at 1,000/s), on the embedded store a turn on its single
 * connection that queued behind the intake's commits.
 *
 * Only a match is taken from memory: a token that does not match the
 * remembered hash is checked against the store again, so a token rotated by
 * reconnecting Aircall (admin `connectAircall`) works at once on every
 * instance. A remembered hash expires after FRESH_MS, so a token replaced on
 * another instance stops being accepted here within that time; in this
 * process `forget` drops it at once. Aircall deletes the old webhook when it
 * is replaced, so nothing is normally sent with the old token meanwhile.
 */
import type { Clock } from '../clock.ts';
import { getCompany } from '../store/companies.ts';
import type { Queryable } from '../store/db.ts';
import { sameSecret } from '../store/secrets.ts';

export type TokenCheck = 'ok' | 'unknown_company' | 'bad_token';

/** How long a remembered hash is trusted without reading the store again. */
const FRESH_MS = 10_000;

export class WebhookTokens {
  private readonly known = new Map<string, { hash: string; at: number }>();
  private readonly db: Queryable;
  private readonly clock: Clock;

  constructor(db: Queryable, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Whether `token` is the webhook token of `companyId` (unknown companies first, as the route answers 404). */
  async check(companyId: string, token: unknown): Promise<TokenCheck> {
    const given = typeof token === 'string' ? token : null;
    const cached = this.known.get(companyId);
    const age = cached ? this.clock.now() - cached.at : Infinity;
    // A clock set back (tests' settable clock) gives a negative age: read the store again.
    if (cached && given !== null && age >= 0 && age < FRESH_MS && sameSecret(given, cached.hash)) return 'ok';
    const company = await getCompany(this.db, companyId);
    const hash = company?.webhook_token_hash ?? null;
    if (hash === null) this.known.delete(companyId);
    else this.known.set(companyId, { hash, at: this.clock.now() });
    if (!company) return 'unknown_company';
    return given !== null && hash !== null && sameSecret(given, hash) ? 'ok' : 'bad_token';
  }

  /** Drop what is remembered of a company (its connections changed). */
  forget(companyId: string): void {
    this.known.delete(companyId);
  }
}
