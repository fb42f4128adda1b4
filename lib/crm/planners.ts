/** Which planner serves which CRM: the switch narrows the settings to that CRM's type. */
import type { CallPlanArgs, MessagePlanArgs, PlanBody } from '../logging/crm-planner.ts';
import type { IntegrationSettings } from '../logging/settings-union.ts';
import { hubspotPlanner } from './hubspot/planner.ts';
import { jobadderPlanner } from './jobadder/planner.ts';
import { salesforcePlanner } from './salesforce/planner.ts';

export function planCallFor(
  settings: IntegrationSettings,
  args: Omit<CallPlanArgs<unknown>, 'settings'>,
): PlanBody {
  switch (settings.crm) {
    case 'hubspot':
      return hubspotPlanner.planCall({ ...args, settings });
    case 'salesforce':
      return salesforcePlanner.planCall({ ...args, settings });
    case 'jobadder':
      return jobadderPlanner.planCall({ ...args, settings });
  }
}

export function planMessageFor(
  settings: IntegrationSettings,
  args: Omit<MessagePlanArgs<unknown>, 'settings'>,
): PlanBody {
  switch (settings.crm) {
    case 'hubspot':
      return hubspotPlanner.planMessage({ ...args, settings });
    case 'salesforce':
      return salesforcePlanner.planMessage({ ...args, settings });
    case 'jobadder':
      return jobadderPlanner.planMessage({ ...args, settings });
  }
}
