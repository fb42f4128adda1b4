/**
 * The Doctor (GEN-DOC-1..6): the troubleshooting article (seed 004) run
 * against the live connections on request, findings per integration and
 * check with what to do, the one-click E.164 rewrite, and any call's trace.
 */
import { type ReactNode, useState } from 'react';
import { api } from '../api.ts';
import { CallLookup } from '../doctor/call-lookup.tsx';
import { type DoctorReport, IntegrationFindings } from '../doctor/findings.tsx';
import '../doctor/doctor.css';
import { ErrorNote, when } from '../ui.tsx';
import type { ScreenProps } from './index.ts';

export function Doctor({ company }: ScreenProps): ReactNode {
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Each run gets fresh findings components (a rewrite's result belongs to the run it came from).
  const [run, setRun] = useState(0);

  async function check() {
    setRunning(true);
    setError(null);
    try {
      setReport(await api('runDoctor', { params: { companyId: company.id } }));
      setRun((n) => n + 1);
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  }

  return (
    <>
      <h2>Doctor of {company.name}</h2>
      <p className="hint">
        Checks what stops calls from being logged, against Aircall and each CRM as they are now: plan and
        permissions, users and emails, the installer&apos;s rights, phone formats, connected numbers and IVRs,
        phone and required fields. Records are read up to 500 per CRM.
      </p>
      <div className="doctor-run">
        <button type="button" onClick={check} disabled={running}>
          {report ? 'Run the checks again' : 'Run the checks'}
        </button>
        {running ? <span role="status">Checking Aircall and the CRMs…</span> : null}
        {report && !running ? <span className="hint">Checked {when(report.ranAt)}</span> : null}
      </div>
      <ErrorNote error={error} />
      {report && report.integrations.length === 0 ? (
        <p>No integration to check yet: set one up on the Integrations screen.</p>
      ) : null}
      {report?.integrations.map((i) => (
        <IntegrationFindings key={`${run}-${i.integrationId}`} companyId={company.id} report={i} />
      ))}
      <CallLookup companyId={company.id} />
    </>
  );
}
