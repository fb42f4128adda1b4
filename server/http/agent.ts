/**
 * The extension's API (SPEC section 7), with a per-agent bearer token bound
 * to one company and one Aircall user. Notes and tags go through Aircall's
 * API (EXT-NOTE-1, EXT-TAG-1): Aircall then sends call.commented/tagged, and
 * the CRM activity is updated by the usual path.
 */
import type { FastifyInstance } from 'fastify';
import type { AircallClient } from '../../lib/aircall/client.ts';
import { ApiError } from '../../lib/api/errors.ts';
import type { CrmAdapter } from '../../lib/crm/adapter.ts';
import { VendorError } from '../../lib/http/vendor.ts';
import type { Crm, CrmRecord } from '../../lib/logging/plan-types.ts';
import { phoneFixesFor } from '../../lib/phone/match.ts';
import type { Services } from '../services.ts';
import { type Integration, integrationOf, listIntegrations } from '../store/companies.ts';
import type { AgentToken } from '../store/tokens.ts';
import { enqueueWork } from '../store/work.ts';
import { type LoggedRow, loggedOf, saveChoice } from '../store/writes.ts';
import { withOutcomes } from './call-outcomes.ts';
import { PHONE_REWRITE, placeNumber } from './record-number.ts';
import { handle } from './register.ts';
import { activities } from './views.ts';

const INBOX_DAYS = 30;
/** How long an agent's Aircall time zone is kept before it is read again (one Aircall request per agent). */
const TIME_ZONE_TTL_MS = 10 * 60_000;

async function integrationFor(svc: Services, agent: AgentToken, crm: Crm): Promise<Integration> {
  const i = await integrationOf(svc.db, agent.company_id, crm);
  if (!i)
    throw new ApiError(404, 'no_integration', `Your company has no ${crm} integration.`, {
      fix: 'Ask an admin to set it up.',
    });
  return i;
}

async function aircallFor(svc: Services, agent: AgentToken): Promise<AircallClient> {
  const a = await svc.aircall(agent.company_id);
  if (!a)
    throw new ApiError(409, 'aircall_not_connected', 'Aircall is not connected for your company.', {
      fix: 'Ask an admin to connect Aircall.',
    });
  return a;
}

async function adapterFor(svc: Services, integration: Integration): Promise<CrmAdapter> {
  try {
    return await svc.adapter(integration);
  } catch (err) {
    throw new ApiError(409, 'crm_not_connected', (err as Error).message, {
      fix: `Ask an admin to connect ${integration.crm}.`,
    });
  }
}

async function callOr404(svc: Services, agent: AgentToken, callId: number) {
  const rows = await loggedOf(svc.db, agent.company_id, { kind: 'call', id: String(callId) });
  if (rows.length > 0) return rows;
  const events = await svc.db.query(
    'select 1 from events where company_id = $1 and subject_kind = $2 and subject_id = $3 limit 1',
    [agent.company_id, 'call', String(callId)],
  );
  if (events.length === 0) {
    throw new ApiError(404, 'not_found', `Call ${callId} is unknown to your company's integration.`, {
      fix: 'Check the call id; calls appear once Aircall has sent their first event.',
    });
  }
  return rows;
}

/** Vendor errors become 502 with the vendor's reason, so the panel can say what failed. */
async function viaVendor<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof VendorError) {
      throw new ApiError(
        err.status === 404 ? 404 : 502,
        `${err.vendor}_error`,
        `${what} failed: ${err.message}`,
        {
          fix: err.status === 429 || err.status >= 500 ? 'Try again in a moment.' : 'Check the values sent.',
        },
      );
    }
    throw err;
  }
}

async function requeue(svc: Services, integration: Integration, callId: number) {
  await enqueueWork(svc.db, {
    integrationId: integration.id,
    companyId: integration.company_id,
    subject: { kind: 'call', id: String(callId) },
    now: svc.clock.now(),
  });
  svc.kick();
}

/**
 * EXT-LINK-1 "the number can be added to the record": before the call is
 * linked, the call's number goes into the record's first empty phone field
 * (server/http/record-number.ts). All or nothing: when the CRM refuses, the
 * call is not linked, and the agent may link it without the number.
 */
