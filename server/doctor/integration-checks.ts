/**
 * One integration's doctor run (GEN-DOC-1..5, seed 004): the CRM's facts come
 * from its doctor (lib/crm/doctor.ts, built by Services beside the adapter),
 * Aircall's from aircall-facts.ts; the pure checks of lib/logging/doctor.ts
 * turn them into findings. A check that cannot run (Aircall or the CRM not
 * connected, unreachable, refusing) is a finding that says so and what to do
 * (explain.ts), never a failed request. GEN-DOC-6 (one call) is
 * call-findings.ts.
 */
import type { z } from 'zod';
import type { integrationDoctorSchema } from '../../lib/api/contract-doctor.ts';
import { type CrmDoctor, DOCTOR_SAMPLE_MAX, type RecordSample } from '../../lib/crm/doctor.ts';
import {
  checkFields,
  checkInstaller,
  checkNumbers,
  checkPhoneFormats,
  checkUserEmails,
  type DoctorCheck,
  type Finding,
  passed,
  phoneRewritesFor,
} from '../../lib/logging/doctor.ts';
import { connectorOf } from '../connectors/index.ts';
import type { Services } from '../services.ts';
import type { Integration } from '../store/companies.ts';
import type { AircallFacts } from './aircall-facts.ts';
import { explain, type Explained, isExplained, notRun, view } from './explain.ts';

type IntegrationView = z.infer<typeof integrationDoctorSchema>;

