/**
 * Events in the store: what an event is about, the key that drops a repeated
 * delivery (GEN-IDEM-1), and reading them back. Storing them is intake.ts
 * (group commit); the route answers 200 only after the commit.
 */
import { canonicalJson } from '../../lib/aircall/fold.ts';
import { callIdOf, type WebhookEvent } from '../../lib/aircall/webhook.ts';
import type { Queryable } from './db.ts';
import { sha256 } from './secrets.ts';
import type { Subject } from './work.ts';

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

/** Every stored event body of one call or message, oldest first. */
export async function eventsOf(db: Queryable, companyId: string, subject: Subject): Promise<unknown[]> {
  const rows = await db.query<{ body: unknown }>(
    'select body from events where company_id = $1 and subject_kind = $2 and subject_id = $3 order by id',
    [companyId, subject.kind, subject.id],
  );
  return rows.map((r) => r.body);
}
