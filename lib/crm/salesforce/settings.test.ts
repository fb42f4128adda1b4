import { describe, expect, it } from 'vitest';
import { settingsIssues } from '../../logging/settings.ts';
import { integrationSettingsSchema } from '../../logging/settings-union.ts';
import { salesforceSettingsSchema } from './settings.ts';

describe('salesforceSettingsSchema', () => {
  it('fills every default: Tasks completed, all hours, Contacts for unknown numbers, SMS logged', () => {
    const s = salesforceSettingsSchema.parse({ crm: 'salesforce', connectedNumbers: [1] });
    expect(s.taskStatus).toEqual({
      outbound_answered: 'completed',
      outbound_unanswered: 'completed',
      inbound_answered: 'completed',
      missed_no_voicemail: 'completed',
      missed_voicemail: 'completed',
      sms_outbound: 'completed',
      sms_inbound: 'completed',
    });
    expect(s).toMatchObject({
      onlyBusinessHours: false,
      newRecord: 'contact',
      relateTo: 'case',
      createCase: false,
      unmatchedOwnerId: null,
      logSms: true,
      active: true,
    });
  });

  it('SF-STAT-1: a partial taskStatus keeps the defaults of the other types', () => {
    const s = salesforceSettingsSchema.parse({
      crm: 'salesforce',
      taskStatus: { missed_voicemail: 'open', sms_inbound: 'nothing' },
    });
    expect(s.taskStatus.missed_voicemail).toBe('open');
    expect(s.taskStatus.sms_inbound).toBe('nothing');
    expect(s.taskStatus.inbound_answered).toBe('completed');
  });

  it('SF-STAT-1: an unknown status names the allowed values and the rule', () => {
    const r = salesforceSettingsSchema.safeParse({
      crm: 'salesforce',
      taskStatus: { inbound_answered: 'done' },
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    const [issue] = settingsIssues(r.error);
    expect(issue?.field).toBe('taskStatus.inbound_answered');
    expect(issue?.message).toContain('allowed: completed, open, nothing (SF-STAT-1)');
    expect(issue?.allowed).toEqual(['completed', 'open', 'nothing']);
  });

  it('SF-NEW-1: the record for unknown numbers is contact, lead, account or none', () => {
    for (const newRecord of ['contact', 'lead', 'account', 'none'] as const) {
      expect(salesforceSettingsSchema.parse({ crm: 'salesforce', newRecord }).newRecord).toBe(newRecord);
    }
    const r = salesforceSettingsSchema.safeParse({ crm: 'salesforce', newRecord: 'opportunity' });
    expect(r.success).toBe(false);
    if (!r.success) expect(settingsIssues(r.error)[0]?.message).toContain('(SF-NEW-1)');
  });

  it('SF-OWN-2: unmatchedOwnerId must be a Salesforce User id', () => {
    expect(
      salesforceSettingsSchema.parse({ crm: 'salesforce', unmatchedOwnerId: '005FALLBACK001A' })
        .unmatchedOwnerId,
    ).toBe('005FALLBACK001A');
    expect(
      salesforceSettingsSchema.parse({ crm: 'salesforce', unmatchedOwnerId: '005FALLBACK001AAAA' })
        .unmatchedOwnerId,
    ).toBe('005FALLBACK001AAAA');
    const r = salesforceSettingsSchema.safeParse({ crm: 'salesforce', unmatchedOwnerId: '00GQUEUE0000001' });
    expect(r.success).toBe(false);
    if (!r.success) expect(settingsIssues(r.error)[0]?.message).toContain('SF-OWN-2');
  });

  it('SF-HOURS-1, SF-CASE-1, SF-SMS-1: the switches are booleans', () => {
    const s = salesforceSettingsSchema.parse({
      crm: 'salesforce',
      onlyBusinessHours: true,
      createCase: true,
      logSms: false,
    });
    expect(s).toMatchObject({ onlyBusinessHours: true, createCase: true, logSms: false });
    expect(salesforceSettingsSchema.safeParse({ crm: 'salesforce', createCase: 'yes' }).success).toBe(false);
  });

  it('SF-CASE-2: relateTo is case, opportunity or none', () => {
    expect(salesforceSettingsSchema.parse({ crm: 'salesforce', relateTo: 'opportunity' }).relateTo).toBe(
      'opportunity',
    );
    const r = salesforceSettingsSchema.safeParse({ crm: 'salesforce', relateTo: 'account' });
    expect(r.success).toBe(false);
    if (!r.success) expect(settingsIssues(r.error)[0]?.message).toContain('(SF-CASE-2)');
  });

  it('is one branch of the integration settings union', () => {
    const s = integrationSettingsSchema.parse({ crm: 'salesforce', connectedNumbers: [1, 2] });
    expect(s.crm).toBe('salesforce');
    if (s.crm === 'salesforce') expect(s.newRecord).toBe('contact');
  });
});
