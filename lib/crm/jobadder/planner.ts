// PLACEHOLDER: replaced by the jobadder planner.
import { type CrmPlanner, nothing } from '../../logging/crm-planner.ts';
import type { JobadderSettings } from './settings.ts';

export const jobadderPlanner: CrmPlanner<JobadderSettings> = {
  crm: 'jobadder',
  planCall: () => nothing(),
  planMessage: () => nothing(),
};
