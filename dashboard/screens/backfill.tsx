/** Backfill (GEN-ACT-2b): log the stored calls and SMS of a time window; nothing is written twice. */
import { type ReactNode, useState } from 'react';
import { api } from '../api.ts';
import { BackfillForm, BackfillProgress, type Started } from '../components-backfill.tsx';
import { ErrorNote, useLoad } from '../ui.tsx';
import type { ScreenProps } from './index.ts';

export function Backfill({ company }: ScreenProps): ReactNode {
  const integrations = useLoad(
    () => api('listIntegrations', { params: { companyId: company.id } }),
    [company.id],
  );
  const [started, setStarted] = useState<Started | null>(null);
  const crms = (integrations.data?.integrations ?? []).map((i) => i.crm);
  return (
    <>
      <h2>Backfill for {company.name}</h2>
      <p>
        Logs the calls and SMS received in a time window that an integration did not log, for example while it
        was inactive. What is already in the CRM is not written again.
      </p>
      <ErrorNote error={integrations.error} />
      {integrations.loading && !integrations.data ? (
        <p role="status">Loading integrations…</p>
      ) : crms.length === 0 ? (
        <p>This company has no integration yet: set one up on the Integrations screen, then backfill here.</p>
      ) : (
        <BackfillForm companyId={company.id} crms={crms} onStarted={setStarted} />
      )}
      {started ? <BackfillProgress key={started.at} companyId={company.id} started={started} /> : null}
    </>
  );
}
