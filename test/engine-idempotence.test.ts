/**
 * GEN-IDEM-1 through the whole engine, for every CRM: a call's webhooks
 * arrive at least once and in any order; after each delivery the backend
 * folds what it has and plans again, recording the CRM ids of what it
 * created. Whatever the delivery order, each write is created once, and the
 * CRM ends up with the same values as with an orderly delivery.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallState } from '../lib/aircall/callState.ts';
import { foldCallEvents } from '../lib/aircall/fold.ts';
import { ALICE, type CallScript, inboundAnsweredScript, parsedCallEvents } from '../lib/aircall/scenarios.ts';
import type { AiEvent, CallEvent } from '../lib/aircall/webhook.ts';
import { planCall } from '../lib/logging/plan.ts';
import { CRMS, type Crm, type ExistingWrites, type PlannerContext } from '../lib/logging/plan-types.ts';
import { type IntegrationSettings, integrationSettingsSchema } from '../lib/logging/settings-union.ts';
import { crmRecord, crmUser, plannerContext } from './support/build.ts';

const SCRIPT: CallScript = inboundAnsweredScript({
  tags: [{ id: 3, name: 'General_Inquiries' }],
  comments: [{ id: 4, content: 'Call back Monday', by: ALICE }],
  summary: 'The caller asks for a refund.',
});
const KIND: Record<Crm, string> = { hubspot: 'contact', salesforce: 'Contact', jobadder: 'contact' };

const events = parsedCallEvents;

interface CrmWorld {
  /** CRM objects by id, with their fields merged as the CRM would. */
  objects: Map<string, Record<string, unknown>>;
  creates: Map<string, number>;
}

/** Deliver events one by one; after each, fold, plan and "execute" the plan. */
function deliver(
  settings: IntegrationSettings,
  sequence: (CallEvent | AiEvent)[],
  ctxOf: (existing: ExistingWrites) => PlannerContext,
): CrmWorld {
  const world: CrmWorld = { objects: new Map(), creates: new Map() };
  const existing: ExistingWrites = {};
  const received: (CallEvent | AiEvent)[] = [];
  for (const event of sequence) {
    received.push(event);
    const call: CallState | null = foldCallEvents(received);
    if (!call) continue;
    const plan = planCall(settings, call, ctxOf(existing));
    for (const write of plan.writes) {
      if (write.op === 'create') {
        world.creates.set(write.ref, (world.creates.get(write.ref) ?? 0) + 1);
        const id = `${write.target}#${world.objects.size + 1}`;
        world.objects.set(id, { ...write.fields });
        existing[write.ref] = { id, target: write.target, fields: write.fields, basis: write.basis };
      } else {
        const id = write.id ?? '';
        const merged = { ...(world.objects.get(id) ?? {}), ...write.fields };
        world.objects.set(id, merged);
        if (existing[write.ref])
          existing[write.ref] = { id, target: write.target, fields: merged, basis: write.basis };
      }
    }
  }
  return world;
}

/** Object contents keyed by creation order of their ref, comparable across runs. */
function contents(world: CrmWorld): Record<string, unknown>[] {
  return [...world.objects.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe.each(CRMS)('GEN-IDEM-1 end to end in the engine on %s', (crm) => {
  // HubSpot: the call's tag decides its outcome (HS-OUT-3), and the tag arrives after call.ended.
  const tagOutcome =
    crm === 'hubspot'
      ? { tagOutcomes: [{ tagId: 3, outcomeId: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff' }] }
      : {};
  const settings = integrationSettingsSchema.parse({
    crm,
    connectedNumbers: [1],
    defaultCountry: 'FR',
    ...tagOutcome,
  });
  const known = (existing: ExistingWrites) =>
    plannerContext({
      records: [
        crmRecord({
          kind: KIND[crm],
          phones: [{ field: 'phone', value: '06 12 34 56 78' }],
          ownerId: 'user-bob',
        }),
      ],
      users: [crmUser(), crmUser({ id: 'user-bob', email: 'bob@example.com', name: 'Bob Durand' })],
      installerUserId: 'user-admin',
      existing: { ...existing },
    });
  const unknown = (existing: ExistingWrites) =>
    plannerContext({ users: [crmUser()], installerUserId: 'user-admin', existing: { ...existing } });

  it('GEN-IDEM-1: in order, each write is created once and later events update it', () => {
    const world = deliver(settings, events(SCRIPT), known);
    expect(world.creates.size).toBeGreaterThan(0);
    for (const [ref, n] of world.creates) expect(n, `ref ${ref}`).toBe(1);
    if (crm === 'hubspot') {
      const call = [...world.objects.values()].find((o) => 'hs_call_title' in o);
      expect(call?.hs_call_disposition).toBe('a4c4c377-d246-4b32-a13b-75a56a4cd0ff');
    }
  });

  it('GEN-IDEM-1: any order and repetition gives one create per write and the same final CRM content', () => {
    const orderly = contents(deliver(settings, events(SCRIPT), known));
    const all = events(SCRIPT);
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: all.length - 1 }), { maxLength: 8 }),
        fc.array(fc.double({ noNaN: true }), { minLength: 30, maxLength: 30 }),
        (dups, keys) => {
          const sequence = [...all, ...dups.map((i) => all[i] as CallEvent | AiEvent)]
            .map((event, i) => ({ event, key: keys[i % keys.length] ?? 0, i }))
            .sort((a, b) => a.key - b.key || a.i - b.i)
            .map((x) => x.event);
          const world = deliver(settings, sequence, known);
          for (const [ref, n] of world.creates) expect(n, `ref ${ref}`).toBe(1);
          expect(contents(world)).toEqual(orderly);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('GEN-IDEM-1: a record created for an unknown number is created once, whatever comes after', () => {
    const world = deliver(settings, [...events(SCRIPT), ...events(SCRIPT).reverse()], unknown);
    for (const [ref, n] of world.creates) expect(n, `ref ${ref}`).toBe(1);
  });
});
