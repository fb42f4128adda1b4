/**
 * GEN-DOC-6 (seed 004: for any call id, its decision trace): for a call this
 * backend processed, where each integration logged it or which rule stopped
 * it, and its failed or paused work; for a call id it never saw, what
 * Aircall's API says about the call (unknown id, a number no integration
 * connects, or webhooks that never arrived).
 */
import type { z } from 'zod';
import type { AircallClient } from '../../lib/aircall/client.ts';
import type { activitySchema } from '../../lib/api/schemas.ts';
import { VendorError } from '../../lib/http/vendor.ts';
import { type Finding, passed } from '../../lib/logging/doctor.ts';
import { connectorOf } from '../connectors/index.ts';
import type { Services } from '../services.ts';
import { type Integration, listIntegrations } from '../store/companies.ts';
import { explain, notRun } from './explain.ts';

type Activity = z.infer<typeof activitySchema>;

/** GEN-DOC-6 for a call this backend processed: where each integration logged it, or why not. */
export function traceFindings(
  logging: Activity['logging'],
  work: { integration_id: string; state: string; last_error: string | null }[],
): Finding[] {
  const findings: Finding[] = [];
  for (const l of logging) {
    const label = labelOf(l.crm);
    const last = [...l.trace].reverse().find((s) => s.outcome === 'stopped') ?? l.trace.at(-1);
    const why = last ? `${last.rule}: ${last.detail}` : 'The trace is empty.';
    if (l.outcome === 'write') {
      const written = Object.values(l.written).map((w) => `${w.target} ${w.id}`);
      findings.push({
        ...passed(
          'GEN-DOC-6',
          `Logged in ${label}`,
          `${written.length > 0 ? `${written.length} object(s) written in ${label} (listed).` : 'Planned writes, not all made yet.'}${l.unmatched ? " The call matched no record: it waits in the agents' unmatched inbox (EXT-LINK-1)." : ''}`,
        ),
        examples: written,
      });
    } else if (l.outcome === 'wait') {
      findings.push({
        check: 'GEN-DOC-6',
        severity: 'info',
        title: `Not logged in ${label} yet`,
        detail: `The integration waits for a later event of the call. ${why}`,
        fix: "It is logged when Aircall sends the call's next events (e.g. call.ended); if it stays waiting, look at the work queue.",
      });
    } else {
      findings.push({
        check: 'GEN-DOC-6',
        severity: 'warning',
        title: `Not logged in ${label}`,
        detail: why,
        fix: 'The rule named above decided it: change that setting or connect the number if such calls should be logged; past calls can then be backfilled (GEN-ACT-2b).',
      });
    }
  }
  for (const w of work.filter((x) => x.state === 'failed' || x.state === 'paused')) {
    // Integration ids are `<companyId>:<crm>` (server/store/companies.ts).
    const label = labelOf(w.integration_id.split(':').at(-1) ?? '');
    findings.push({
      check: 'GEN-DOC-6',
      severity: 'error',
      title: `Logging ${w.state === 'failed' ? 'failed' : 'paused'} in ${label}`,
      detail: w.last_error ?? `The work item is ${w.state}.`,
      fix:
        w.state === 'failed'
          ? 'Fix what the error names, then retry the failed work (it is logged once, whatever the number of tries).'
          : `Reconnect ${label}: paused work resumes by itself.`,
    });
  }
  return findings;
}

function labelOf(crm: string): string {
  try {
    return connectorOf(crm as Integration['crm']).label;
  } catch {
    return crm;
  }
}

/** GEN-DOC-6 for a call id this backend never processed: what Aircall says about the call. */
export async function unknownCallFindings(
  svc: Services,
  companyId: string,
  callId: string,
): Promise<Finding[]> {
  const client = await svc.aircall(companyId);
  if (!client) {
    return [
      notRun('GEN-DOC-6', {
        title: 'Aircall is not connected',
        reason: `No event of call ${callId} was processed, and Aircall is not connected to look the call up.`,
        fix: 'Connect Aircall with an API key (Connections).',
      }),
    ];
  }
  const id = Number(callId);
  if (!Number.isInteger(id) || id <= 0) {
    return [
      {
        check: 'GEN-DOC-6',
        severity: 'error',
        title: `"${callId}" is not an Aircall call id`,
        detail: 'Aircall call ids are whole numbers.',
        fix: "Copy the call's id from Aircall (the number at the end of the call's link) or from the Calls screen.",
      },
    ];
  }
  let call: Awaited<ReturnType<AircallClient['getCall']>>;
  try {
    call = await client.getCall(id);
  } catch (err) {
    if (err instanceof VendorError && err.status === 404) {
      return [
        {
          check: 'GEN-DOC-6',
          severity: 'error',
          title: `Aircall has no call ${callId}`,
          detail: `Neither this backend nor this company's Aircall account knows call ${callId}.`,
          fix: "Check the call id (Aircall's, from the call's link), and that the call was made on this company's Aircall account.",
        },
      ];
    }
    return [notRun('GEN-DOC-6', explain(err, 'Aircall'))];
  }
  const numberId = call.number?.id ?? null;
  const numberName = call.number?.name ?? (numberId ? `number ${numberId}` : 'an unknown number');
  const integrations = await listIntegrations(svc.db, companyId);
  const logging = integrations.filter(
    (i) => numberId !== null && i.settings.connectedNumbers.includes(numberId),
  );
  if (logging.length === 0) {
    return [
      {
        check: 'GEN-DOC-6',
        severity: 'warning',
        title: 'The call was on a number no integration logs',
        detail: `Aircall has call ${callId} on ${numberName}, which no integration of this company connects, so it was not logged (GEN-NUM-1).`,
        fix: `Connect ${numberName} to the integrations that should log its calls; past calls can then be backfilled (GEN-ACT-2b).`,
      },
    ];
  }
  return [
    {
      check: 'GEN-DOC-6',
      severity: 'error',
      title: 'Aircall has the call, but this backend received none of its events',
      detail: `Call ${callId} on ${numberName} is connected to ${logging.map((i) => labelOf(i.crm)).join(', ')}, yet no webhook of it reached this backend.`,
      fix: "Connect Aircall again (Connections) to register this backend's webhook, then backfill the call's time window (GEN-ACT-2b).",
    },
  ];
}
