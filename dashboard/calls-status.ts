/** What happened to a call in one integration, in a word, from its trace and its work item. */
import type { ReplyOf } from './api.ts';

export type FoundCall = ReplyOf<'searchCalls'>['calls'][number];
export type Logging = FoundCall['logging'][number];
export type WorkView = FoundCall['work'][number];

export interface IntegrationOutcome {
  integrationId: string;
  logging: Logging | undefined;
  work: WorkView | undefined;
  /** "Logged", "Not logged", "Failed"... */
  word: string;
  tone: 'ok' | 'bad' | 'none';
}

function wordOf(
  logging: Logging | undefined,
  work: WorkView | undefined,
): Pick<IntegrationOutcome, 'word' | 'tone'> {
  if (work?.state === 'failed') return { word: 'Failed', tone: 'bad' };
  if (work?.state === 'paused') return { word: 'Paused: reconnect the CRM', tone: 'bad' };
  if (work?.state === 'pending' || work?.state === 'running') return { word: 'In progress', tone: 'none' };
  if (!logging) return { word: 'Not planned yet', tone: 'none' };
  if (logging.outcome === 'write') return { word: 'Logged', tone: 'ok' };
  if (logging.outcome === 'wait') return { word: 'Waiting for more events', tone: 'none' };
  return { word: 'Not logged', tone: 'none' };
}

/** One entry per integration that planned the call or has work for it. */
export function outcomesOf(call: FoundCall): IntegrationOutcome[] {
  const ids = [
    ...new Set([...call.logging.map((l) => l.integrationId), ...call.work.map((w) => w.integrationId)]),
  ];
  return ids.sort().map((integrationId) => {
    const logging = call.logging.find((l) => l.integrationId === integrationId);
    const work = call.work.find((w) => w.integrationId === integrationId);
    return { integrationId, logging, work, ...wordOf(logging, work) };
  });
}
