/** EXT-FIX-1: the open record's phone numbers that are not in E.164, rewritten only on confirmation. */
import { useState } from 'react';
import { usePanel } from './context.ts';

export function PhoneFix() {
  const fixes = usePanel((s) => s.fixes);
  const pending = usePanel((s) => s.pending.fix);
  const applyFix = usePanel((s) => s.applyFix);
  const [confirming, setConfirming] = useState(false);
  if (!fixes || fixes.fixes.length === 0) return null;
  return (
    <section className="fix" aria-label="Phone number format">
      <p>This record's phone numbers are not in international (E.164) format, so calls may not match it:</p>
      <ul>
        {fixes.fixes.map((f) => (
          <li key={f.field}>
            {f.field}: {f.from} → {f.to}
          </li>
        ))}
      </ul>
      {fixes.manual ? (
        <p className="manual">{fixes.manual}</p>
      ) : confirming ? (
        <p>
          <button type="button" disabled={pending?.busy} onClick={() => void applyFix()}>
            Confirm: rewrite {fixes.fixes.length} number(s)
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </p>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Rewrite to E.164…
        </button>
      )}
      {pending && <p role="status">{pending.message}</p>}
    </section>
  );
}
