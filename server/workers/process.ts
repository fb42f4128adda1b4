/**
 * One work item, start to end (STYLE.md 8: "what happens to a webhook" is
 * the route, then this): fold the stored events, gather what the planner
 * needs from the CRM and Aircall, plan (lib/logging), execute the writes in
 * order through the CRM adapter, record each CRM id, and keep the trace.
 *
 * No CRM write happens twice (GEN-IDEM-1, issue 3): before a create the
 * intent is stored with an idempotency key; an attempt that finds an intent
 * without an id (the previous worker died between the CRM's answer and our
 * commit) first asks the CRM for the object with that key.
 */
import { type CrmAdapter, NeedsReconnection, type ResolvedLink } from '../../lib/crm/adapter.ts';
import { planCall, planMessage } from '../../lib/logging/plan.ts';
import type { Crm, Plan, PlannedWrite, PlannerContext } from '../../lib/logging/plan-types.ts';
import { toE164 } from '../../lib/phone/e164.ts';
import { decideRetry, retryWaitMs, VendorError } from '../../lib/http/vendor.ts';
import type { Services } from '../services.ts';
import {
  getIntegration,
  type Integration,
  markNeedsReconnection,
  saveReconciled,
} from '../store/companies.ts';
import { eventsOf } from '../store/events.ts';
import {
  finishWork,
  holdLease,
  pauseWork,
  retryOrFail,
  type Subject,
  wakeRetrying,
  type WorkItem,
} from '../store/work.ts';
import {
  choiceOf,
  existingOf,
  recordIntent,
  recordWritten,
  saveLogged,
  type WriteRow,
  writesOf,
} from '../store/writes.ts';
import { connectorOf } from '../connectors/index.ts';
import { deactivateForInstaller } from './installer.ts';
import { KeyedLock } from './keyed-lock.ts';
import { businessHours, ivrRoute } from './numbers.ts';
import {
  activityTypeOf,
  agentOf,
  externalNumberOf,
  type Folded,
  foldSubject,
  startedAtMsOf,
  summaryOf,
} from './subject.ts';

class LeaseLost extends Error {}

const messageLocks = new KeyedLock();

/**
 * Run one claimed item; never throws (every outcome is recorded on the item).
 * The claim's lease token is the owner; the lease is renewed while the run
 * waits on the CRM (pacing, slow answers), and checked before every write.
 */
export async function processWork(svc: Services, item: WorkItem): Promise<void> {
  const owner = item.lease_owner ?? '';
  const renew = setInterval(
    () => {
      holdLease(svc.db, item, owner, svc.clock.now(), svc.config.LEASE_MS).catch(() => undefined);
    },
    Math.max(100, Math.floor(svc.config.LEASE_MS / 3)),
  );
  try {
    const state = await runItem(svc, item, owner);
    await finishWork(svc.db, item, owner, { state, now: svc.clock.now() });
    // It had been failing and went through: the CRM is back, so the items waiting out their backoff go now.
    if (
      item.first_failed_at !== null &&
      (await wakeRetrying(svc.db, item.integration_id, svc.clock.now())) > 0
    )
      svc.kick();
  } catch (err) {
    await settleError(svc, item, owner, err);
  } finally {
    clearInterval(renew);
  }
}

async function settleError(svc: Services, item: WorkItem, owner: string, err: unknown): Promise<void> {
  const now = svc.clock.now();
  if (err instanceof LeaseLost) {
    svc.log.warn({ item: itemName(item) }, 'lease lost: another worker resumed this item');
    return;
  }
  if (err instanceof NeedsReconnection) {
    await markNeedsReconnection(svc.db, item.company_id, err.provider as Crm, err.message, now);
    await pauseWork(svc.db, item, owner, err.message, now);
    return;
  }
  const decision = decideRetry(err, item.attempts, now);
  // Issue 8 "Retries": jittered, so items that failed together (an outage) do not all come back together.
  const waitMs = retryWaitMs(decision);
  const { state, error } = await retryOrFail(svc.db, item, owner, {
    retry: decision.retry,
    waitMs,
    error: decision.reason,
    now,
    retryForMs: svc.config.RETRY_HOURS * 3_600_000,
    maxAttempts: svc.config.MAX_ATTEMPTS,
  });
  const level = state === 'failed' ? 'error' : 'warn';
  svc.log[level]({ item: itemName(item), attempt: item.attempts, waitMs, state }, error);
}

