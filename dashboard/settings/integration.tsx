/**
 * One integration's settings: its warnings (HS-TIX-2, GEN-ADM-1), status,
 * connected numbers, and the form of every other setting. The form is checked
 * as it is typed, with the backend's own schema; Save stays disabled while
 * anything is refused, and a refusal by the backend keeps everything typed.
 */
import { type ReactNode, useMemo, useState } from 'react';
import type { Crm } from '../../lib/logging/plan-types.ts';
import { api, ApiFailure, type ReplyOf } from '../api.ts';
import { ErrorNote, useLoad, when } from '../ui.tsx';
import { CRM_SETTINGS } from './crms.ts';
import { STATUS_FIELDS } from './describe.ts';
import {
  defaultsOf,
  type Draft,
  type FieldErrors,
  sameSettings,
  serverErrors,
  setIn,
  unplaced,
  validate,
} from './draft.ts';
import { type FormContext, SettingsSections } from './form.tsx';
import { ConnectedNumbers } from './numbers.tsx';
import { Status } from './status.tsx';

export type IntegrationView = ReplyOf<'putIntegration'>;

/** The settings the form edits: everything but what the status switch and the numbers save. */
function editable(settings: Draft): Draft {
  const out = { ...settings };
  for (const k of STATUS_FIELDS) delete out[k];
  delete out.crm;
  return out;
}

function statusOf(settings: Draft): Draft {
  return Object.fromEntries(STATUS_FIELDS.filter((k) => k in settings).map((k) => [k, settings[k]]));
}

export function IntegrationSettings({
  companyId,
  companyCountry,
  crm,
  initial,
  onSaved,
}: {
  companyId: string;
  /** The company's default country: a new integration starts with it (GEN-PHONE-1). */
  companyCountry: string;
  crm: Crm;
  /** null: the CRM is connected but its settings were never saved (JA-INST-1: this screen comes next). */
  initial: IntegrationView | null;
  onSaved(next: IntegrationView): void;
}): ReactNode {
  const { label, sections } = CRM_SETTINGS[crm];
  const [integration, setIntegration] = useState(initial);
  const saved = useMemo(
    () => editable(integration?.settings ?? { ...defaultsOf(crm), defaultCountry: companyCountry }),
    [integration, crm, companyCountry],
  );
  const [draft, setDraft] = useState<Draft>(saved);
  const [refused, setRefused] = useState<FieldErrors>(new Map());
  const [saveError, setSaveError] = useState<unknown>(null);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);

  const choices = useLoad(() => api('settingsChoices', { params: { companyId, crm } }), [companyId, crm]);
  const tags = useLoad(
    () => (crm === 'hubspot' ? api('aircallTags', { params: { companyId } }) : Promise.resolve(null)),
    [companyId, crm],
  );

  const checked = useMemo(
    () => validate(crm, { ...draft, ...statusOf(integration?.settings ?? {}) }),
    [crm, draft, integration],
  );
  // The browser's reasons first; the backend's stay until the field is edited or saved again.
  const errors: FieldErrors = new Map([...refused, ...checked]);
  const dirty = !sameSettings(draft, saved);

  function update(next: IntegrationView) {
    setIntegration(next);
    onSaved(next);
  }

  const ctx: FormContext = {
    draft,
    errors,
    choices: choices.data,
    tags: tags.data?.tags ?? null,
    set(path, value) {
      setSavedAt(null);
      setDraft((d) => setIn(d, path, value));
      setRefused((r) => new Map([...r].filter(([f]) => f !== path && !f.startsWith(`${path}.`))));
    },
  };

  async function save() {
    setSaving(true);
    setSaveError(null);
    setSavedAt(null);
    try {
      // The status and numbers are read again just before saving, so a change made meanwhile (another
      // admin, or the product deactivating it for GEN-ADM-1) is not overwritten by this form.
      let status: Draft = {};
      if (integration) {
        const fresh = (await api('listIntegrations', { params: { companyId } })).integrations.find(
          (i) => i.crm === crm,
        );
        if (!fresh) {
          throw new ApiFailure(
            404,
            `This ${label} integration was deleted since the screen was opened; nothing was saved.`,
            `Reload the screen. To log into ${label} again, connect it on the Connections screen.`,
          );
        }
        status = statusOf(fresh.settings);
      }
      const next = await api('putIntegration', { params: { companyId, crm }, body: { ...draft, ...status } });
      setRefused(new Map());
      setIntegration(next);
      setDraft(editable(next.settings));
      setSavedAt(next.updatedAt);
      onSaved(next);
    } catch (err) {
      // Everything typed stays in the form; the backend's reasons go beside their fields.
      setSaveError(err);
      if (err instanceof ApiFailure) setRefused(serverErrors(err.fields));
    } finally {
      setSaving(false);
    }
  }

  const shownPaths = sections.flatMap((s) => s.fields.map((f) => f.path));
  const elsewhere = unplaced(errors, shownPaths);
  const warnings = [...(integration?.warnings ?? [])].sort((a, b) => b.at - a.at).slice(0, 10);

  return (
    <section
      className="settings-integration"
      aria-label={`${label} settings`}
      data-crm={crm}
      aria-busy={choices.loading || tags.loading}
    >
      {warnings.length > 0 ? (
        <div className="warning settings-banner" role="alert" data-warnings>
          <p>
            <strong>The product changed this integration’s settings:</strong>
          </p>
          <ul>
            {warnings.map((w) => (
              <li key={`${w.at}-${w.message}`}>
                {w.message} <span className="settings-rule">{w.rule}</span>{' '}
                <span className="hint">{when(w.at)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {integration ? (
        <>
          <Status companyId={companyId} crm={crm} integration={integration} onSaved={update} />
          <ConnectedNumbers companyId={companyId} crm={crm} integration={integration} onSaved={update} />
        </>
      ) : (
        <p className="warning">
          {label} is connected but not set up yet: these are the default settings. Save them to start logging;
          the status and connected numbers follow.
        </p>
      )}

      <ErrorNote error={choices.error} />
      <ErrorNote error={tags.error} />

      <form
        className="settings-form"
        aria-label={`${label} settings form`}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {elsewhere.length > 0 ? (
          <div className="field-error" role="alert" data-field-error="(other)">
            {elsewhere.flatMap(([field, messages]) =>
              messages.map((m) => <p key={field + m}>{`${field}: ${m}`}</p>),
            )}
          </div>
        ) : null}
        <SettingsSections sections={sections} ctx={ctx} />
        <div className="settings-actions settings-save">
          <button type="submit" disabled={saving || checked.size > 0 || (integration !== null && !dirty)}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
          {checked.size > 0 ? (
            <span className="field-error">
              {checked.size === 1 ? 'One setting is' : `${checked.size} settings are`} refused: see the reason
              beside it.
            </span>
          ) : null}
          {dirty && checked.size === 0 && !saving ? <span className="hint">Unsaved changes.</span> : null}
          {savedAt !== null ? <span role="status">Settings saved ({when(savedAt)}).</span> : null}
        </div>
        <ErrorNote error={saveError} />
      </form>
    </section>
  );
}
