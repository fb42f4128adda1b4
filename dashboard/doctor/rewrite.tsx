/**
 * GEN-DOC-3's one-click fix: rewrite the numbers the doctor found to E.164
 * through the CRM's API (`doctorPhoneRewrite`, EXT-FIX-1), after the admin
 * has seen what changes; then what was rewritten and what could not be.
 */
import { type ReactNode, useState } from 'react';
import type { Crm } from '../../lib/logging/plan-types.ts';
import { api, type ReplyOf } from '../api.ts';
import { ErrorNote } from '../ui.tsx';

type Rewrite = NonNullable<
  ReplyOf<'runDoctor'>['integrations'][number]['findings'][number]['records']
>[number];
type Result = ReplyOf<'doctorPhoneRewrite'>;

/** How many shown in the confirmation before "and N more". */
const SHOWN = 10;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function PhoneRewrite({
  companyId,
  crm,
  label,
  records,
}: {
  companyId: string;
  crm: Crm;
  label: string;
  records: Rewrite[];
}): ReactNode {
  const [step, setStep] = useState<'idle' | 'confirm' | 'busy' | 'done'>('idle');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<unknown>(null);
  const values = records.reduce((n, r) => n + r.fixes.length, 0);

  async function rewrite() {
    setStep('busy');
    setError(null);
    try {
      setResult(
        await api('doctorPhoneRewrite', {
          params: { companyId, crm },
          body: { records: records.map((r) => ({ objectType: r.objectType, recordId: r.recordId })) },
        }),
      );
      setStep('done');
    } catch (err) {
      setError(err);
      setStep('confirm');
    }
  }

  if (step === 'done' && result) {
    return (
      <div className="doctor-result" role="status">
        <p>
          Rewrote {plural(result.values, 'number')} on {plural(result.rewritten, 'record')} in {label}.
        </p>
        {result.failed.length > 0 ? (
          <>
            <p>{plural(result.failed.length, 'record')} could not be rewritten:</p>
            <ul aria-label="Not rewritten">
              {result.failed.map((f) => (
                <li key={`${f.objectType}-${f.recordId}-${f.reason}`}>
                  {f.name ?? `${f.objectType} ${f.recordId}`}: {f.reason}
                  {f.fix ? ` ${f.fix}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p className="hint">Run the checks again to see the numbers as they are now.</p>
      </div>
    );
  }
  if (step === 'idle') {
    return (
      <button type="button" onClick={() => setStep('confirm')}>
        Rewrite {plural(values, 'number')} to E.164
      </button>
    );
  }
  return (
    <div className="doctor-confirm" role="group" aria-label="Confirm the rewrite">
      <p>
        Rewrite {plural(values, 'phone number')} on {plural(records.length, 'record')} in {label}, through its
        API? Each value is replaced by its E.164 form:
      </p>
      <ul>
        {records.slice(0, SHOWN).flatMap((r) =>
          r.fixes.map((f) => (
            <li key={`${r.recordId}-${f.field}`}>
              {r.name} {f.field}: &quot;{f.from}&quot; → {f.to}
            </li>
          )),
        )}
        {records.length > SHOWN ? <li>and {plural(records.length - SHOWN, 'more record')}</li> : null}
      </ul>
      <ErrorNote error={error} />
      <div className="doctor-actions">
        <button type="button" onClick={rewrite} disabled={step === 'busy'}>
          {step === 'busy' ? 'Rewriting…' : `Yes, rewrite ${plural(values, 'number')}`}
        </button>
        <button type="button" className="link" onClick={() => setStep('idle')} disabled={step === 'busy'}>
          Cancel
        </button>
      </div>
    </div>
  );
}
