/**
 * How the doctor (GEN-DOC-1..6, seed 004) tells what it could not check: a
 * thrown error (the CRM needing reconnection, refusing, unreachable, rate
 * limiting) becomes an Explained (what went wrong and what to do), and a check
 * that could not run becomes a finding saying so, never a failed request.
 * Also the finding's reply shape (contract-doctor.ts findingSchema).
 */
import type { z } from 'zod';
import type { findingSchema } from '../../lib/api/contract-doctor.ts';
import { ApiError } from '../../lib/api/errors.ts';
import { NeedsReconnection } from '../../lib/crm/adapter.ts';
import { VendorError } from '../../lib/http/vendor.ts';
import type { DoctorCheck, Finding } from '../../lib/logging/doctor.ts';

type FindingView = z.infer<typeof findingSchema>;

/** Why something could not be read, and what to do about it. */
export interface Explained {
  title: string;
  reason: string;
  fix: string;
}

/** A thrown error as the admin should read it. */
export function explain(err: unknown, label: string): Explained {
  if (err instanceof NeedsReconnection) {
    return {
      title: `${label} needs to be reconnected`,
      reason: err.message,
      fix: `Reconnect ${label} on the Connections screen (its consent page, as an admin); calls wait and are logged once it is reconnected.`,
    };
  }
  if (err instanceof ApiError) {
    return { title: err.message, reason: err.message, fix: err.fix ?? 'Run the doctor again.' };
  }
  if (err instanceof VendorError) {
    if (err.status === 0) {
      return {
        title: `${label} cannot be reached`,
        reason: err.message,
        fix: `Check that ${label} is up and reachable from this backend, then run the doctor again.`,
      };
    }
    if (err.status === 401 || err.status === 403) {
      return {
        title: `${label} refused the request`,
        reason: `${label} answered ${err.status}: ${err.message}`,
        fix: `Reconnect ${label} (Connections) as an admin who may read its users and records.`,
      };
    }
    if (err.status === 429) {
      return {
        title: `${label} asked to slow down`,
        reason: `${label} answered 429 (rate limit): ${err.message}`,
        fix: 'Run the doctor again in a minute.',
      };
    }
    if (err.status >= 400 && err.status < 500) {
      return {
        title: `${label} refused the request`,
        reason: err.message,
        fix: err.field
          ? `Give ${err.field} a value on the record, or make it optional in ${label} (GEN-REQ-1), then try again.`
          : `Correct what ${label} names, in ${label} itself, then try again.`,
      };
    }
    return {
      title: `${label} answered ${err.status}`,
      reason: err.message,
      fix: 'Run the doctor again; if it keeps failing, look for an outage of the vendor.',
    };
  }
  return {
    title: 'The check failed',
    reason: err instanceof Error ? err.message : String(err),
    fix: 'Run the doctor again; if it keeps failing, report the time of the run.',
  };
}

/** A check that could not run (GEN-DOC-1..6): an error finding saying why and what to do. */
export function notRun(check: DoctorCheck, e: Explained): Finding {
  return { check, severity: 'error', title: `Not checked: ${e.title}`, detail: e.reason, fix: e.fix };
}

/** A finding as the doctor's reply gives it (contract-doctor.ts findingSchema). */
export function view(f: Finding): FindingView {
  return {
    check: f.check,
    severity: f.severity,
    title: f.title,
    detail: f.detail,
    fix: f.fix,
    examples: f.examples ?? [],
    count: f.count ?? null,
    ...(f.records ? { records: f.records } : {}),
  };
}

/** Whether a read gave its facts or an Explained reason it could not. */
export function isExplained<T extends object>(x: T | Explained): x is Explained {
  return 'reason' in x && 'fix' in x && 'title' in x;
}
