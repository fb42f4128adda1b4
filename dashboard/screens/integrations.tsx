/**
 * Integrations (issue 7): every setting of each of the company's integrations
 * (HubSpot, Salesforce, JobAdder; SPEC sections 3 to 6), one at a time, picked
 * in the URL (#/integrations/salesforce) so a reload or a link opens the same.
 * A CRM that is connected but was never set up is listed too, with its defaults.
 */
import { type ReactNode, useEffect, useState } from 'react';
import type { Crm } from '../../lib/logging/plan-types.ts';
import { api } from '../api.ts';
import { CRM_SETTINGS, isCrm } from '../settings/crms.ts';
import { IntegrationSettings, type IntegrationView } from '../settings/integration.tsx';
import { ErrorNote, useLoad } from '../ui.tsx';
import type { ScreenProps } from './index.ts';

function crmFromHash(): string | null {
  return location.hash.replace(/^#\/?/, '').split('/')[1] ?? null;
}

function useHashCrm(): string | null {
  const [crm, setCrm] = useState(crmFromHash);
  useEffect(() => {
    const onHash = () => setCrm(crmFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return crm;
}

/** "HubSpot – Support team"; a name that already says the CRM ("HubSpot (sandbox)") is shown alone. */
function pickerLabel(label: string, name: string | null): string {
  if (!name) return label;
  return name.toLowerCase().includes(label.toLowerCase()) ? name : `${label} – ${name}`;
}

export function Integrations({ company }: ScreenProps): ReactNode {
  const params = { companyId: company.id };
  const loaded = useLoad(
    () => Promise.all([api('listIntegrations', { params }), api('listConnections', { params })]),
    [company.id],
  );
  // Saves update this copy, so the picker's names and states follow without reloading the screen.
  const [saved, setSaved] = useState<Partial<Record<Crm, IntegrationView>>>({});
  const wanted = useHashCrm();

  if (!loaded.data) {
    return (
      <>
        <h2>Integrations</h2>
        <ErrorNote error={loaded.error} />
        {loaded.loading ? <p>Loading…</p> : null}
      </>
    );
  }
  const [{ integrations }, { connections }] = loaded.data;
  const byCrm = new Map<Crm, IntegrationView>(integrations.map((i) => [i.crm, i]));
  for (const [crm, i] of Object.entries(saved) as [Crm, IntegrationView][]) byCrm.set(crm, i);
  const connected = connections.map((c) => c.provider).filter(isCrm);
  const crms = (Object.keys(CRM_SETTINGS) as Crm[]).filter((c) => byCrm.has(c) || connected.includes(c));
  const selected = crms.find((c) => c === wanted) ?? crms[0];

  return (
    <>
      <h2>Integrations</h2>
      <ErrorNote error={loaded.error} />
      {crms.length === 0 ? (
        <p>No CRM is connected yet: connect HubSpot, Salesforce or JobAdder on the Connections screen.</p>
      ) : (
        <nav aria-label="Integrations" className="settings-picker">
          {crms.map((crm) => {
            const i = byCrm.get(crm);
            const name = typeof i?.settings.name === 'string' ? i.settings.name : null;
            const state = !i ? 'not set up' : i.settings.active ? 'active' : 'inactive';
            return (
              <a
                key={crm}
                href={`#/integrations/${crm}`}
                aria-current={crm === selected ? 'page' : undefined}
              >
                {pickerLabel(CRM_SETTINGS[crm].label, name)}{' '}
                <span className={`settings-state settings-${state.replace(' ', '-')}`}>{state}</span>
              </a>
            );
          })}
        </nav>
      )}
      {selected ? (
        <IntegrationSettings
          key={selected}
          companyId={company.id}
          companyCountry={company.defaultCountry}
          crm={selected}
          initial={byCrm.get(selected) ?? null}
          onSaved={(next) => setSaved((s) => ({ ...s, [next.crm]: next }))}
        />
      ) : null}
    </>
  );
}