function itemName(item: WorkItem): string {
  return `${item.integration_id}/${item.subject_kind}/${item.subject_id}`;
}

async function runItem(svc: Services, item: WorkItem, owner: string): Promise<'done' | 'waiting'> {
  const integration = await getIntegration(svc.db, item.integration_id);
  if (!integration) return 'done';
  const subject: Subject = { kind: item.subject_kind, id: item.subject_id };
  const folded = foldSubject(subject.kind, await eventsOf(svc.db, item.company_id, subject));
  if (!folded) return 'waiting';

  let rows = await writesOf(svc.db, integration.id, subject);
  const choice = await choiceOf(svc.db, integration.id, subject);
  const settings = integration.settings;
  const parsed = toE164(externalNumberOf(folded), settings.defaultCountry);
  const externalE164 = parsed.ok ? parsed.e164 : null;

  let base: PlannerContext = {
    now: svc.clock.now(),
    defaultCountry: settings.defaultCountry,
    records: [],
    users: [],
    installerUserId: null,
    existing: existingOf(rows),
    withinBusinessHours: await businessHours(svc, item.company_id, folded, settings),
    ivrRoute: await ivrRoute(svc, item.company_id, folded),
    aircallContact: null,
    linkedRecord: null,
    backfill: item.backfill,
    crmFacts: { agentOutcomeId: choice?.outcome_id ?? null },
  };
  // A plan that waits or stops at a general gate (inactive, number not
  // connected...) does not depend on CRM data: no CRM request is spent on it.
  const probe = plan(integration, folded, base);
  if (probe.outcome === 'wait' || (probe.outcome === 'nothing' && stoppedAtGate(probe))) {
    await keepTrace(svc, integration, subject, folded, externalE164, probe);
    return probe.outcome === 'wait' ? 'waiting' : 'done';
  }

  const crmRun = async (): Promise<'done' | 'waiting'> => {
    const adapter = await svc.adapter(integration);
    let current = integration;
    const blocked: { target: string; field: string }[] = [];
    for (let round = 0; ; round++) {
      if (round > 0) {
        // GEN-IDEM-1: a new round (after a refused record or ticket) must see what the
        // failed round already wrote, e.g. the call activity written before HubSpot
        // refused the ticket of a deleted pipeline (HS-TIX-2); otherwise it creates it again.
        rows = await writesOf(svc.db, integration.id, subject);
        base = { ...base, existing: existingOf(rows) };
      }
      const gathered = await adapter.gather({
        settings: current.settings,
        kind: subject.kind,
        externalE164,
        existing: base.existing,
        linkedRecord: choice?.linked_record ?? null,
        activityType: activityTypeOf(folded),
      });
      if (gathered.installerStatus && !gathered.installerStatus.crmAdmin && current.settings.active) {
        current = await deactivateForInstaller(svc, current, {
          ...gathered.installerStatus,
          aircallAdmin: true,
        });
      }
      if (gathered.settingsUpdate) {
        // HS-TIX-2: the CRM changed under the settings; save what the product changed, with the warnings.
        const now = svc.clock.now();
        const warnings = gathered.settingsUpdate.warnings.map((w) => ({
          rule: w.rule,
          message: w.message,
          at: now,
        }));
        // Keep what this run already changed (GEN-ADM-1 deactivation above).
        const settings = {
          ...gathered.settingsUpdate.settings,
          active: current.settings.active,
          inactiveReason: current.settings.inactiveReason,
        };
        await saveReconciled(svc.db, integration.id, settings, warnings, now);
        current = { ...current, settings };
      }
      let ctx: PlannerContext = {
        ...base,
        ...gathered,
        crmFacts: { ...gathered.crmFacts, ...base.crmFacts },
        blockedCreates: [...(gathered.blockedCreates ?? []), ...blocked],
      };
      let result = plan(current, folded, ctx);
      const wantsAircallContact = result.writes.some(
        (w) => w.target === 'aircall.contact' && w.op === 'create',
      );
      if (wantsAircallContact && externalE164) {
        ctx = { ...ctx, aircallContact: await aircallContactFor(svc, item.company_id, externalE164) };
        result = plan(current, folded, ctx);
      }
      let written: Map<string, { id: string; object: string }>;
      try {
        written = await execute(svc, adapter, current, subject, item, owner, result.writes, rows);
      } catch (err) {
        // GEN-REQ-1: the CRM refused to create a record for a required field: log without it, once.
        const write = (err as { write?: PlannedWrite }).write;
        const cause = (err as { cause?: unknown }).cause;
        const refused = cause instanceof VendorError && cause.status === 400;
        if (round < 2 && write && refused && cause.field && write.ref === 'record') {
          blocked.push({ target: write.target, field: cause.field });
          continue;
        }
        // HS-TIX-2: a refused ticket write re-reads the pipelines (the adapter forgot them) and plans again.
        if (round < 1 && write && refused && write.ref === 'ticket') continue;
        throw cause ?? err;
      }
      // HS-GEN-2: a contact created in this run has no id in the plan; the logged row takes
      // it, so the call is listed on that contact (EXT-LIST-1) even if no later event re-plans it.
      const created = result.writes.some((w) => w.ref === 'record') ? written.get('record') : undefined;
      const recordId = result.recordId ?? created?.id ?? null;
      await keepTrace(svc, current, subject, folded, externalE164, { ...result, recordId });
      return result.outcome === 'wait' ? 'waiting' : 'done';
    }
  };
  // JA-SMS-1: an SMS rewrites its record's whole conversation note, so SMS with one number go one at a time.
  return subject.kind === 'message' && connectorOf(integration.crm).serializeMessagesByNumber && externalE164
    ? messageLocks.run(`${integration.id}:${externalE164}`, crmRun)
    : crmRun();
}

