/**
 * Webhook intake in the store: one transaction stores the event (dropping a
 * repeated delivery by its content key, GEN-IDEM-1) and queues work for each
 * integration of the company. The route answers 200 only after it commits.
 */
import { canonicalJson } from '../../lib/aircall/fold.ts';
import { callIdOf, type WebhookEvent } from '../../lib/aircall/webhook.ts';
import type { Db, Queryable } from './db.ts';
import { sha256 } from './secrets.ts';
import { enqueueWork, type Subject } from './work.ts';

/** The call or message an event is about, if any. */
export function subjectOf(event: WebhookEvent): Subject | null {
  const callId = callIdOf(event);
  if (callId !== null) return { kind: 'call', id: String(callId) };
  if (event.family === 'message') return { kind: 'message', id: String(event.data.id) };
  return null;
}

/** Two deliveries of the same event have the same key; the token is left out (it is not part of the event). */
export function dedupeKey(body: Record<string, unknown>): string {
  const { token: _token, ...rest } = body;
  return sha256(canonicalJson(rest));
}

export interface IntakeResult {
  duplicate: boolean;
  subject: Subject | null;
}

export async function recordEvent(
  db: Db,
  input: { companyId: string; event: WebhookEvent; body: Record<string, unknown>; now: number },
): Promise<IntakeResult> {
  const subject = subjectOf(input.event);
  return db.tx(async (q) => {
    const inserted = await q.query(
      `insert into events (company_id, dedupe_key, event, family, subject_kind, subject_id, body, received_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (company_id, dedupe_key) do nothing returning id`,
      [
        input.companyId,
        dedupeKey(input.body),
        input.event.event,
        input.event.family,
        subject?.kind ?? null,
        subject?.id ?? null,
        input.body,
        input.now,
      ],
    );
    if (inserted.length === 0) return { duplicate: true, subject };
    if (subject) await enqueueForCompany(q, input.companyId, subject, input.now);
    return { duplicate: false, subject };
  });
}

async function enqueueForCompany(
  q: Queryable,
  companyId: string,
  subject: Subject,
  now: number,
): Promise<void> {
  const integrations = await q.query<{ id: string }>('select id from integrations where company_id = $1', [
    companyId,
  ]);
  for (const { id } of integrations) await enqueueWork(q, { integrationId: id, companyId, subject, now });
}

/** Every stored event body of one call or message, oldest first. */
export async function eventsOf(db: Queryable, companyId: string, subject: Subject): Promise<unknown[]> {
  const rows = await db.query<{ body: unknown }>(
    'select body from events where company_id = $1 and subject_kind = $2 and subject_id = $3 order by id',
    [companyId, subject.kind, subject.id],
  );
  return rows.map((r) => r.body);
}
