/**
 * Business hours of an Aircall number at a moment (HS-GEN-1, SF-HOURS-1).
 * Aircall's public API does not publish a number's opening hours; the
 * sandbox exposes them as `sandbox_business_hours` on the number. Without a
 * schedule this returns null and the planner falls back to the payload's
 * `number.open` (lib/logging/business-hours.ts).
 */
import { z } from 'zod';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const range = z.tuple([z.string().regex(/^\d\d:\d\d$/), z.string().regex(/^\d\d:\d\d$/)]);
export const scheduleSchema = z.object({
  timeZone: z.string(),
  days: z.partialRecord(z.enum(DAYS), z.array(range)),
});
export type Schedule = z.infer<typeof scheduleSchema>;

export function withinSchedule(raw: unknown, atMs: number): boolean | null {
  const parsed = scheduleSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { timeZone, days } = parsed.data;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(atMs));
  } catch {
    return null;
  }
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as (typeof DAYS)[number];
  const hhmm = `${get('hour')}:${get('minute')}`;
  return (days[day] ?? []).some(([from, to]) => hhmm >= from && hhmm < to);
}
