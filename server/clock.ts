/**
 * The backend's clock, injectable so time rules (business hours, GEN-ACT-2,
 * a CRM user's age) are testable against the simulators' clocks.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can set; it keeps running from the set time. */
export class SettableClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  set(ms: number): void {
    this.offset = ms - Date.now();
  }
}
