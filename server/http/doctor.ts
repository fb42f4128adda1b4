/**
 * The doctor's routes (GEN-DOC-1..6, contract-doctor.ts): the troubleshooting
 * article (seed 004) run against the live connections. runDoctor reads
 * Aircall once (server/doctor/aircall-facts.ts) and checks each integration
 * (server/doctor/integration-checks.ts, GEN-DOC-1..5); doctorPhoneRewrite is
 * GEN-DOC-3's one-click rewrite (EXT-FIX-1) through the CRM's API; doctorCall
 * explains one call (server/doctor/call-findings.ts, GEN-DOC-6). What cannot
 * be checked is a finding saying why (server/doctor/explain.ts), never a
 * failed request.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../lib/api/errors.ts';
import { type CrmDoctor, DOCTOR_SAMPLE_MAX } from '../../lib/crm/doctor.ts';
import { type PhoneRewrite, phoneRewritesFor } from '../../lib/logging/doctor.ts';
import type { CrmRecord } from '../../lib/logging/plan-types.ts';
import { connectorOf } from '../connectors/index.ts';
import { readAircall } from '../doctor/aircall-facts.ts';
import { traceFindings, unknownCallFindings } from '../doctor/call-findings.ts';
import { explain, view } from '../doctor/explain.ts';
import { checkIntegration } from '../doctor/integration-checks.ts';
import type { Services } from '../services.ts';
import { integrationOf, listIntegrations } from '../store/companies.ts';
import { listWork } from '../store/work.ts';
import { callActivity, companyOr404 } from './admin.ts';
import { handle } from './register.ts';
import { workView } from './views.ts';

export function doctorRoutes(app: FastifyInstance, svc: Services): void {
  handle(app, svc, 'runDoctor', async ({ params, query }) => {
    await companyOr404(svc, params.companyId);
    const all = await listIntegrations(svc.db, params.companyId);
    const integrations = all.filter((i) => !query.crm || i.crm === query.crm);
    if (query.crm && integrations.length === 0) {
      throw new ApiError(404, 'not_found', `Company "${params.companyId}" has no ${query.crm} integration.`, {
        fix: 'Run the doctor without `crm`, or set the integration up first.',
      });
    }
    const aircall = await readAircall(svc, params.companyId);
    return {
      ranAt: svc.clock.now(),
      integrations: await Promise.all(integrations.map((i) => checkIntegration(svc, i, aircall))),
    };
  });

  handle(app, svc, 'doctorPhoneRewrite', async ({ params, body }) => {
    await companyOr404(svc, params.companyId);
    const integration = await integrationOf(svc.db, params.companyId, params.crm);
    const { label } = connectorOf(params.crm);
    if (!integration) {
      throw new ApiError(
        404,
        'not_found',
        `Company "${params.companyId}" has no ${params.crm} integration.`,
        {
          fix: `Set up the ${label} integration first.`,
        },
      );
    }
    let doctor: CrmDoctor;
    let adapter: Awaited<ReturnType<Services['adapter']>>;
    try {
      doctor = await svc.doctor(integration);
      adapter = await svc.adapter(integration);
    } catch (err) {
      const e = explain(err, label);
      throw new ApiError(409, 'crm_unavailable', e.reason, { fix: e.fix });
    }
    const rewrite = doctor.phoneRewrite;
    if (!rewrite.supported) throw new ApiError(501, 'not_supported', rewrite.reason, { fix: rewrite.fix });

    const failed: {
      objectType: string;
      recordId: string;
      name: string | null;
      reason: string;
      fix: string | null;
    }[] = [];
    const records: CrmRecord[] = [];
    if (body.records) {
      for (const r of body.records) {
        try {
          const read = await adapter.readRecord(r.objectType, r.recordId);
          if (read) records.push(read);
          else
            failed.push({
              ...r,
              name: null,
              reason: `${label} has no ${r.objectType} ${r.recordId}.`,
              fix: 'Run the doctor again: the record may have been deleted or merged.',
            });
        } catch (err) {
          const e = explain(err, label);
          failed.push({ ...r, name: null, reason: e.reason, fix: e.fix });
        }
      }
    } else {
      try {
        records.push(...(await doctor.sampleRecords(DOCTOR_SAMPLE_MAX)).records);
      } catch (err) {
        const e = explain(err, label);
        throw new ApiError(409, 'crm_unavailable', e.reason, { fix: e.fix });
      }
    }

    const done: PhoneRewrite[] = [];
    for (const r of phoneRewritesFor(records, integration.settings.defaultCountry)) {
      const at = { objectType: r.objectType, recordId: r.recordId, name: r.name };
      if (r.unreadable.length > 0) {
        failed.push({
          ...at,
          reason: `${r.unreadable.map((u) => `${u.field} "${u.value}"`).join(', ')} cannot be read as a phone number.`,
          fix: `Correct it by hand in ${label}, in E.164 (e.g. +33176360695).`,
        });
      }
      if (r.fixes.length === 0) continue;
      try {
        // EXT-FIX-1's write, through the CRM's API (the adapter's updateRecord).
        await adapter.updateRecord(
          r.objectType,
          r.recordId,
          Object.fromEntries(r.fixes.map((f) => [f.field, f.to])),
        );
        done.push({ ...r, unreadable: [] });
      } catch (err) {
        const e = explain(err, label);
        failed.push({ ...at, reason: e.reason, fix: e.fix });
      }
    }
    return {
      rewritten: done.length,
      values: done.reduce((n, r) => n + r.fixes.length, 0),
      records: done,
      failed,
    };
  });

  handle(app, svc, 'doctorCall', async ({ params }) => {
    await companyOr404(svc, params.companyId);
    // GEN-DOC-6 is callTraces' answer (server/http/admin.ts), with what it means.
    const activity = await callActivity(svc, params.companyId, params.callId);
    const work = (await listWork(svc.db, params.companyId)).filter(
      (w) => w.subject_kind === 'call' && w.subject_id === params.callId,
    );
    const findings =
      activity || work.length > 0
        ? traceFindings(activity?.logging ?? [], work)
        : await unknownCallFindings(svc, params.companyId, params.callId);
    return {
      callId: params.callId,
      activity: activity ? { ...activity, work: work.map(workView) } : null,
      findings: findings.map(view),
    };
  });
}
