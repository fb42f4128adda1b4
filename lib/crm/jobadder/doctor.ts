/**
 * The doctor's live facts in JobAdder (lib/crm/doctor.ts) over
 * JobadderClient: the account's users (GEN-EMAIL-1), the token's user, who
 * is the installer (`GET /users/current`, GEN-ADM-1), what the connection may
 * read (GEN-DOC-1), and contacts and candidates with a phone (GEN-DOC-3/5).
 */
import type { CrmDoctor, FieldChecks, RecordSample } from '../doctor.ts';
import { VendorError } from '../../http/vendor.ts';
import { type Finding, type InstallerCheck, passed } from '../../logging/doctor.ts';
import type { CrmRecord, CrmUser } from '../../logging/plan-types.ts';
import { toCrmUser, toRecord } from './adapter.ts';
import type { JobadderClient, JobadderRecordKind } from './client.ts';

/** Records asked for per page (JobAdder's own maximum is unverified, API-CONTRACTS 4.3). */
const PAGE = 100;

/**
 * What the connection must be able to read, and the scope that opens it
 * (API-CONTRACTS 4.1 "Scopes we need"). JobAdder's token response does not
 * say which scopes were granted (4.1 lists its fields), so each read is tried:
 * a 403 names the missing scope. Note writes are not tried (a test note would
 * stay in JobAdder); the calls logged prove them.
 */
const READS: { scope: string; what: string; read: (c: JobadderClient) => Promise<unknown> }[] = [
  { scope: 'read_user', what: 'read the current user (GEN-ADM-1)', read: (c) => c.currentUser() },
  {
    scope: 'read_contact',
    what: 'find contacts',
    read: (c) => c.listRecords('contact', { offset: 0, limit: 1 }),
  },
  {
    scope: 'read_candidate',
    what: 'find candidates',
    read: (c) => c.listRecords('candidate', { offset: 0, limit: 1 }),
  },
  { scope: 'read_contact_note', what: "read contacts' note types", read: (c) => c.noteTypes('contact') },
  {
    scope: 'read_candidate_note',
    what: "read candidates' note types",
    read: (c) => c.noteTypes('candidate'),
  },
];

export class JobadderDoctor implements CrmDoctor {
  /** JobAdder's own phone search matches `phone` and `mobile` alike (API-CONTRACTS 4.2, match type Phone|Mobile). */
  readonly primaryPhoneFields = ['phone', 'mobile'];
  readonly phoneRewrite = {
    supported: false,
    reason:
      "This backend's JobAdder connection only reads contacts and candidates and writes notes: API-CONTRACTS 4.2 lists no contact or candidate update.",
    fix: 'Rewrite these numbers in E.164 in JobAdder itself; this product matches the national formats anyway (JA-PHONE-1).',
  } as const;
  private readonly client: JobadderClient;

  constructor(init: { client: JobadderClient }) {
    this.client = init.client;
  }

  async users(): Promise<CrmUser[]> {
    return (await this.client.users()).map(toCrmUser);
  }

  /** The token acts as the user who consented: the installer. */
  async installer(): Promise<InstallerCheck> {
    const u = await this.client.currentUser();
    const user = toCrmUser(u);
    return {
      name: user.name,
      email: u.email,
      exists: !u.deleted && !u.inactive,
      admin: u.admin,
      right: 'Administrator',
    };
  }

  async permissions(): Promise<Finding[]> {
    const refused: typeof READS = [];
    for (const r of READS) {
      try {
        await r.read(this.client);
      } catch (err) {
        if (err instanceof VendorError && err.status === 403) refused.push(r);
        else throw err;
      }
    }
    if (refused.length === 0) {
      return [
        passed(
          'GEN-DOC-1',
          'JobAdder lets the connection read what it needs',
          `Read the current user, contacts, candidates and note types (scopes ${READS.map((r) => r.scope).join(', ')}). JobAdder's API does not say which plan the account is on.`,
        ),
      ];
    }
    return [
      {
        check: 'GEN-DOC-1',
        severity: 'error',
        title: 'JobAdder refuses reads the integration needs',
        detail: `JobAdder answered 403 when the connection tried to ${refused.map((r) => r.what).join(', ')}: the connection lacks ${refused.map((r) => r.scope).join(', ')}, or its user's role may not see them.`,
        fix: 'Reconnect JobAdder (Connections) as an Administrator and accept every permission on the consent page.',
        examples: refused.map((r) => r.scope),
        count: refused.length,
      },
    ];
  }

  /** Contacts, then candidates, in JobAdder's order; those with a phone or mobile are kept. */
  async sampleRecords(max: number): Promise<RecordSample> {
    const records: CrmRecord[] = [];
    const parts: string[] = [];
    let read = 0;
    let truncated = false;
    for (const kind of ['contact', 'candidate'] as JobadderRecordKind[]) {
      if (read >= max) {
        truncated = true;
        break;
      }
      let offset = 0;
      let total: number | null = null;
      while (read < max) {
        const page = await this.client.listRecords(kind, { offset, limit: Math.min(PAGE, max - read) });
        total = page.totalCount;
        read += page.items.length;
        offset += page.items.length;
        records.push(...page.items.filter((p) => p.phone?.trim() || p.mobile?.trim()).map(toRecord));
        if (page.items.length === 0 || (total !== null && offset >= total)) break;
      }
      if (total !== null && offset < total) truncated = true;
      parts.push(`${offset} ${kind}s${total !== null && total > offset ? ` of ${total}` : ''}`);
    }
    return {
      records,
      scope: `Read: ${parts.join(' and ')} in JobAdder's order, ${records.length} with a phone${truncated ? ` (at most ${max} are read)` : ''}.`,
      truncated,
    };
  }

  async fields(): Promise<FieldChecks> {
    return {
      applies: false,
      reason:
        "The integration creates no JobAdder records, only notes on existing contacts and candidates (JA-CALL-1), and JobAdder's API (API-CONTRACTS 4.2) exposes no field requirements, so required fields cannot block it.",
    };
  }
}
