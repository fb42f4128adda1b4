import { describe, expect, it } from 'vitest';
import { crmRecord, crmUser } from '../../test/support/build.ts';
import {
  checkFields,
  checkInstaller,
  checkNumbers,
  checkPhoneFormats,
  checkUserEmails,
  installerInactiveReason,
  phoneRewritesFor,
} from './doctor.ts';
import { crmUserFor } from './users.ts';

describe('doctor', () => {
  it('GEN-EMAIL-1: Aircall and CRM users match by email ignoring case and spaces', () => {
    const users = [
      crmUser({ id: 'u1', email: 'Alice@Example.com ' }),
      crmUser({ id: 'u2', email: 'bob@example.com', active: false }),
    ];
    expect(crmUserFor({ id: 1, name: 'A', email: 'alice@example.COM' }, users)?.id).toBe('u1');
    expect(crmUserFor({ id: 2, name: 'B', email: 'bob@example.com' }, users)).toBeNull();
    expect(crmUserFor({ id: 3, name: 'C', email: null }, users)).toBeNull();
  });

  it('GEN-DOC-2: lists users whose emails differ only by case, have no CRM user, or have no email', () => {
    const findings = checkUserEmails(
      [
        { id: 1, name: 'Alice', email: 'Alice@example.com' },
        { id: 2, name: 'Bob', email: 'bob@example.com' },
        { id: 3, name: 'Carl', email: 'carl@example.com' },
        { id: 4, name: 'Dina', email: null },
      ],
      [crmUser({ email: 'alice@example.com' }), crmUser({ id: 'b', email: 'bob@example.com' })],
    );
    expect(findings.map((f) => [f.title, f.examples])).toEqual([
      ['Emails that match only when case is ignored', ['Alice <Alice@example.com>']],
      ['Aircall users with no CRM user of the same email', ['Carl <carl@example.com>']],
      ['Aircall users without an email', ['Dina']],
    ]);
    expect(findings.every((f) => (f.fix ?? '').length > 0)).toBe(true);
  });

  it('GEN-ADM-1: an installer who lost admin rights in either system makes the integration inactive, saying why', () => {
    expect(installerInactiveReason({ name: 'Ines', aircallAdmin: true, crmAdmin: true })).toBeNull();
    expect(installerInactiveReason({ name: 'Ines', aircallAdmin: true, crmAdmin: false })).toContain(
      'no longer an admin in the CRM',
    );
    expect(installerInactiveReason({ name: 'Ines', aircallAdmin: false, crmAdmin: false })).toContain(
      'Aircall and the CRM',
    );
  });

  it('GEN-DOC-3: counts numbers not in E.164, with examples, their rewrite, and the unreadable ones', () => {
    const findings = checkPhoneFormats(
      [
        crmRecord({ id: 'a', name: 'Ann', phones: [{ field: 'phone', value: '06 12 34 56 78' }] }),
        crmRecord({
          id: 'b',
          name: 'Ben',
          phones: [
            { field: 'phone', value: '+33612345679' },
            { field: 'mobilephone', value: 'n/a' },
          ],
        }),
      ],
      'FR',
    );
    expect(findings[0]).toMatchObject({
      count: 2,
      examples: ['Ann phone: "06 12 34 56 78" → +33612345678', 'Ben mobilephone: "n/a" → unreadable'],
    });
    expect(findings[1]).toMatchObject({ severity: 'error', count: 1 });
  });

  it('GEN-DOC-4: numbers not connected, IVR destinations not connected, and IVRs not connected', () => {
    const numbers = [
      { id: 1, name: 'Support', isIvr: false, ivrDestinationIds: [] },
      { id: 2, name: 'Sales', isIvr: false, ivrDestinationIds: [] },
      { id: 5, name: 'Main IVR', isIvr: true, ivrDestinationIds: [1, 2] },
    ];
    expect(checkNumbers(numbers, [1, 5]).map((f) => f.title)).toEqual([
      'Aircall numbers not connected',
      'IVR Main IVR: destinations not connected',
    ]);
    expect(checkNumbers(numbers, [1, 2]).map((f) => f.title)).toEqual([
      'Aircall numbers not connected',
      'IVR Main IVR not connected',
    ]);
    expect(checkNumbers(numbers, [1, 2, 5])).toEqual([]);
  });

  it('GEN-DOC-5: numbers only in secondary fields, required custom fields and hidden fields, each with the fix', () => {
    const findings = checkFields(
      [crmRecord({ phones: [{ field: 'mobilephone', value: '+33612345678' }] }), crmRecord({ id: 'x' })],
      ['phone'],
      [{ object: 'Lead', field: 'Region__c', label: 'Region' }],
      [{ object: 'Task', field: 'Type' }],
    );
    expect(findings.map((f) => f.title)).toEqual([
      'Numbers only in secondary phone fields',
      'Required field Lead.Region__c',
      'Field Task.Type not accessible',
    ]);
    expect(findings[1]?.fix).toContain('optional');
  });

  it('GEN-DOC-3: the one-click rewrite of each record: readable values to E.164, unreadable ones left for a person', () => {
    const rewrites = phoneRewritesFor(
      [
        crmRecord({
          id: 'a',
          kind: 'Contact',
          name: 'Ann',
          phones: [{ field: 'Phone', value: '06 12 34 56 78' }],
        }),
        crmRecord({ id: 'b', phones: [{ field: 'phone', value: '+33612345679' }] }),
        crmRecord({
          id: 'c',
          name: 'Cid',
          phones: [
            { field: 'phone', value: 'n/a' },
            { field: 'mobilephone', value: '0611223344' },
          ],
        }),
      ],
      'FR',
    );
    expect(rewrites).toEqual([
      {
        objectType: 'Contact',
        recordId: 'a',
        name: 'Ann',
        fixes: [{ field: 'Phone', from: '06 12 34 56 78', to: '+33612345678' }],
        unreadable: [],
      },
      {
        objectType: 'contact',
        recordId: 'c',
        name: 'Cid',
        fixes: [{ field: 'mobilephone', from: '0611223344', to: '+33611223344' }],
        unreadable: [{ field: 'phone', value: 'n/a' }],
      },
    ]);
  });

  it('GEN-DOC-2 / GEN-ADM-1: the installer deleted, not an admin, of unknown rights, or not an Aircall user, each with the fix', () => {
    const aircallUsers = [{ id: 1, name: 'Ines', email: 'INES@example.com' }];
    const installer = {
      name: 'Ines',
      email: 'ines@example.com',
      exists: true,
      admin: true as boolean | null,
      right: 'Super Admin',
    };
    const check = (
      over: Partial<typeof installer>,
      users = aircallUsers,
      inactiveReason: string | null = null,
    ) =>
      checkInstaller({
        crm: 'HubSpot',
        installer: { ...installer, ...over },
        aircallUsers: users,
        inactiveReason,
      });
    expect(check({})).toEqual([expect.objectContaining({ severity: 'ok', fix: null })]);
    expect(check({ exists: false }).map((f) => f.title)).toEqual([
      'The installer no longer exists in HubSpot',
    ]);
    const notAdmin = check({ admin: false });
    expect(notAdmin.map((f) => [f.severity, f.title])).toEqual([
      ['error', 'The installer is not an admin in HubSpot'],
    ]);
    expect(notAdmin[0]?.fix).toContain('Give Ines Super Admin in HubSpot');
    expect(check({ admin: null }).map((f) => f.severity)).toEqual(['info']);
    expect(check({}, [{ id: 2, name: 'Other', email: 'other@example.com' }]).map((f) => f.title)).toEqual([
      'The installer is not an Aircall user',
    ]);
    expect(
      check({ admin: false }, aircallUsers, 'the installer Ines is no longer an admin').map((f) => f.title),
    ).toEqual(['The integration was deactivated', 'The installer is not an admin in HubSpot']);
    expect(
      checkInstaller({ crm: 'JobAdder', installer: null, aircallUsers: null, inactiveReason: null }),
    ).toEqual([
      expect.objectContaining({ severity: 'warning', title: 'The installer is not known in JobAdder' }),
    ]);
  });

  it('GEN-DOC-5: a hidden field or a required one can say what it stops and how bad it is', () => {
    const [task, hidden] = checkFields(
      [],
      ['Phone'],
      [{ object: 'Task', field: 'Topic__c', effect: 'Salesforce refuses every Task' }],
      [{ object: 'Task', field: 'CallType', severity: 'warning', effect: 'Tasks are written without it' }],
    );
    expect(task?.detail).toBe('Task.Topic__c is required, so Salesforce refuses every Task.');
    expect(hidden).toMatchObject({
      severity: 'warning',
      detail: expect.stringContaining('Tasks are written without it'),
    });
  });
});
