/**
 * The settings form's controls: real inputs with their labels, each with the
 * reasons it is refused right beside it (linked by aria-describedby), so a
 * keyboard or screen-reader user meets the reason where the field is.
 */
import { type ReactNode, useId } from 'react';
import type { Option } from './describe.ts';

/** `null` cannot be an option's value in HTML: it travels as this. */
const NULL_VALUE = '';

export const toOptionValue = (v: string | null): string => v ?? NULL_VALUE;
export const fromOptionValue = (v: string): string | null => (v === NULL_VALUE ? null : v);

/** The reasons a field is refused; `field` (its dotted path) lets tests and styles find them. */
export function FieldErrorsNote({
  id,
  field,
  messages,
}: {
  id: string;
  field: string;
  messages: string[];
}): ReactNode {
  if (messages.length === 0) return null;
  return (
    <div id={id} className="field-error" data-field-error={field} role="alert">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

/** What an input needs to say it is refused and where the reasons are. */
export function invalidProps(errorId: string, messages: string[]) {
  return messages.length > 0 ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
}

/**
 * A select over `options`; a current value that is not among them (a user
 * deleted in the CRM, a note type renamed) stays visible, marked, rather than
 * silently showing another.
 */
export function Select({
  label,
  value,
  options,
  onChange,
  messages,
  field,
  missing,
  disabled,
  placeholder,
  hideLabel,
  rule,
}: {
  label: string;
  value: string | null;
  options: Option[];
  onChange: (v: string | null) => void;
  messages: string[];
  field: string;
  /** How a value not among the options is shown, e.g. "not in HubSpot". */
  missing: string;
  disabled?: boolean;
  /** Shown for `null` when null is not an option ("Pick a stage"). */
  placeholder?: string;
  /** In a table whose row and column headers already say it: the label is for screen readers only. */
  hideLabel?: boolean;
  /** The SPEC rule the setting implements, shown with the label. */
  rule?: string;
}): ReactNode {
  const id = useId();
  const errorId = `${id}-error`;
  const known = options.some((o) => o.value === value);
  const shown: Option[] = [
    ...(value === null && !known ? [{ value: null, label: placeholder ?? '—' }] : []),
    ...(value !== null && !known ? [{ value, label: `${value} (${missing})` }] : []),
    ...options,
  ];
  return (
    <div className="settings-field">
      <label htmlFor={id} className={hideLabel ? 'settings-sr-only' : undefined}>
        {label}
        {rule ? (
          <>
            {' '}
            <span className="settings-rule">{rule}</span>
          </>
        ) : null}
      </label>
      <select
        id={id}
        value={toOptionValue(value)}
        disabled={disabled}
        onChange={(e) => onChange(fromOptionValue(e.target.value))}
        {...invalidProps(errorId, messages)}
      >
        {shown.map((o) => (
          <option key={toOptionValue(o.value)} value={toOptionValue(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrorsNote id={errorId} field={field} messages={messages} />
    </div>
  );
}
