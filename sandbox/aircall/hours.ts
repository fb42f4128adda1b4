/**
 * Whether a number is open at a given instant, from its SANDBOX business
 * hours (state.ts `BusinessHours`). Aircall itself only tells `open` in each
 * payload (API-CONTRACTS 1.4); the simulator derives it so that `open` in the
 * number objects and in played calls follows the simulator's clock.
 */
import { type BusinessHours, WEEKDAYS } from './state.ts';

/** Weekday and "HH:MM" of `ms` (UNIX ms) in `timeZone`. */
function localTime(ms: number, timeZone: string): { day: (typeof WEEKDAYS)[number]; hhmm: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAYS.find((d) => d === part('weekday').toLowerCase()) ?? 'sun';
  return { day, hhmm: `${part('hour').padStart(2, '0')}:${part('minute').padStart(2, '0')}` };
}

/** True when `ms` falls in one of the day's ranges (start inclusive, end exclusive). */
export function isOpenAt(hours: BusinessHours, ms: number): boolean {
  const { day, hhmm } = localTime(ms, hours.timeZone);
  return (hours.days[day] ?? []).some(([from, to]) => hhmm >= from && hhmm < to);
}
