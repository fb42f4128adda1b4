/**
 * The integration's status (GEN-ACT-1): one switch, saved at once through
 * `activate` / `deactivate`. When the product made it inactive itself
 * (GEN-ADM-1: the installer lost admin rights), the reason is shown; GEN-ACT-2
 * is said where it matters: calls made while inactive stay unlogged.
 */
import { type ReactNode, useState } from 'react';
import type { Crm } from '../../lib/logging/plan-types.ts';
import { api, type ReplyOf } from '../api.ts';
import { ErrorNote, when } from '../ui.tsx';

type IntegrationView = ReplyOf<'putIntegration'>;

export function Status({
  companyId,
  crm,
  integration,
  onSaved,
}: {
  companyId: string;
  crm: Crm;
  integration: IntegrationView;
  onSaved(next: IntegrationView): void;
}): ReactNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { active, inactiveReason, activatedAt } = integration.settings as {
    active?: boolean;
    inactiveReason?: string | null;
    activatedAt?: number | null;
  };

  async function toggle(on: boolean) {
    setBusy(true);
    setError(null);
    try {
      onSaved(await api(on ? 'activate' : 'deactivate', { params: { companyId, crm } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="settings-status" data-setting="active">
      <label className="settings-switch">
        <input
          type="checkbox"
          role="switch"
          checked={active === true}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
        />
        Active <span className="settings-rule">GEN-ACT-1</span>
      </label>
      {active ? (
        <p className="hint">
          {activatedAt
            ? `Active since ${when(activatedAt)}: calls from before are not logged (Backfill can log a window).`
            : 'Calls and SMS on the connected numbers are logged.'}
        </p>
      ) : (
        <>
          {inactiveReason ? (
            <div className="error" data-inactive-reason>
              <p>
                Inactive: {inactiveReason}. <span className="settings-rule">GEN-ADM-1</span>
              </p>
            </div>
          ) : null}
          <p className="hint">
            Inactive: nothing is logged and contacts are not synced; settings are kept. Calls made while
            inactive are not logged when it is reactivated (Backfill can log a window).
          </p>
        </>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
