/**
 * The settings being edited: read and write by dotted path, and check them in
 * the browser with the very schema the backend saves with
 * (lib/logging/settings-union.ts), so an invalid combination is refused
 * beside its field before anything is sent.
 */
import { integrationSettingsSchema } from '../../lib/logging/settings-union.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';

export type Draft = Record<string, unknown>;

/** Field path -> the reasons it is refused. */
export type FieldErrors = Map<string, string[]>;

export function getIn(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A copy of `value` with `path` set (arrays stay arrays); `undefined` removes the key. */
export function setIn<T>(value: T, path: string, next: unknown): T {
  const [key, ...rest] = path.split('.');
  if (key === undefined) return value;
  const inner = rest.length === 0 ? next : setIn(getIn(value, key) ?? {}, rest.join('.'), next);
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[Number(key)] = inner;
    return copy as T;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (inner === undefined) delete copy[key];
  else copy[key] = inner;
  return copy as T;
}

/** The settings every integration of this CRM starts with (the schema's defaults). */
export function defaultsOf(crm: Crm): Draft {
  return integrationSettingsSchema.parse({ crm }) as Draft;
}

/** Check the draft as the backend will; each reason keyed by the field it is about. */
export function validate(crm: Crm, draft: Draft): FieldErrors {
  const parsed = integrationSettingsSchema.safeParse({ ...draft, crm });
  const errors: FieldErrors = new Map();
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    add(errors, issue.path.map(String).join('.') || '(settings)', issue.message);
  }
  return errors;
}

/**
 * The backend's refusal (`fields` of the API's error shape) keyed the same
 * way; its messages start with the field's path, which the screen already
 * shows by placing them beside the field.
 */
export function serverErrors(fields: readonly { field: string; message: string }[]): FieldErrors {
  const errors: FieldErrors = new Map();
  for (const f of fields) {
    const prefix = `${f.field}: `;
    add(errors, f.field, f.message.startsWith(prefix) ? f.message.slice(prefix.length) : f.message);
  }
  return errors;
}

function add(errors: FieldErrors, field: string, message: string): void {
  errors.set(field, [...(errors.get(field) ?? []), message]);
}

/** The reasons about `path` or anything under it. */
export function errorsUnder(errors: FieldErrors, path: string): string[] {
  return [...errors].flatMap(([field, messages]) =>
    field === path || field.startsWith(`${path}.`) ? messages : [],
  );
}

/** Reasons about no field the form shows (they are listed above it, so none is hidden). */
export function unplaced(errors: FieldErrors, shown: readonly string[]): [string, string[]][] {
  return [...errors].filter(([field]) => !shown.some((p) => field === p || field.startsWith(`${p}.`)));
}

/** Two drafts hold the same settings, whatever their keys' order. */
export function sameSettings(a: Draft, b: Draft): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, x]) => [k, sorted(x)]),
  );
}
