/**
 * STYLE.md practice 10 for the Integrations screen: every setting of every
 * CRM's schema (lib/crm/<crm>/settings.ts) has a control in the dashboard's
 * description of that CRM (dashboard/settings/<crm>.ts), or is one the
 * screen shows outside the form (status, numbers); and every control edits a
 * setting that exists. A setting added to a schema fails here until the
 * screen shows it.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CRM_SETTINGS } from '../../dashboard/settings/crms.ts';
import { STATUS_FIELDS } from '../../dashboard/settings/describe.ts';
import { defaultsOf, errorsUnder, serverErrors, setIn, validate } from '../../dashboard/settings/draft.ts';
import { hubspotSettingsSchema } from '../../lib/crm/hubspot/settings.ts';
import { jobadderSettingsSchema } from '../../lib/crm/jobadder/settings.ts';
import { salesforceSettingsSchema } from '../../lib/crm/salesforce/settings.ts';
import { CRMS } from '../../lib/logging/plan-types.ts';

const SCHEMAS = {
  hubspot: hubspotSettingsSchema,
  salesforce: salesforceSettingsSchema,
  jobadder: jobadderSettingsSchema,
};

/** The keys of a nested object setting (e.g. `outcomes`), through defaults and prefaults. */
function keysOf(schema: z.ZodType): string[] {
  const inner = (s: z.ZodType): z.ZodType => {
    const def = (s as { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
    return def.innerType ? inner(def.innerType) : def.in ? inner(def.in) : s;
  };
  const s = inner(schema);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

describe('Integrations screen: every setting has a control', () => {
  it.each(CRMS)('%s: each schema field is shown, and each control edits a schema field', (crm) => {
    const schema = SCHEMAS[crm];
    const fields = CRM_SETTINGS[crm].sections.flatMap((s) => s.fields);
    const shown = new Set([...fields.map((f) => f.path.split('.')[0]), ...STATUS_FIELDS]);
    const keys = Object.keys(schema.shape).filter((k) => k !== 'crm');
    expect(keys.filter((k) => !shown.has(k))).toEqual([]);
    expect([...shown].filter((k) => !keys.includes(k ?? ''))).toEqual([]);
    // A grid shows one row per key of its object (an outcome or Task status per call type).
    for (const f of fields) {
      if (f.control.kind !== 'grid') continue;
      const nested = schema.shape[f.path as keyof typeof schema.shape] as z.ZodType;
      expect(f.control.rows.map((r) => r.key).sort()).toEqual(keysOf(nested).sort());
    }
  });

  it('HS-TIX-1: the browser refuses what the backend refuses, keyed by field', () => {
    const draft = setIn(
      setIn(defaultsOf('hubspot'), 'tickets.pipelineId', '700'),
      'tickets.types.inbound_answered.action',
      'create',
    );
    const errors = validate('hubspot', draft);
    expect(errorsUnder(errors, 'tickets.types.inbound_answered.stageId')).toEqual([
      expect.stringContaining('which needs a stage of the ticket pipeline'),
    ]);
    expect(validate('hubspot', setIn(draft, 'tickets.types.inbound_answered.stageId', '701')).size).toBe(0);
  });

  it("the backend's field reasons are keyed the same way, without the repeated path", () => {
    const errors = serverErrors([{ field: 'maxNoteLength', message: 'maxNoteLength: must be positive' }]);
    expect(errors.get('maxNoteLength')).toEqual(['must be positive']);
  });
});
