/**
 * Renders a CRM's settings description (describe.ts) over the draft: one
 * control per field, each with its rule, hint and the reasons it is refused.
 */
import { type ReactNode, useId } from 'react';
import type { SettingsChoices } from '../../lib/api/contract-settings.ts';
import { FieldErrorsNote, invalidProps, Select } from './controls.tsx';
import type { FieldSpec, SectionSpec } from './describe.ts';
import { type Draft, errorsUnder, type FieldErrors, getIn } from './draft.ts';
import { TagOutcomes } from './tag-outcomes.tsx';
import { Tickets } from './tickets.tsx';

export interface FormContext {
  draft: Draft;
  errors: FieldErrors;
  /** What the CRM offers (`settingsChoices`); null while loading or when it could not be read. */
  choices: SettingsChoices | null;
  /** The company's Aircall tags (HS-OUT-3); null while loading or when they could not be read. */
  tags: { id: number; name: string }[] | null;
  set(path: string, value: unknown): void;
}

export function SettingsSections({
  sections,
  ctx,
}: {
  sections: SectionSpec[];
  ctx: FormContext;
}): ReactNode {
  return sections.map((section) => (
    <fieldset key={section.title} className="settings-section">
      <legend>{section.title}</legend>
      {section.hint ? <p className="hint">{section.hint}</p> : null}
      {section.fields.map((field) => (
        <div key={field.path} className="settings-item" data-setting={field.path}>
          <Field field={field} ctx={ctx} />
        </div>
      ))}
    </fieldset>
  ));
}

function Rule({ rule }: { rule: string }): ReactNode {
  return <span className="settings-rule">{rule}</span>;
}

function Hint({ field }: { field: FieldSpec }): ReactNode {
  return field.hint ? <p className="hint">{field.hint}</p> : null;
}

function Field({ field, ctx }: { field: FieldSpec; ctx: FormContext }): ReactNode {
  const id = useId();
  const errorId = `${id}-error`;
  const { path, control } = field;
  const value = getIn(ctx.draft, path);
  const messages = errorsUnder(ctx.errors, path);
  const errorsNote = <FieldErrorsNote id={errorId} field={path} messages={messages} />;

  switch (control.kind) {
    case 'switch':
      return (
        <>
          <label className="settings-switch">
            <input
              type="checkbox"
              checked={value === true}
              onChange={(e) => ctx.set(path, e.target.checked)}
              {...invalidProps(errorId, messages)}
            />
            {field.label} <Rule rule={field.rule} />
          </label>
          <Hint field={field} />
          {errorsNote}
        </>
      );
    case 'either':
    case 'choice': {
      const options =
        control.kind === 'either'
          ? [
              { value: 'on', label: control.on, is: true as unknown },
              { value: 'off', label: control.off, is: false as unknown },
            ]
          : control.options.map((o) => ({ value: o.value ?? '', label: o.label, is: o.value as unknown }));
      return (
        <fieldset className="settings-choice" {...invalidProps(errorId, messages)}>
          <legend>
            {field.label} <Rule rule={field.rule} />
          </legend>
          <Hint field={field} />
          {options.map((o) => (
            <label key={o.value} className="settings-switch">
              <input
                type="radio"
                name={`${id}-${path}`}
                value={o.value}
                checked={value === o.is}
                onChange={() => ctx.set(path, o.is)}
              />
              {o.label}
            </label>
          ))}
          {errorsNote}
        </fieldset>
      );
    }
    case 'crm': {
      const options = control.options(ctx.choices);
      return (
        <>
          <Select
            label={field.label}
            field={path}
            value={typeof value === 'string' ? value : null}
            options={options}
            onChange={(v) => ctx.set(path, v)}
            messages={messages}
            missing={ctx.choices ? `not a ${control.what} now` : 'list not loaded'}
            rule={field.rule}
          />
          <Hint field={field} />
        </>
      );
    }
    case 'text':
      return (
        <>
          <div className="settings-field">
            <label htmlFor={id}>
              {field.label} <Rule rule={field.rule} />
            </label>
            <input
              id={id}
              type="text"
              value={typeof value === 'string' ? value : ''}
              placeholder={control.placeholder}
              maxLength={control.maxLength}
              onChange={(e) =>
                ctx.set(path, control.optional && e.target.value === '' ? undefined : e.target.value)
              }
              {...invalidProps(errorId, messages)}
            />
          </div>
          <Hint field={field} />
          {errorsNote}
        </>
      );
    case 'number':
      return (
        <>
          <div className="settings-field">
            <label htmlFor={id}>
              {field.label} ({control.unit}) <Rule rule={field.rule} />
            </label>
            <input
              id={id}
              type="number"
              min={control.min}
              step={1}
              value={typeof value === 'number' && Number.isFinite(value) ? value : ''}
              // An empty or unreadable box is kept as null, which the schema refuses with its reason.
              onChange={(e) => ctx.set(path, e.target.value === '' ? null : e.target.valueAsNumber)}
              {...invalidProps(errorId, messages)}
            />
          </div>
          <Hint field={field} />
          {errorsNote}
        </>
      );
    case 'grid':
      return (
        <>
          <p className="settings-grid-title">
            {field.label} <Rule rule={field.rule} />
          </p>
          <Hint field={field} />
          <FieldErrorsNote id={errorId} field={path} messages={ctx.errors.get(path) ?? []} />
          <table className="settings-grid">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">{control.column}</th>
              </tr>
            </thead>
            <tbody>
              {control.rows.map((row) => {
                const rowPath = `${path}.${row.key}`;
                const rowValue = getIn(ctx.draft, rowPath);
                return (
                  <tr key={row.key}>
                    <th scope="row">{row.label}</th>
                    <td>
                      <Select
                        hideLabel
                        label={`${control.column} for ${row.label}`}
                        field={rowPath}
                        value={typeof rowValue === 'string' ? rowValue : null}
                        options={row.options}
                        onChange={(v) => ctx.set(rowPath, v)}
                        messages={errorsUnder(ctx.errors, rowPath)}
                        missing="not allowed"
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      );
    case 'tickets':
      return <Tickets field={field} ctx={ctx} />;
    case 'tagOutcomes':
      return <TagOutcomes field={field} ctx={ctx} />;
  }
}