/** The checks of one integration, one after the other (they share its CRM's pace). */
export async function checkIntegration(
  svc: Services,
  integration: Integration,
  aircall: AircallFacts | Explained,
): Promise<IntegrationView> {
  const { label } = connectorOf(integration.crm);
  const settings = integration.settings;
  const findings: Finding[] = [];
  let doctor: CrmDoctor | Explained;
  try {
    doctor = await svc.doctor(integration);
  } catch (err) {
    doctor = explain(err, label);
  }
  const run = async (check: DoctorCheck, checks: () => Promise<Finding[]>) => {
    try {
      findings.push(...(await checks()));
    } catch (err) {
      const known = typeof err === 'object' && err !== null && isExplained(err);
      findings.push(notRun(check, known ? err : explain(err, label)));
    }
  };
  const crm = (): CrmDoctor => {
    if (isExplained(doctor)) throw doctor;
    return doctor;
  };
  const ac = (): AircallFacts => {
    if (isExplained(aircall)) throw aircall;
    return aircall;
  };

  // GEN-DOC-1: plan and permissions, as the CRM's API tells them.
  await run('GEN-DOC-1', () => crm().permissions());

  // GEN-DOC-2: the installer (GEN-ADM-1), then every agent's email (GEN-EMAIL-1).
  await run('GEN-DOC-2', async () =>
    checkInstaller({
      crm: label,
      installer: await crm().installer(),
      aircallUsers: isExplained(aircall) ? null : aircall.users,
      inactiveReason: settings.active ? null : (settings.inactiveReason ?? null),
    }),
  );
  await run('GEN-DOC-2', async () => {
    const { users } = ac();
    const crmUsers = (await crm().users()).filter((u) => u.active);
    const found = checkUserEmails(users, crmUsers).map((f) => ({
      ...f,
      detail: f.detail.replaceAll('CRM user', `${label} user`),
      fix: f.fix?.replaceAll('the CRM', label).replaceAll('CRM user', `${label} user`) ?? null,
    }));
    return found.length > 0
      ? found
      : [
          passed(
            'GEN-DOC-2',
            `Every Aircall user has a ${label} user with the same email`,
            `${users.length} Aircall user(s) matched by email, exactly, among ${crmUsers.length} active ${label} user(s).`,
          ),
        ];
  });

  // GEN-DOC-3 and GEN-DOC-5 read the same bounded sample of records.
  let sample: RecordSample | Explained | null = null;
  await run('GEN-DOC-3', async () => {
    const d = crm();
    try {
      sample = await d.sampleRecords(DOCTOR_SAMPLE_MAX);
    } catch (err) {
      sample = explain(err, label);
      throw sample;
    }
    return phoneFindings(d, sample, settings.defaultCountry, label);
  });

  // GEN-DOC-4: connected numbers and IVRs (GEN-NUM-1, GEN-NUM-2).
  await run('GEN-DOC-4', async () => {
    const facts = ac();
    const found = checkNumbers(facts.numbers, settings.connectedNumbers);
    for (const ivr of facts.ivrsWithoutRoutes.filter((n) => settings.connectedNumbers.includes(n.id))) {
      found.push({
        check: 'GEN-DOC-4',
        severity: 'info',
        title: `IVR ${ivr.name}: destinations not known`,
        detail: `Aircall's API does not say which numbers IVR ${ivr.name} routes to, so they are not checked. Calls through it are logged only when the destination is connected too (GEN-NUM-2).`,
        fix: `Make sure every number ${ivr.name} routes to is connected.`,
      });
    }
    const connected = facts.numbers.filter((n) => settings.connectedNumbers.includes(n.id));
    const unknown = settings.connectedNumbers.filter((id) => !facts.numbers.some((n) => n.id === id));
    if (unknown.length > 0) {
      found.push({
        check: 'GEN-DOC-4',
        severity: 'warning',
        title: 'Connected numbers that Aircall no longer has',
        detail: `${unknown.length} connected number id(s) are not among the company's Aircall numbers (deleted, or another company's).`,
        fix: "Remove them from the integration's numbers.",
        examples: unknown.map(String),
        count: unknown.length,
      });
    }
    return found.length > 0
      ? found
      : [
          passed(
            'GEN-DOC-4',
            'Every Aircall number is connected',
            `${connected.length} number(s) connected: ${connected.map((n) => n.name).join(', ')}; IVRs and their destinations are connected together.`,
          ),
        ];
  });

  // GEN-DOC-5: numbers only in secondary fields (on the sample), required and hidden fields.
  await run('GEN-DOC-5', async () => {
    const d = crm();
    const out: Finding[] = [];
    const read: RecordSample | Explained | null = sample;
    if (read && isExplained(read)) out.push(notRun('GEN-DOC-5', read));
    else if (read) {
      const secondary = checkFields(read.records, d.primaryPhoneFields, []);
      out.push(
        ...(secondary.length > 0
          ? secondary.map((f) => ({ ...f, detail: `${f.detail} ${read.scope}` }))
          : [
              passed(
                'GEN-DOC-5',
                'Numbers are in the main phone field',
                `Every record read with a number has one in ${d.primaryPhoneFields.join(' or ')}. ${read.scope}`,
              ),
            ]),
      );
    }
    const fields = await d.fields();
    if (!fields.applies) {
      out.push(passed('GEN-DOC-5', `Required fields: the check does not apply to ${label}`, fields.reason));
    } else {
      const found = checkFields([], d.primaryPhoneFields, fields.required, fields.hidden);
      out.push(
        ...(found.length > 0
          ? found
          : [
              passed(
                'GEN-DOC-5',
                'No required custom field, no hidden field',
                `Read ${fields.scope}: no required custom field blocks a create, and the integration's user sees every field it writes.`,
              ),
            ]),
      );
    }
    return out;
  });

  const rewrite = isExplained(doctor) ? null : doctor.phoneRewrite;
  return {
    integrationId: integration.id,
    crm: integration.crm,
    label,
    active: settings.active,
    findings: findings.map(view),
    phoneRewrite: {
      supported: rewrite?.supported ?? false,
      reason: rewrite && !rewrite.supported ? rewrite.reason : rewrite ? null : `${label} is not available.`,
    },
  };
}

/** GEN-DOC-3 on the sample: values not in E.164, with the records the one-click rewrite changes. */
function phoneFindings(d: CrmDoctor, sample: RecordSample, country: string, label: string): Finding[] {
  const found = checkPhoneFormats(sample.records, country);
  const values = sample.records.reduce((n, r) => n + r.phones.filter((p) => p.value.trim()).length, 0);
  if (found.length === 0) {
    return [
      passed(
        'GEN-DOC-3',
        'Phone numbers are in E.164',
        `All ${values} phone value(s) of the ${sample.records.length} record(s) read are in E.164. ${sample.scope}`,
      ),
    ];
  }
  const rewrite = d.phoneRewrite;
  return found.map((f, i) => {
    const detail = `${f.detail} ${sample.scope}`;
    if (i > 0) return { ...f, detail };
    if (!rewrite.supported) return { ...f, detail: `${detail} ${rewrite.reason}`, fix: rewrite.fix };
    const records = phoneRewritesFor(sample.records, country).filter((r) => r.fixes.length > 0);
    return {
      ...f,
      detail,
      records,
      fix: `Rewrite them in E.164 in ${label}: one click here does it through ${label}'s API.`,
    };
  });
}
