/**
 * Connected numbers (GEN-NUM-1): the company's Aircall numbers, read live
 * from Aircall, the ones this integration logs ticked, saved with
 * `setNumbers`. IVR problems (GEN-NUM-2: an IVR connected whose destinations
 * are not, or the reverse) are shown as they are ticked, found by the
 * doctor's own check (lib/logging/doctor.ts `checkNumbers`).
 */
import { type ReactNode, useState } from 'react';
import type { AircallNumberChoice } from '../../lib/api/contract-settings.ts';
import { checkNumbers } from '../../lib/logging/doctor.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import { api, type ReplyOf } from '../api.ts';
import { ErrorNote, useLoad } from '../ui.tsx';

type IntegrationView = ReplyOf<'putIntegration'>;

function numbersOf(settings: Record<string, unknown>): number[] {
  const v = settings.connectedNumbers;
  return Array.isArray(v) ? v.filter((n): n is number => typeof n === 'number') : [];
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((n) => b.includes(n));

/** GEN-NUM-2 findings for the ticked numbers (the doctor's "not connected" list is what the boxes already show). */
export function ivrFindings(numbers: AircallNumberChoice[], picked: number[]) {
  return checkNumbers(numbers, picked).filter((f) => f.severity !== 'info');
}

export function ConnectedNumbers({
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
  const numbers = useLoad(() => api('aircallNumbers', { params: { companyId } }), [companyId]);
  const saved = numbersOf(integration.settings);
  const [picked, setPicked] = useState<number[]>(saved);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  const list = numbers.data?.numbers ?? [];
  // Numbers still connected that Aircall no longer lists stay visible, so they can be unticked.
  const gone = [...new Set([...saved, ...picked])].filter((id) => !list.some((n) => n.id === id));
  const findings = ivrFindings(list, picked);
  const name = (id: number) => list.find((n) => n.id === id)?.name ?? `number ${id}`;

  function toggle(id: number, on: boolean) {
    setDone(false);
    setPicked((p) => (on ? [...p.filter((x) => x !== id), id] : p.filter((x) => x !== id)));
  }

  async function save() {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      const next = await api('setNumbers', {
        params: { companyId, crm },
        body: { connectedNumbers: [...picked].sort((a, b) => a - b) },
      });
      setPicked(numbersOf(next.settings));
      onSaved(next);
      setDone(true);
    } catch (err) {
      // What was ticked stays ticked: the admin can retry or reload.
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset className="settings-section" data-setting="connectedNumbers">
      <legend>
        Connected numbers <span className="settings-rule">GEN-NUM-1</span>
      </legend>
      <p className="hint">Only calls and SMS on connected numbers are logged.</p>
      <ErrorNote error={numbers.error} />
      {numbers.loading && !numbers.data ? <p>Loading Aircall’s numbers…</p> : null}
      <ul className="settings-numbers">
        {list.map((n) => (
          <li key={n.id}>
            <label className="settings-switch">
              <input
                type="checkbox"
                checked={picked.includes(n.id)}
                onChange={(e) => toggle(n.id, e.target.checked)}
              />
              {n.name} <span className="hint">{n.digits}</span>
              {n.isIvr ? (
                <span className="settings-badge">
                  IVR
                  {n.ivrDestinationIds.length > 0
                    ? ` → ${n.ivrDestinationIds.map(name).join(', ')}`
                    : ' (destinations unknown)'}
                </span>
              ) : null}
            </label>
          </li>
        ))}
        {numbers.data
          ? gone.map((id) => (
              <li key={id}>
                <label className="settings-switch">
                  <input
                    type="checkbox"
                    checked={picked.includes(id)}
                    onChange={(e) => toggle(id, e.target.checked)}
                  />
                  Number {id} <span className="hint">(Aircall no longer lists it)</span>
                </label>
              </li>
            ))
          : null}
      </ul>
      {findings.map((f) => (
        <div key={f.title} className="warning" data-ivr-warning>
          <p>
            <strong>{f.title}</strong> <span className="settings-rule">GEN-NUM-2</span>
          </p>
          <p>{f.detail}</p>
          <p className="hint">{f.fix}</p>
        </div>
      ))}
      <div className="settings-actions">
        <button type="button" onClick={save} disabled={busy || sameSet(picked, saved)}>
          Save connected numbers
        </button>
        {done ? <span role="status">Connected numbers saved.</span> : null}
      </div>
      <ErrorNote error={error} />
    </fieldset>
  );
}
