/** Connections: Aircall's API key and each CRM's OAuth connection, with their health. */
import { type ReactNode, useState } from 'react';
import { api } from '../api.ts';
import { AircallConnection, CrmConnection, OAuthNotice } from '../components-connections.tsx';
import { CRMS } from '../connections-crms.ts';
import { takeOAuthResult } from '../connections-result.ts';
import { ErrorNote, useLoad } from '../ui.tsx';
import type { ScreenProps } from './index.ts';

export function Connections({ company }: ScreenProps): ReactNode {
  const [result] = useState(takeOAuthResult);
  const conns = useLoad(() => api('listConnections', { params: { companyId: company.id } }), [company.id]);
  const fresh = useLoad(() => api('getCompany', { params: { companyId: company.id } }), [company.id]);
  const list = conns.data?.connections ?? [];
  const of = (provider: string) => list.find((c) => c.provider === provider);
  const reload = () => {
    conns.reload();
    fresh.reload();
  };
  return (
    <>
      <h2>Connections of {company.name}</h2>
      <OAuthNotice result={result} />
      <ErrorNote error={conns.error} />
      {conns.loading && !conns.data ? (
        <p role="status">Loading connections…</p>
      ) : (
        <>
          <AircallConnection
            companyId={company.id}
            conn={of('aircall')}
            webhookConnected={(fresh.data ?? company).webhookConnected}
            onSaved={reload}
          />
          <section aria-labelledby="conn-crms" className="conn-card">
            <h3 id="conn-crms">CRMs</h3>
            <p className="hint">
              Connect or reconnect opens the CRM&apos;s consent page; accept there and you come back here.
              Work that waited for a reconnection is resumed.
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">CRM</th>
                  <th scope="col">Status</th>
                  <th scope="col">Account</th>
                  <th scope="col">Since</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {CRMS.map((crm) => (
                  <CrmConnection key={crm} companyId={company.id} crm={crm} conn={of(crm)} />
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </>
  );
}
