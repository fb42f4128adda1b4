/**
 * The decision trace (GEN-TRACE-1): the ordered rules the engine applied to
 * one call for one integration, each with its outcome, ending in what is
 * written or why nothing is.
 */

export type TraceOutcome =
  /** The rule let the call through or shaped a write. */
  | 'applied'
  /** The rule stopped logging: nothing (more) is written. */
  | 'stopped'
  /** The rule does not concern this call. */
  | 'skipped';

export interface TraceStep {
  /** A SPEC.md rule ID, e.g. "HS-OUT-1". */
  rule: string;
  outcome: TraceOutcome;
  /** One sentence a person can read: what was decided and from what. */
  detail: string;
}

export class TraceBuilder {
  readonly steps: TraceStep[] = [];

  applied(rule: string, detail: string): this {
    this.steps.push({ rule, outcome: 'applied', detail });
    return this;
  }

  skipped(rule: string, detail: string): this {
    this.steps.push({ rule, outcome: 'skipped', detail });
    return this;
  }

  stopped(rule: string, detail: string): this {
    this.steps.push({ rule, outcome: 'stopped', detail });
    return this;
  }
}
