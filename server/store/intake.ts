/**
 * Group commit of webhook intake (issue 8: <= 0.2 commits per event at
 * >= 1,000 events/s). A webhook is acknowledged only after its event is
 * committed (STYLE.md 8), but it need not have a commit of its own: events
 * that arrive while a commit is in flight wait for the next one, which takes
 * them all in one transaction. An event arriving when the store is idle is
 * committed at once, so a quiet company waits for one commit, never a timer.
 */
import type { WebhookEvent } from '../../lib/aircall/webhook.ts';
import type { Db } from './db.ts';
import { dedupeKey, type IntakeResult, subjectOf } from './events.ts';
import { enqueueWork, type Subject, type WorkInput } from './work.ts';

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
  /** Commits made, for benchmarks and tests. */
  commits = 0;

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

  private async commit(batch: Pending[]): Promise<IntakeResult[]> {
    const results = await this.db.tx(async (q) => {
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
        return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8})`;
      });
      // ON CONFLICT DO NOTHING also drops a repeat inside the same statement: the first one in is stored.
      const inserted = await q.query<{ company_id: string; dedupe_key: string }>(
        `insert into events (company_id, dedupe_key, event, family, subject_kind, subject_id, body, received_at)
         values ${rows.join(', ')}
         on conflict (company_id, dedupe_key) do nothing returning company_id, dedupe_key`,
        values,
      );
      const fresh = new Set(inserted.map((r) => `${r.company_id}\n${r.dedupe_key}`));
      const out = batch.map((p) => {
        const id = `${p.companyId}\n${p.key}`;
        const stored = fresh.delete(id);
        return { duplicate: !stored, subject: p.subject };
      });
      await this.enqueue(
        q,
        batch.filter((_, i) => !out[i]?.duplicate),
      );
      return out;
    });
    this.commits += 1;
    return results;
  }

  /** Queue work once per (integration, subject) of the new events: the work row is keyed by both. */
  private async enqueue(q: Parameters<Parameters<Db['tx']>[0]>[0], stored: Pending[]): Promise<void> {
    const withSubject = stored.filter((p) => p.subject !== null);
    if (withSubject.length === 0) return;
    const companies = [...new Set(withSubject.map((p) => p.companyId))];
    const integrations = await q.query<{ id: string; company_id: string }>(
      'select id, company_id from integrations where company_id = any($1)',
      [companies],
    );
    const work = new Map<string, WorkInput>();
    for (const p of withSubject) {
      const subject = p.subject as Subject;
      for (const i of integrations.filter((r) => r.company_id === p.companyId)) {
        const key = `${i.id}\n${subject.kind}\n${subject.id}`;
        if (!work.has(key))
          work.set(key, { integrationId: i.id, companyId: p.companyId, subject, now: p.now });
      }
    }
    // One statement for the whole batch (a statement per item cost more than the insert on PGlite).
    await enqueueWork(q, [...work.values()]);
  }
}
