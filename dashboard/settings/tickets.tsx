/**
 * HubSpot tickets (HS-TIX-1): one pipeline, then per call or SMS type create
 * / update / do nothing, with a stage of that pipeline for create and update.
 * Pipelines and stages come from HubSpot (`settingsChoices`); a pipeline or
 * stage HubSpot no longer has stays visible, marked, until the backend's
 * HS-TIX-2 check replaces it (the integration's warning banner says so).
 */
import type { ReactNode } from 'react';
import { ACTIVITY_TYPES } from '../../lib/logging/classify.ts';
import { HUBSPOT_TICKET_TYPE_LABELS, TICKET_ACTIONS } from '../../lib/crm/hubspot/settings.ts';
import { FieldErrorsNote, Select } from './controls.tsx';
import { optionsOf, type FieldSpec } from './describe.ts';
import { errorsUnder, getIn } from './draft.ts';
import type { FormContext } from './form.tsx';

const ACTIONS = optionsOf(TICKET_ACTIONS, {
  create: 'Create a new ticket',
  update: 'Update the existing ticket',
  none: 'Do nothing',
});

export function Tickets({ field, ctx }: { field: FieldSpec; ctx: FormContext }): ReactNode {
  const path = field.path;
  const pipelineId = getIn(ctx.draft, `${path}.pipelineId`);
  const current = typeof pipelineId === 'string' ? pipelineId : null;
  const pipelines = ctx.choices?.crm === 'hubspot' ? ctx.choices.pipelines : [];
  const stages = pipelines.find((p) => p.id === current)?.stages ?? [];
  const missing = ctx.choices ? 'not in HubSpot now' : 'list not loaded';

  /** Stages belong to one pipeline: another pipeline (or none) clears them, and create/update then ask for one. */
  function pickPipeline(next: string | null) {
    if (next === current) return;
    ctx.set(`${path}.pipelineId`, next);
    for (const type of ACTIVITY_TYPES) ctx.set(`${path}.types.${type}.stageId`, null);
  }

  // Reasons about the tickets as a whole (none today; the schema may add some) are shown above the table.
  const placed = (f: string) =>
    /^\.(pipelineId|types\.[a-z_]+\.(action|stageId))$/.test(f.slice(path.length));
  const general = [...ctx.errors].filter(([f]) => (f === path || f.startsWith(`${path}.`)) && !placed(f));

  return (
    <>
      <FieldErrorsNote id={`${path}-errors`} field={path} messages={general.flatMap(([, m]) => m)} />
      <Select
        label="Ticket pipeline"
        field={`${path}.pipelineId`}
        value={current}
        options={[
          { value: null, label: 'No pipeline (no tickets)' },
          ...pipelines.map((p) => ({ value: p.id, label: p.label })),
        ]}
        onChange={pickPipeline}
        messages={ctx.errors.get(`${path}.pipelineId`) ?? []}
        missing={missing}
      />
      <table className="settings-grid">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Ticket</th>
            <th scope="col">Stage</th>
          </tr>
        </thead>
        <tbody>
          {ACTIVITY_TYPES.map((type) => {
            const typePath = `${path}.types.${type}`;
            const action = getIn(ctx.draft, `${typePath}.action`);
            const stageId = getIn(ctx.draft, `${typePath}.stageId`);
            const what = HUBSPOT_TICKET_TYPE_LABELS[type];
            return (
              <tr key={type}>
                <th scope="row">{what}</th>
                <td>
                  <Select
                    hideLabel
                    label={`Tickets for ${what}`}
                    field={`${typePath}.action`}
                    value={typeof action === 'string' ? action : null}
                    options={ACTIONS}
                    onChange={(v) => {
                      ctx.set(`${typePath}.action`, v);
                      // "Do nothing" needs no stage; keeping one would only confuse the next reader.
                      if (v === 'none') ctx.set(`${typePath}.stageId`, null);
                    }}
                    messages={errorsUnder(ctx.errors, `${typePath}.action`)}
                    missing="not allowed"
                  />
                </td>
                <td>
                  <Select
                    hideLabel
                    label={`Stage for ${what}`}
                    field={`${typePath}.stageId`}
                    value={typeof stageId === 'string' ? stageId : null}
                    options={[
                      ...(action === 'none' ? [{ value: null, label: '—' }] : []),
                      ...stages.map((s) => ({
                        value: s.id,
                        label: s.state === 'CLOSED' ? `${s.label} (closed)` : s.label,
                      })),
                    ]}
                    placeholder={current ? 'Pick a stage' : 'Pick a pipeline first'}
                    disabled={action === 'none'}
                    onChange={(v) => ctx.set(`${typePath}.stageId`, v)}
                    messages={errorsUnder(ctx.errors, `${typePath}.stageId`)}
                    missing={missing}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
