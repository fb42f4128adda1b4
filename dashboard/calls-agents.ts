/** The company's Aircall users, for picking an agent (calls search, agent tokens). */
import { api, type ReplyOf } from './api.ts';
import { type Loaded, useLoad } from './ui.tsx';

export type AircallUser = ReplyOf<'aircallUsers'>['users'][number];

export function useAircallUsers(companyId: string): Loaded<ReplyOf<'aircallUsers'>> {
  return useLoad(() => api('aircallUsers', { params: { companyId } }), [companyId]);
}

/** "Alice Martin (11)", or "Aircall user 11" when the user is not (or no longer) listed. */
export function agentName(users: AircallUser[] | undefined, id: number | null | undefined): string {
  if (id === null || id === undefined) return '';
  const u = users?.find((x) => x.id === id);
  return u ? `${u.name} (${id})` : `Aircall user ${id}`;
}
