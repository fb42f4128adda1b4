/**
 * Times typed in `<input type="datetime-local">` are the admin's own (the
 * browser's zone); the API takes UNIX ms. The zone is named next to the inputs.
 */

/** The browser's IANA zone, e.g. "Europe/Paris". */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** UNIX ms to a datetime-local value ("2025-03-01T09:30") in the browser's zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value, read in the browser's zone, to UNIX ms; null when empty or unreadable. */
export function fromLocalInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  // A date-time without an offset is local time (ECMA-262 Date.parse).
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** The end of the minute a datetime-local value names, so a window "to 10:30" includes 10:30:59. */
export function endOfMinute(ms: number): number {
  return ms + 59_999;
}