async function addNumberTo(
  adapter: CrmAdapter,
  integration: Integration,
  target: { crm: Crm; objectType: string; recordId: string },
  record: CrmRecord,
  e164: string | null,
  callId: number,
): Promise<{ field: string; value: string; added: boolean }> {
  const where = `${target.crm} ${target.objectType} ${target.recordId}`;
  const withoutIt = 'Link the call without adding the number.';
  if (!e164) {
    throw new ApiError(400, 'no_number', `Call ${callId} has no readable number to add to ${where}.`, {
      fix: withoutIt,
    });
  }
  const place = placeNumber(target.crm, record, e164, integration.settings.defaultCountry);
  if (place.kind === 'present') return { field: place.field, value: e164, added: false };
  if (place.kind === 'unsupported') {
    throw new ApiError(
      400,
      'no_phone_field',
      `A number cannot be added to ${where}: it has no phone field.`,
      {
        fix: withoutIt,
      },
    );
  }
  if (place.kind === 'full') {
    throw new ApiError(
      409,
      'no_empty_phone_field',
      `${where} has no empty phone field for ${e164} (${place.fields.join(', ')} hold other numbers). Nothing was linked.`,
      { fix: `${withoutIt} Or free one of its phone fields in ${target.crm} first.` },
    );
  }
  try {
    await viaVendor('Adding the number to the record', () =>
      adapter.updateRecord(target.objectType, target.recordId, { [place.field]: e164 }),
    );
  } catch (err) {
    if (err instanceof ApiError && err.status === 501) {
      throw new ApiError(501, err.code, `The number cannot be added: ${err.message} Nothing was linked.`, {
        fix: `${withoutIt} Add ${e164} in ${target.crm} itself if it belongs there.`,
      });
    }
    throw err;
  }
  return { field: place.field, value: e164, added: true };
}

/** EXT-LIST-1: the calls and SMS logged on a CRM record; the agent API and the HubSpot card (card.ts) list them. */
export async function recordActivityOf(
  svc: Services,
  agent: AgentToken,
  target: { crm: Crm; recordId: string },
) {
  const integration = await integrationFor(svc, agent, target.crm);
  const rows = await svc.db.query<LoggedRow>(
    'select * from logged where integration_id = $1 and record_id = $2 order by started_at desc limit 200',
    [integration.id, target.recordId],
  );
  return {
    activity: await withOutcomes(svc, agent.company_id, await activities(svc.db, rows), target.crm),
  };
}

/** EXT-NOTE-1: the note goes to the call in Aircall, and the CRM activity follows; agent API and card alike. */
export async function addNoteAs(svc: Services, agent: AgentToken, callId: number, content: string) {
  await callOr404(svc, agent, callId);
  const aircall = await aircallFor(svc, agent);
  await viaVendor('Adding the note in Aircall', () => aircall.addComment(callId, content));
  return { ok: true as const };
}