function plan(integration: Integration, folded: Folded, ctx: PlannerContext): Plan {
  return folded.kind === 'call'
    ? planCall(integration.settings, folded.call, ctx)
    : planMessage(integration.settings, folded.message, ctx);
}

function stoppedAtGate(p: Plan): boolean {
  const last = p.trace.at(-1);
  return last?.outcome === 'stopped' && /^GEN-(ACT|NUM)-/.test(last.rule);
}

/** A write that failed, with the error that stopped it. */
class WriteFailed extends Error {
  readonly write: PlannedWrite;
  constructor(write: PlannedWrite, cause: unknown) {
    super(`${write.op} ${write.target} (${write.ref}) failed: ${(cause as Error).message}`, { cause });
    this.write = write;
  }
}

async function execute(
  svc: Services,
  adapter: CrmAdapter,
  integration: Integration,
  subject: Subject,
  item: WorkItem,
  owner: string,
  writes: PlannedWrite[],
  rows: WriteRow[],
): Promise<Map<string, { id: string; object: string }>> {
  const ids = new Map<string, { id: string; object: string }>();
  for (const r of rows) if (r.crm_id) ids.set(r.ref, { id: r.crm_id, object: objectOf(adapter, r.target) });
  for (const write of writes) {
    if (!(await holdLease(svc.db, item, owner, svc.clock.now(), svc.config.LEASE_MS))) throw new LeaseLost();
    const links: ResolvedLink[] = write.links.flatMap((l) => {
      if ('id' in l) return [{ id: l.id, object: l.object, as: l.as }];
      const target = ids.get(l.ref);
      return target ? [{ ...target, as: l.as }] : [];
    });
    const row = rows.find((r) => r.ref === write.ref);
    const key = row?.idempotency_key ?? `${integration.id}/${subject.kind}/${subject.id}/${write.ref}`;
    let crmId: string;
    try {
      crmId = write.target.startsWith('aircall.')
        ? await executeAircall(svc, integration.company_id, write)
        : await executeCrm(svc, adapter, integration, subject, write, row, key, links);
    } catch (err) {
      throw new WriteFailed(write, err);
    }
    const known = new Set((row?.links ?? []).map((l) => `${l.object}:${l.id}:${l.as}`));
    const allLinks = [
      ...(row?.links ?? []),
      ...links.filter((l) => !known.has(`${l.object}:${l.id}:${l.as}`)),
    ];
    await recordWritten(svc.db, integration.id, subject, write, {
      crmId,
      key,
      links: allLinks,
      now: svc.clock.now(),
    });
    ids.set(write.ref, { id: crmId, object: objectOf(adapter, write.target) });
  }
  return ids;
}

