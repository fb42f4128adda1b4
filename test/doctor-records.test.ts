/**
 * The doctor's checks of CRM records and fields, end to end on HubSpot,
 * Salesforce and JobAdder at once: numbers not in E.164 (count, examples)
 * and the one-click rewrite read back through each CRM's API (GEN-DOC-3,
 * EXT-FIX-1); numbers only in secondary fields, a required custom field and
 * the hidden Task `Type` (GEN-DOC-5, GEN-REQ-1, SF-TYPE-1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// world.ts first: it loads sandbox/demo.ts before the Salesforce demo that demo.ts lists (an import cycle).
import { STORES, type World } from './support/world.ts';
import {
  type DoctorJson,
  expectFixes,
  finding,
  findingsOf,
  runDoctor,
  seedOk,
  startDoctorWorld,
} from './support/doctor.ts';
import { CLAIRE } from '../sandbox/demo.ts';
import { salesforceDemoIds } from '../sandbox/salesforce/demo.ts';

describe.each(STORES)('doctor: records and fields (%s store)', (store) => {
  let w: World;
  let d: DoctorJson;
  const hs: Record<string, string> = {};
  const sf: Record<string, string> = {};
  const base = () => `/admin/companies/${w.company.ids.companyId}/doctor`;

  beforeAll(async () => {
    w = await startDoctorWorld(store, 71);
    // Claire is stored as "06 12 34 56 78" in every CRM (the demo's seeds).
    const hubspot = (await seedOk(
      w.seedHubspot({
        objects: {
          contacts: [
            {
              properties: {
                firstname: 'Marc',
                lastname: 'Leroy',
                phone: '01 44 55 66 77',
                mobilephone: '+33612345670',
              },
            },
            { properties: { firstname: 'Nina', lastname: 'Petit', phone: 'n/a' } },
            { properties: { firstname: 'Paul', lastname: 'Morel', mobilephone: '+33 6 98 76 54 32' } },
          ],
        },
      }),
    )) as { portals: { ids: { contacts: string[] } }[] };
    [hs.marc = '', hs.nina = '', hs.paul = ''] = hubspot.portals[0]?.ids.contacts ?? [];
    const salesforce = (await seedOk(
      w.seedSalesforce({
        records: {
          Contact: [{ FirstName: 'Olga', LastName: 'Petrova', HomePhone: '+33 6 11 22 33 44' }],
          Lead: [{ FirstName: 'Leo', LastName: 'Blanc', Company: 'Blanc SARL', Phone: '0612345699' }],
        },
        fields: {
          Lead: { custom: [{ name: 'Region__c', label: 'Region', type: 'string', required: true }] },
          Task: { hidden: ['Type'] },
        },
      }),
    )) as { orgs: { ids: { Contact: string[]; Lead: string[] } }[] };
    sf.olga = salesforce.orgs[0]?.ids.Contact[0] ?? '';
    sf.leo = salesforce.orgs[0]?.ids.Lead[0] ?? '';
    sf.claire = salesforceDemoIds(w.company.ids).claire;
    await seedOk(
      w.seedJobadder({
        candidates: [{ candidateId: 601, firstName: 'Zoe', lastName: 'Martin', mobile: '0611223344' }],
      }),
    );
    d = await runDoctor(w);
  }, 120_000);
  afterAll(async () => w?.close());

  it('GEN-DOC-3: on every CRM, counts the numbers not in E.164 with examples, and says what was read', async () => {
    const hubspot = finding(d, 'hubspot', 'GEN-DOC-3', 'Phone numbers not stored in E.164');
    expect(hubspot.count).toBe(4);
    expect(hubspot.examples).toEqual(
      expect.arrayContaining([
        `Claire Dupont phone: "${CLAIRE.phone}" → ${CLAIRE.e164}`,
        'Marc Leroy phone: "01 44 55 66 77" → +33144556677',
        'Nina Petit phone: "n/a" → unreadable',
        'Paul Morel mobilephone: "+33 6 98 76 54 32" → +33698765432',
      ]),
    );
    expect(hubspot.detail).toContain('most recently modified HubSpot contacts with a phone number');
    expect(hubspot.records?.map((r) => r.name).sort()).toEqual(['Claire Dupont', 'Marc Leroy', 'Paul Morel']);
    expect(finding(d, 'hubspot', 'GEN-DOC-3', 'Phone values that cannot be read')).toMatchObject({
      severity: 'error',
      count: 1,
      examples: ['Nina Petit phone: "n/a"'],
    });

    const salesforce = finding(d, 'salesforce', 'GEN-DOC-3', 'Phone numbers not stored in E.164');
    expect(salesforce.count).toBe(3);
    expect(salesforce.examples).toEqual(
      expect.arrayContaining([
        `Claire Dupont Phone: "${CLAIRE.phone}" → ${CLAIRE.e164}`,
        'Olga Petrova HomePhone: "+33 6 11 22 33 44" → +33611223344',
        'Leo Blanc Phone: "0612345699" → +33612345699',
      ]),
    );
    expect(salesforce.detail).toMatch(/2 Contacts, 1 Lead, 0 Accounts/);

    const jobadder = finding(d, 'jobadder', 'GEN-DOC-3', 'Phone numbers not stored in E.164');
    expect(jobadder).toMatchObject({ count: 2 });
    expect(jobadder.examples).toEqual(
      expect.arrayContaining(['Zoe Martin mobile: "0611223344" → +33611223344']),
    );
    // JobAdder's connection cannot change records: no one-click list, and the fix says where to do it.
    expect(jobadder.records).toBeUndefined();
    expect(jobadder.fix).toMatch(/in JobAdder itself/);
    expect(d.integrations.find((i) => i.crm === 'jobadder')?.phoneRewrite.supported).toBe(false);
    expectFixes(d);
  });

  it('GEN-DOC-5: numbers only in secondary fields on every CRM where they exist; required and hidden fields in Salesforce', async () => {
    expect(finding(d, 'hubspot', 'GEN-DOC-5', 'Numbers only in secondary phone fields')).toMatchObject({
      severity: 'info',
      count: 1,
      examples: ['Paul Morel: mobilephone'],
    });
    expect(finding(d, 'salesforce', 'GEN-DOC-5', 'Numbers only in secondary phone fields')).toMatchObject({
      count: 1,
      examples: ['Olga Petrova: HomePhone'],
    });
    // JobAdder's own search matches phone and mobile alike: neither is secondary there.
    expect(finding(d, 'jobadder', 'GEN-DOC-5', 'Numbers are in the main phone field').severity).toBe('ok');

    const required = finding(d, 'salesforce', 'GEN-DOC-5', 'Required field Lead.Region__c');
    expect(required.severity).toBe('error');
    expect(required.detail).toContain('Lead.Region is required');
    expect(required.detail).toContain('GEN-REQ-1');
    expect(required.fix).toBe('Make Lead.Region__c optional, or give it a default value.');
    const type = finding(d, 'salesforce', 'GEN-DOC-5', 'Field Task.Type not accessible');
    expect(type.severity).toBe('error');
    expect(type.detail).toContain('SF-TYPE-1');
    expect(type.fix).toMatch(/visible to the integration's user/);
    // Only Type is hidden: no other Task field is named.
    expect(
      findingsOf(d, 'salesforce', 'GEN-DOC-5').filter((f) => f.title.startsWith('Field Task.')),
    ).toHaveLength(1);

    for (const crm of ['hubspot', 'jobadder'] as const) {
      expect(finding(d, crm, 'GEN-DOC-5', /^Required fields: the check does not apply/).severity).toBe('ok');
    }
  });

  it('GEN-DOC-3 / EXT-FIX-1: the one-click rewrite in HubSpot changes every readable number, read back through HubSpot', async () => {
    const r = await w.admin('POST', `${base()}/hubspot/phone-rewrite`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ rewritten: 3, values: 3 });
    expect(r.json.failed).toEqual([
      expect.objectContaining({
        recordId: hs.nina,
        name: 'Nina Petit',
        reason: 'phone "n/a" cannot be read as a phone number.',
      }),
    ]);
    const read = async (id: string) =>
      (await w.hubspot('GET', `/crm/v3/objects/contacts/${id}?properties=phone,mobilephone`)).json
        .properties as Record<string, string | null>;
    expect((await read(CLAIRE.id)).phone).toBe(CLAIRE.e164);
    expect(await read(hs.marc ?? '')).toMatchObject({ phone: '+33144556677', mobilephone: '+33612345670' });
    expect((await read(hs.paul ?? '')).mobilephone).toBe('+33698765432');
    expect((await read(hs.nina ?? '')).phone).toBe('n/a');

    const after = await runDoctor(w, 'hubspot');
    expect(finding(after, 'hubspot', 'GEN-DOC-3', 'Phone numbers not stored in E.164')).toMatchObject({
      count: 1,
      records: [],
    });
  });

  it('GEN-DOC-3 / EXT-FIX-1: the rewrite in Salesforce of the records the doctor listed, and which could not be rewritten', async () => {
    const listed = finding(d, 'salesforce', 'GEN-DOC-3', 'Phone numbers not stored in E.164').records ?? [];
    const gone = { objectType: 'Contact', recordId: '003000000000999AAA' };
    const r = await w.admin('POST', `${base()}/salesforce/phone-rewrite`, {
      records: [...listed.map((x) => ({ objectType: x.objectType, recordId: x.recordId })), gone],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    // Leo's Lead cannot be saved without the required Region__c (GEN-REQ-1): said, with what to do.
    expect(r.json).toMatchObject({ rewritten: 2, values: 2 });
    expect(r.json.failed).toEqual([
      expect.objectContaining({ ...gone, reason: `Salesforce has no Contact ${gone.recordId}.` }),
      expect.objectContaining({
        objectType: 'Lead',
        recordId: sf.leo,
        name: 'Leo Blanc',
        reason: expect.stringContaining('REQUIRED_FIELD_MISSING'),
        fix: expect.stringContaining('Give Region__c a value'),
      }),
    ]);
    const field = async (sobject: string, id: string, name: string) =>
      (await w.salesforce('GET', `/sobjects/${sobject}/${id}?fields=${name}`)).json[name];
    expect(await field('Contact', sf.claire ?? '', 'Phone')).toBe(CLAIRE.e164);
    expect(await field('Contact', sf.olga ?? '', 'HomePhone')).toBe('+33611223344');
    expect(await field('Lead', sf.leo ?? '', 'Phone')).toBe('0612345699');
    const after = await runDoctor(w, 'salesforce');
    expect(finding(after, 'salesforce', 'GEN-DOC-3', 'Phone numbers not stored in E.164')).toMatchObject({
      count: 1,
      examples: ['Leo Blanc Phone: "0612345699" → +33612345699'],
    });
  });

  it('GEN-DOC-3: the rewrite in JobAdder is refused with the reason and what to do instead', async () => {
    const r = await w.admin('POST', `${base()}/jobadder/phone-rewrite`);
    expect(r.status).toBe(501);
    expect(r.json.error).toMatchObject({
      code: 'not_supported',
      message: expect.stringContaining('API-CONTRACTS 4.2'),
      fix: expect.stringContaining('in JobAdder itself'),
    });
  });
});
