/**
 * Group commit of webhook intake (issue 8: <= 0.2 commits per event at
 * >= 1,000 events/s). A webhook is acknowledged only after its event is
 * committed (STYLE.md 8), but it need not have a commit of its own: events
 * that arrive while a commit is in flight wait for the next one, which takes
 * them all in one statement. An event arriving when the store is idle is
 * committed after one turn of the event loop, so a quiet company waits for
 * one commit, never a timer.
 */
import type { WebhookEvent } from '../../lib/aircall/webhook.ts';
import type { Db } from './db.ts';
import { dedupeKey, type IntakeResult, subjectOf } from './events.ts';
import { ON_WORK_CONFLICT, type Subject } from './work.ts';

export interface IntakeInput {
  companyId: string;
  event: WebhookEvent;
  body: Record<string, unknown>;
  now: number;
}

interface Pending extends IntakeInput {
  key: string;
  subject: Subject | null;
  resolve(r: IntakeResult): void;
  reject(err: unknown): void;
}

/** Most events in one commit: bounds the statement's size and the wait of the first in line. */
const MAX_BATCH = 500;

export class IntakeBatcher {
  private readonly db: Db;
  private queue: Pending[] = [];
  private committing = false;

  constructor(db: Db) {
    this.db = db;
  }

  /** Store one event (dropping a repeated delivery, GEN-IDEM-1); resolves once it is committed. */
  record(input: IntakeInput): Promise<IntakeResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        ...input,
        key: dedupeKey(input.body),
        subject: subjectOf(input.event),
        resolve,
        reject,
      });
      if (!this.committing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.committing = true;
    try {
      while (this.queue.length > 0) {
        // One turn of the event loop first, so requests already received join this commit. On
        // the embedded store a commit never yields to I/O (PGlite runs in this thread), so without
        // it each event arriving at an idle store would commit alone (issue 8: 1.01 commits per
        // event at 1,000/s). When idle this costs one loop turn, not a timer.
        await new Promise<void>((r) => setImmediate(r));
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const results = await this.commit(batch);
          batch.forEach((p, i) => p.resolve(results[i] as IntakeResult));
        } catch (err) {
          // Nothing of the batch was stored: every sender gets the error and Aircall redelivers.
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.committing = false;
    }
  }

  /**
   * The batch in one statement, so one round trip and one commit (issue 8:
   * intake latency on PostgreSQL, 5 round trips as a transaction): store the
   * events (ON CONFLICT DO NOTHING also drops a repeat inside the statement:
   * the first one in is stored), then queue work once per (integration,
   * subject) of the events stored. A statement is atomic: all of it or none.
   */
  private async commit(batch: Pending[]): Promise<IntakeResult[]> {
    const values: unknown[] = [];
    const rows = batch.map((p, i) => {
      values.push(
        p.companyId,
        p.key,
        p.event.event,
        p.event.family,
        p.subject?.kind ?? null,
        p.subject?.id ?? null,
        p.body,
        p.now,
      );
      const o = i * 8;
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}::jsonb, $${o + 8}::bigint)`;
    });
    const inserted = await this.db.query<{ company_id: string; dedupe_key: string }>(
      `with stored as (
         insert into events (company_id, dedupe_key, event, family, subject_kind, subject_id, body, received_at)
         values ${rows.join(', ')}
         on conflict (company_id, dedupe_key) do nothing
         returning company_id, dedupe_key, subject_kind, subject_id, received_at
       ), queued as (
         insert into work (integration_id, subject_kind, subject_id, company_id, state, version, run_after, updated_at, backfill)
         select distinct on (i.id, s.subject_kind, s.subject_id)
                i.id, s.subject_kind, s.subject_id, s.company_id, 'pending', 1, s.received_at, s.received_at, null::jsonb
           from stored s join integrations i on i.company_id = s.company_id
          where s.subject_kind is not null
          order by i.id, s.subject_kind, s.subject_id, s.received_at
         ${ON_WORK_CONFLICT}
       )
       select company_id, dedupe_key from stored`,
      values,
    );
    const fresh = new Set(inserted.map((r) => `${r.company_id}\n${r.dedupe_key}`));
    return batch.map((p) => ({ duplicate: !fresh.delete(`${p.companyId}\n${p.key}`), subject: p.subject }));
  }
}
