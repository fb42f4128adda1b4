/**
 * The doctor's findings (GEN-DOC-1..6) as the admin reads them: per
 * integration, grouped by check in the troubleshooting article's order, each
 * with its severity, what was found, examples, and what to do.
 */
import type { ReactNode } from 'react';
import { CHECK_TITLES } from '../../lib/api/contract-doctor.ts';
import type { ReplyOf } from '../api.ts';
import { PhoneRewrite } from './rewrite.tsx';

export type DoctorReport = ReplyOf<'runDoctor'>;
export type IntegrationReport = DoctorReport['integrations'][number];
export type FindingView = IntegrationReport['findings'][number];

const SEVERITY_WORDS: Record<FindingView['severity'], string> = {
  error: 'Problem',
  warning: 'Warning',
  info: 'Note',
  ok: 'OK',
};

const CHECK_ORDER = Object.keys(CHECK_TITLES) as FindingView['check'][];

export function FindingCard({ f, children }: { f: FindingView; children?: ReactNode }): ReactNode {
  return (
    <article className={`finding finding-${f.severity}`} aria-label={f.title}>
      <p>
        <span className="finding-badge">{SEVERITY_WORDS[f.severity]}</span> <strong>{f.title}</strong>
        {f.count !== null ? ` (${f.count})` : null}
      </p>
      <p>{f.detail}</p>
      {f.examples.length > 0 ? (
        <ul className="finding-examples" aria-label="Examples">
          {f.examples.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      {f.fix ? (
        <p className="finding-fix">
          <strong>What to do:</strong> {f.fix}
        </p>
      ) : null}
      {children}
    </article>
  );
}

function tally(findings: FindingView[]): string {
  const n = (s: FindingView['severity']) => findings.filter((f) => f.severity === s).length;
  const parts = [
    n('error') > 0 ? `${n('error')} problem${n('error') === 1 ? '' : 's'}` : null,
    n('warning') > 0 ? `${n('warning')} warning${n('warning') === 1 ? '' : 's'}` : null,
    n('info') > 0 ? `${n('info')} note${n('info') === 1 ? '' : 's'}` : null,
    n('ok') > 0 ? `${n('ok')} OK` : null,
  ].filter(Boolean);
  return parts.join(', ');
}

export function IntegrationFindings({
  companyId,
  report,
}: {
  companyId: string;
  report: IntegrationReport;
}): ReactNode {
  const headingId = `doctor-${report.crm}`;
  return (
    <section className="doctor-integration" aria-labelledby={headingId}>
      <h3 id={headingId}>{report.label}</h3>
      <p className="doctor-tally">
        {report.active ? '' : 'Inactive · '}
        {tally(report.findings)}
      </p>
      {CHECK_ORDER.map((check) => {
        const found = report.findings.filter((f) => f.check === check);
        if (found.length === 0) return null;
        return (
          <section
            key={check}
            className="doctor-check"
            aria-label={`${report.label}: ${CHECK_TITLES[check]}`}
          >
            <h4>
              {CHECK_TITLES[check]} <code>{check}</code>
            </h4>
            {found.map((f, i) => (
              <FindingCard key={`${f.title}-${i}`} f={f}>
                {f.records && f.records.some((r) => r.fixes.length > 0) && report.phoneRewrite.supported ? (
                  <PhoneRewrite
                    companyId={companyId}
                    crm={report.crm}
                    label={report.label}
                    records={f.records.filter((r) => r.fixes.length > 0)}
                  />
                ) : null}
              </FindingCard>
            ))}
          </section>
        );
      })}
    </section>
  );
}
