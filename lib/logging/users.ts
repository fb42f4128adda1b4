/**
 * Aircall users and CRM users are matched by email (GEN-EMAIL-1). The
 * articles warn the match may be case-sensitive; this product compares
 * case-insensitively and ignores surrounding spaces.
 */
import type { AircallUserRef } from '../aircall/callState.ts';
import type { CrmUser } from './plan-types.ts';

export function normaliseEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}

/** The active CRM user with the Aircall user's email, or null. */
export function crmUserFor(aircallUser: AircallUserRef | null, users: CrmUser[]): CrmUser | null {
  const email = normaliseEmail(aircallUser?.email);
  if (!email) return null;
  return users.find((u) => u.active && normaliseEmail(u.email) === email) ?? null;
}