export function agentRoutes(app: FastifyInstance, svc: Services): void {
  const timeZones = new Map<string, { at: number; value: string | null }>();
  /** The agent's Aircall `time_zone` (API-CONTRACTS 1.6), or null when Aircall cannot say now. */
  const timeZoneOf = async (agent: AgentToken): Promise<string | null> => {
    const key = `${agent.company_id}:${agent.aircall_user_id}`;
    const hit = timeZones.get(key);
    const now = svc.clock.now();
    if (hit && now - hit.at < TIME_ZONE_TTL_MS) return hit.value;
    let zone: string | null;
    try {
      const aircall = await svc.aircall(agent.company_id);
      zone = (await aircall?.getUser(agent.aircall_user_id))?.time_zone ?? null;
    } catch {
      // Aircall down or the user gone: the panel falls back to the browser's zone and says so.
      return null;
    }
    const value = zone && isTimeZone(zone) ? zone : null;
    timeZones.set(key, { at: now, value });
    return value;
  };

  handle(app, svc, 'me', async ({ agent }) => ({
    companyId: agent.company_id,
    aircallUserId: agent.aircall_user_id,
    crms: (await listIntegrations(svc.db, agent.company_id)).map((i) => i.crm),
    timeZone: await timeZoneOf(agent),
  }));

  handle(app, svc, 'recordActivity', async ({ agent, params }) => recordActivityOf(svc, agent, params));

  handle(app, svc, 'getCall', async ({ agent, params }) => {
    const rows = await callOr404(svc, agent, params.callId);
    const [activity] = await withOutcomes(svc, agent.company_id, await activities(svc.db, rows));
    if (!activity) {
      throw new ApiError(404, 'not_processed', `Call ${params.callId} has not been processed yet.`, {
        fix: 'Try again in a few seconds.',
      });
    }
    return activity;
  });

  handle(app, svc, 'inbox', async ({ agent }) => {
    const rows = await svc.db.query<LoggedRow>(
      `select * from logged where company_id = $1 and agent_user_id = $2 and unmatched and subject_kind = 'call'
         and started_at > $3 order by started_at desc limit 100`,
      [agent.company_id, agent.aircall_user_id, svc.clock.now() - INBOX_DAYS * 86_400_000],
    );
    return { activity: await withOutcomes(svc, agent.company_id, await activities(svc.db, rows)) };
  });

  handle(app, svc, 'linkCall', async ({ agent, params, body }) => {
    const rows = await callOr404(svc, agent, params.callId);
    const integration = await integrationFor(svc, agent, body.crm);
    const adapter = await adapterFor(svc, integration);
    const record = await viaVendor('Reading the record', () =>
      adapter.readRecord(body.objectType, body.recordId),
    );
    if (!record)
      throw new ApiError(404, 'no_record', `${body.crm} has no ${body.objectType} ${body.recordId}.`);
    const external = rows.find((r) => r.external_e164)?.external_e164 ?? null;
    const number = body.addNumber
      ? await addNumberTo(adapter, integration, body, record, external, params.callId)
      : null;
    await saveChoice(
      svc.db,
      integration.id,
      { kind: 'call', id: String(params.callId) },
      { linked_record: { id: record.id, kind: record.kind } },
      svc.clock.now(),
    );
    await requeue(svc, integration, params.callId);
    return { ok: true as const, number };
  });

  handle(app, svc, 'addNote', async ({ agent, params, body }) =>
    addNoteAs(svc, agent, params.callId, body.content),
  );

  handle(app, svc, 'listTags', async ({ agent }) => {
    const aircall = await aircallFor(svc, agent);
    const tags = await viaVendor('Listing Aircall tags', () => aircall.listTags());
    return { tags: tags.map((t) => ({ id: t.id, name: t.name, color: t.color ?? null })) };
  });
  handle(app, svc, 'addTag', async ({ agent, params, body }) => {
    await callOr404(svc, agent, params.callId);
    const aircall = await aircallFor(svc, agent);
    await viaVendor('Tagging the call in Aircall', () => aircall.addTags(params.callId, [body.tagId]));
    return { ok: true as const };
  });
  handle(app, svc, 'removeTag', async ({ agent, params }) => {
    await callOr404(svc, agent, params.callId);
    const aircall = await aircallFor(svc, agent);
    await viaVendor('Untagging the call in Aircall', () => aircall.removeTag(params.callId, params.tagId));
    return { ok: true as const };
  });

  handle(app, svc, 'listOutcomes', async ({ agent }) => {
    const adapter = await adapterFor(svc, await integrationFor(svc, agent, 'hubspot'));
    return { outcomes: await viaVendor('Reading HubSpot outcomes', () => adapter.outcomes()) };
  });
  handle(app, svc, 'setOutcome', async ({ agent, params, body }) => {
    await callOr404(svc, agent, params.callId);
    const integration = await integrationFor(svc, agent, 'hubspot');
    const adapter = await adapterFor(svc, integration);
    const outcomes = await viaVendor('Reading HubSpot outcomes', () => adapter.outcomes());
    if (!outcomes.some((o) => o.id === body.outcomeId)) {
      throw new ApiError(
        400,
        'unknown_outcome',
        `"${body.outcomeId}" is not an outcome of this HubSpot portal.`,
        {
          fix: `Pick one of: ${outcomes.map((o) => o.label).join(', ')}.`,
        },
      );
    }
    await saveChoice(
      svc.db,
      integration.id,
      { kind: 'call', id: String(params.callId) },
      { outcome_id: body.outcomeId },
      svc.clock.now(),
    );
    await requeue(svc, integration, params.callId);
    return { ok: true as const };
  });

  handle(app, svc, 'phoneFix', async ({ agent, params, body }) => {
    const integration = await integrationFor(svc, agent, params.crm);
    const adapter = await adapterFor(svc, integration);
    const record = await viaVendor('Reading the record', () =>
      adapter.readRecord(params.objectType, params.recordId),
    );
    if (!record)
      throw new ApiError(404, 'no_record', `${params.crm} has no ${params.objectType} ${params.recordId}.`);
    const fixes = phoneFixesFor(record, integration.settings.defaultCountry);
    const changes = fixes.flatMap((f) => (f.e164 ? [{ field: f.field, from: f.value, to: f.e164 }] : []));
    const rewrite = PHONE_REWRITE[params.crm];
    if (!rewrite.ok) {
      if (body.apply && changes.length > 0)
        throw new ApiError(409, 'not_supported', rewrite.why, {
          fix: 'Rewrite the numbers in the CRM itself.',
        });
      return { fixes: changes, applied: false, manual: rewrite.why };
    }
    if (body.apply && changes.length > 0) {
      await viaVendor('Rewriting the phone numbers', () =>
        adapter.updateRecord(
          params.objectType,
          params.recordId,
          Object.fromEntries(changes.map((c) => [c.field, c.to])),
        ),
      );
    }
    return { fixes: changes, applied: body.apply && changes.length > 0, manual: null };
  });
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
