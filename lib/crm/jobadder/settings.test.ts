import { describe, expect, it } from 'vitest';
import { settingsIssues } from '../../logging/settings.ts';
import { integrationSettingsSchema } from '../../logging/settings-union.ts';
import { jobadderSettingsSchema } from './settings.ts';

const base = { crm: 'jobadder', connectedNumbers: [1] } as const;

function issuesOf(input: Record<string, unknown>) {
  const parsed = jobadderSettingsSchema.safeParse({ ...base, ...input });
  if (parsed.success) throw new Error('expected the settings to be refused');
  return settingsIssues(parsed.error);
}

describe('JobAdder settings', () => {
  it('JA-CALL-1, JA-SMS-1, JA-DUP-1, JA-SYNC-1: defaults follow seed 003', () => {
    const s = jobadderSettingsSchema.parse(base);
    expect(s).toMatchObject({
      crm: 'jobadder',
      active: true,
      connectedNumbers: [1],
      logAiInsights: true,
      logRecordingLink: true,
      smsMode: 'conversation',
      duplicates: 'most_recent',
      contactSync: false,
      maxNoteLength: 10_000,
      noteType: 'Call',
      smsNoteType: 'SMS',
    });
  });

  it('JA-SMS-1: an unknown SMS mode is refused, naming the allowed modes and the rule', () => {
    const [issue] = issuesOf({ smsMode: 'thread' });
    expect(issue?.field).toBe('smsMode');
    expect(issue?.allowed).toEqual(['conversation', 'note_per_sms', 'none']);
    expect(issue?.message).toContain('JA-SMS-1');
  });

  it('JA-DUP-1: an unknown duplicate choice is refused, naming the allowed choices and the rule', () => {
    const [issue] = issuesOf({ duplicates: 'oldest' });
    expect(issue?.field).toBe('duplicates');
    expect(issue?.allowed).toEqual(['most_recent', 'nothing']);
    expect(issue?.message).toContain('JA-DUP-1');
  });

  it('JA-SMS-1: the maximum note length is a positive whole number', () => {
    expect(issuesOf({ maxNoteLength: 0 })[0]?.field).toBe('maxNoteLength');
    expect(issuesOf({ maxNoteLength: 12.5 })[0]?.field).toBe('maxNoteLength');
    expect(jobadderSettingsSchema.parse({ ...base, maxNoteLength: 64_000 }).maxNoteLength).toBe(64_000);
  });

  it('JA-CALL-1: note types respect JobAdder’s 50-character limit and may not be empty', () => {
    const [long] = issuesOf({ noteType: 'x'.repeat(51) });
    expect(long?.field).toBe('noteType');
    expect(long?.message).toContain('50');
    expect(issuesOf({ smsNoteType: '  ' })[0]?.field).toBe('smsNoteType');
    expect(jobadderSettingsSchema.parse({ ...base, noteType: ' Phone call ' }).noteType).toBe('Phone call');
  });

  it('JA-SYNC-1: the integration union reads JobAdder settings by their crm', () => {
    const s = integrationSettingsSchema.parse({ ...base, contactSync: true, smsMode: 'none' });
    expect(s.crm).toBe('jobadder');
    if (s.crm === 'jobadder') expect([s.contactSync, s.smsMode]).toEqual([true, 'none']);
  });
});
