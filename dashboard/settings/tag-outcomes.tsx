/**
 * HS-OUT-3: Aircall tags mapped to the portal's outcomes (default or custom).
 * Tags come from Aircall (`aircallTags`), outcomes from HubSpot
 * (`settingsChoices`); a tag maps to one outcome, which the schema checks.
 */
import type { ReactNode } from 'react';
import { FieldErrorsNote, Select } from './controls.tsx';
import type { FieldSpec } from './describe.ts';
import { errorsUnder, getIn } from './draft.ts';
import type { FormContext } from './form.tsx';

interface Mapping {
  tagId: number;
  tagName?: string;
  outcomeId: string;
}

function mappingsOf(value: unknown): Mapping[] {
  return Array.isArray(value) ? (value as Mapping[]) : [];
}

export function TagOutcomes({ field, ctx }: { field: FieldSpec; ctx: FormContext }): ReactNode {
  const path = field.path;
  const mappings = mappingsOf(getIn(ctx.draft, path));
  const tags = ctx.tags ?? [];
  const outcomes = ctx.choices?.crm === 'hubspot' ? ctx.choices.outcomes : [];
  const tagOptions = tags.map((t) => ({ value: String(t.id), label: t.name }));
  const outcomeOptions = outcomes.map((o) => ({ value: o.id, label: o.label }));
  const loading = ctx.tags === null || ctx.choices === null;
  const set = (next: Mapping[]) => ctx.set(path, next);

  function add() {
    const free = tags.find((t) => !mappings.some((m) => m.tagId === t.id)) ?? tags[0];
    const outcome = outcomes[0];
    if (!free || !outcome) return;
    set([...mappings, { tagId: free.id, tagName: free.name, outcomeId: outcome.id }]);
  }

  return (
    <fieldset className="settings-choice">
      <legend>
        {field.label} <span className="settings-rule">{field.rule}</span>
      </legend>
      {field.hint ? <p className="hint">{field.hint}</p> : null}
      <FieldErrorsNote id={`${path}-errors`} field={path} messages={ctx.errors.get(path) ?? []} />
      {mappings.length === 0 ? <p>No tag is mapped.</p> : null}
      <ol className="settings-mappings">
        {mappings.map((m, i) => {
          const n = i + 1;
          const at = `${path}.${i}`;
          return (
            <li key={i}>
              <Select
                label={`Tag of mapping ${n}`}
                field={`${at}.tagId`}
                value={String(m.tagId)}
                options={tagOptions}
                onChange={(v) => {
                  const tag = tags.find((t) => String(t.id) === v);
                  if (tag) ctx.set(at, { ...m, tagId: tag.id, tagName: tag.name });
                }}
                messages={errorsUnder(ctx.errors, `${at}.tagId`)}
                missing={loading ? 'list not loaded' : `${m.tagName ?? 'tag'}, not in Aircall now`}
              />
              <Select
                label={`Outcome of mapping ${n}`}
                field={`${at}.outcomeId`}
                value={m.outcomeId}
                options={outcomeOptions}
                onChange={(v) => ctx.set(`${at}.outcomeId`, v ?? '')}
                messages={errorsUnder(ctx.errors, `${at}.outcomeId`)}
                missing={loading ? 'list not loaded' : 'not a HubSpot outcome now'}
              />
              <button type="button" onClick={() => set(mappings.filter((_, j) => j !== i))}>
                Remove mapping {n}
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={add} disabled={tags.length === 0 || outcomes.length === 0}>
        Map a tag to an outcome
      </button>
      {!loading && tags.length === 0 ? <p className="hint">This Aircall company has no tags.</p> : null}
    </fieldset>
  );
}
