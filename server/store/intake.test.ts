/** Group commit of webhook intake (issue 8), on both real stores: shared commits, nothing lost, repeats dropped. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeBody } from '../../bench/payload.ts';
import { parseWebhook } from '../../lib/aircall/webhook.ts';
import { integrationSettingsSchema } from '../../lib/logging/settings-union.ts';
import { freshStore, STORES } from '../../test/support/world.ts';
import { createCompany, saveIntegration } from './companies.ts';
import type { Db } from './db.ts';
import { IntakeBatcher } from './intake.ts';

function input(companyId: string, i: number) {
  const body = JSON.parse(intakeBody('tok', i)) as Record<string, unknown>;
  const parsed = parseWebhook(body);
  if (!parsed.ok) throw new Error(parsed.message);
  return { companyId, event: parsed.event, body, now: 1_000 + i };
}

describe.each(STORES)('webhook intake group commit (%s store)', (store) => {
  let db: Db;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ db, close } = await freshStore(store));
    for (const id of ['a', 'b']) {
      await createCompany(db, { id, name: id, defaultCountry: 'FR', now: 0 });
      const settings = integrationSettingsSchema.parse({ crm: 'hubspot' });
      await saveIntegration(db, { companyId: id, crm: 'hubspot', settings, now: 0 });
    }
  }, 60_000);
  afterAll(async () => close?.());

  it('GEN-IDEM-1: 600 concurrent events (a third repeated) share commits; each is stored once and queues its call once', async () => {
    const intake = new IntakeBatcher(db);
    const before = db.commits();
    const inputs = Array.from({ length: 400 }, (_, i) => input(i % 2 === 0 ? 'a' : 'b', i));
    // Every other event delivered twice, concurrently with the first delivery.
    const all = [...inputs, ...inputs.filter((_, i) => i % 2 === 0)];
    const results = await Promise.all(all.map((x) => intake.record(x)));
    const commits = db.commits() - before;

    expect(results.filter((r) => !r.duplicate)).toHaveLength(400);
    expect(results.filter((r) => r.duplicate)).toHaveLength(200);
    const [events] = await db.query<{ n: number }>('select count(*)::int as n from events');
    expect(events?.n).toBe(400);
    // 6 events a call (bench/payload.ts): 400 events are 67 calls, split by company parity.
    const calls = new Set(inputs.map((x) => `${x.companyId}:${Math.floor((x.now - 1_000) / 6)}`));
    const [work] = await db.query<{ n: number }>('select count(*)::int as n from work');
    expect(work?.n).toBe(calls.size);
    // The first event commits alone; the rest wait for one commit in flight at a time.
    expect(commits).toBeLessThanOrEqual(all.length / 5);
  });

  it('a lone event is committed at once, not held for a batch', async () => {
    const intake = new IntakeBatcher(db);
    const before = db.commits();
    const r = await intake.record(input('a', 10_000));
    expect(r.duplicate).toBe(false);
    expect(db.commits() - before).toBe(1);
  });
});
