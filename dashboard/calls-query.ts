/** The calls search form's fields to the searchCalls route's query (lib/api/contract-dashboard.ts). */
import { endOfMinute, fromLocalInput } from './backfill-window.ts';

export interface CallCriteria {
  /** Any format the company's default country reads; the backend compares in E.164. */
  number: string;
  /** An Aircall user id (digits) or part of the agent's name. */
  agent: string;
  /** datetime-local values, in the admin's zone. */
  from: string;
  to: string;
  callId: string;
}

export const NO_CRITERIA: CallCriteria = { number: '', agent: '', from: '', to: '', callId: '' };

export type CallQuery = Record<string, string | number | undefined>;

/** The query, or the reason the form cannot be searched. */
export function callQueryOf(c: CallCriteria): { query: CallQuery } | { error: string } {
  const agent = c.agent.trim();
  const from = c.from ? fromLocalInput(c.from) : null;
  const to = c.to ? fromLocalInput(c.to) : null;
  if (c.from && from === null) return { error: 'The "From" time cannot be read: pick a date and a time.' };
  if (c.to && to === null) return { error: 'The "To" time cannot be read: pick a date and a time.' };
  if (from !== null && to !== null && from > to) return { error: '"From" is after "To": swap them.' };
  const callId = c.callId.trim();
  if (callId && !/^\d+$/.test(callId)) return { error: 'A call id is a number, as Aircall shows it.' };
  return {
    query: {
      number: c.number.trim() || undefined,
      agentUserId: /^\d+$/.test(agent) ? agent : undefined,
      agent: agent && !/^\d+$/.test(agent) ? agent : undefined,
      from: from ?? undefined,
      to: to === null ? undefined : endOfMinute(to),
      callId: callId || undefined,
    },
  };
}
