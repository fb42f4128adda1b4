/**
 * STYLE.md practice 10: conventions enforced by tests. Every CRM folder has
 * the same files, so "how is a Salesforce Task filled?" and "how is a
 * HubSpot call filled?" are answered in the same place.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRMS } from '../lib/logging/plan-types.ts';

const CRM_DIR = join(import.meta.dirname, '..', 'lib', 'crm');
const REQUIRED = [
  'adapter.ts',
  'api-errors.ts',
  'api-schemas.ts',
  'client.test.ts',
  'client.ts',
  'facts.ts',
  'mapper.test.ts',
  'mapper.ts',
  'planner.test.ts',
  'planner.ts',
  'settings.test.ts',
  'settings.ts',
];

describe('lib/crm folders', () => {
  it('has one folder per CRM and nothing else', () => {
    const folders = readdirSync(CRM_DIR).filter((f) => statSync(join(CRM_DIR, f)).isDirectory());
    expect(folders.sort()).toEqual([...CRMS].sort());
  });

  it.each(CRMS)('%s has the same files as every CRM folder', (crm) => {
    const files = readdirSync(join(CRM_DIR, crm));
    for (const file of REQUIRED) expect(files, `lib/crm/${crm}/${file} is missing`).toContain(file);
  });
});