function objectOf(adapter: CrmAdapter, target: string): string {
  return target.startsWith('aircall.') ? target.slice('aircall.'.length) : adapter.objectOf(target);
}

async function executeCrm(
  svc: Services,
  adapter: CrmAdapter,
  integration: Integration,
  subject: Subject,
  write: PlannedWrite,
  row: WriteRow | undefined,
  key: string,
  links: ResolvedLink[],
): Promise<string> {
  const known = new Set((row?.links ?? []).map((l) => `${l.object}:${l.id}:${l.as}`));
  const newLinks = links.filter((l) => !known.has(`${l.object}:${l.id}:${l.as}`));
  if (write.op === 'update') {
    const id = write.id ?? row?.crm_id;
    if (!id) throw new Error(`update of ${write.ref} has no CRM id`);
    await adapter.update(write, id, newLinks);
    return id;
  }
  if (row && row.crm_id === null) {
    // An earlier attempt stored the intent and may have reached the CRM.
    const found = await adapter.recover(write, key);
    if (found) {
      await adapter.update(write, found, links);
      return found;
    }
  } else if (!row) {
    await recordIntent(svc.db, integration.id, subject, write, key, svc.clock.now());
  }
  return adapter.create(write, links, key);
}

/** HS-GEN-3 / JA-SYNC-1: the Aircall contact is created or updated through Aircall's API. */
async function executeAircall(svc: Services, companyId: string, write: PlannedWrite): Promise<string> {
  const aircall = await svc.aircall(companyId);
  if (!aircall) throw new Error('Aircall is not connected for this company: connect it with an API key');
  const fields = write.fields as unknown as Parameters<typeof aircall.createContact>[0];
  if (write.op === 'update' && write.id) {
    await aircall.updateContact(Number(write.id), fields);
    return write.id;
  }
  const created = await aircall.createContact(fields);
  return String(created.id);
}

async function aircallContactFor(
  svc: Services,
  companyId: string,
  e164: string,
): Promise<{ id: number } | null> {
  const aircall = await svc.aircall(companyId);
  if (!aircall) return null;
  const found = await aircall.searchContactsByPhone(e164);
  const first = found[0];
  return first ? { id: Number(first.id) } : null;
}

async function keepTrace(
  svc: Services,
  integration: Integration,
  subject: Subject,
  folded: Folded,
  externalE164: string | null,
  p: Plan,
): Promise<void> {
  const record = p.recordId;
  await saveLogged(svc.db, {
    integration_id: integration.id,
    subject_kind: subject.kind,
    subject_id: subject.id,
    company_id: integration.company_id,
    outcome: p.outcome,
    record_id: record,
    record_kind: null,
    unmatched: p.unmatched,
    trace: p.trace,
    external_e164: externalE164,
    agent_user_id: agentOf(folded),
    started_at: startedAtMsOf(folded),
    summary: {
      ...summaryOf(folded),
      crm: p.crm,
      writes: p.writes.map((w) => ({ ref: w.ref, target: w.target })),
    },
    updated_at: svc.clock.now(),
  });
}
