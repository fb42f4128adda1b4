import { describe, expect, it } from 'vitest';
import { settingsIssues } from './settings.ts';
import { integrationSettingsSchema } from './settings-union.ts';

function issuesOf(input: unknown) {
  const r = integrationSettingsSchema.safeParse(input);
  if (r.success) throw new Error('expected the settings to be refused');
  return settingsIssues(r.error);
}

describe('integration settings', () => {
  it('defaults reproduce the articles: active, no number connected until an admin connects one', () => {
    const s = integrationSettingsSchema.parse({ crm: 'hubspot' });
    expect(s).toMatchObject({ active: true, activatedAt: null, connectedNumbers: [], defaultCountry: 'US' });
  });

  it('HS-OUT-1: an invalid setting is refused with the field, the reason and the allowed values', () => {
    expect(issuesOf({ crm: 'hubspot', outcomes: { inbound_answered: 'Busy' } })).toEqual([
      {
        field: 'outcomes.inbound_answered',
        message:
          'outcomes.inbound_answered: "Busy" is not allowed for inbound answered calls; allowed: Connected, None (HS-OUT-1)',
        allowed: ['Connected', 'None'],
      },
    ]);
  });

  it('GEN-PHONE-1: the default country must be a country code', () => {
    expect(issuesOf({ crm: 'jobadder', defaultCountry: 'XX' })).toEqual([
      {
        field: 'defaultCountry',
        message: 'defaultCountry: must be an ISO 3166 alpha-2 country code such as FR, DE or US',
      },
    ]);
  });

  it('names every wrong field at once', () => {
    const fields = issuesOf({
      crm: 'salesforce',
      taskStatus: { inbound_answered: 'done' },
      newRecord: 'opportunity',
    }).map((i) => i.field);
    expect(fields).toEqual(['taskStatus.inbound_answered', 'newRecord']);
  });

  it('refuses an unknown CRM, listing the supported ones', () => {
    expect(issuesOf({ crm: 'pipedrive' })[0]?.message).toBe(
      'crm: "pipedrive" is not a supported CRM; allowed: hubspot, salesforce, jobadder',
    );
  });
});
