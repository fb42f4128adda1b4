/**
 * A ready-made company for tests and demos: the cast of lib/aircall/scenarios.ts
 * (Alice and Bob on the "Support FR" line, open Monday to Friday 09:00-18:00
 * Paris time), two tags and one contact, Claire Dupont, whose mobile is the
 * caller of the scripted inbound calls.
 */
import { ALICE, BOB, SUPPORT_LINE } from '../../lib/aircall/scenarios.ts';
import type { AircallSeed } from './seed.ts';

export const DEMO_COMPANY_ID = 42;
export const DEMO_API_KEY = { apiId: 'demo-api-id', apiToken: 'demo-api-token' };

const weekday: [string, string][] = [['09:00', '18:00']];

export function demoSeed(companyId = DEMO_COMPANY_ID, apiKey = DEMO_API_KEY): AircallSeed {
  return {
    companies: [
      {
        id: companyId,
        name: 'Acme Support',
        apiKeys: [apiKey],
        users: [
          { ...ALICE, time_zone: 'Europe/Paris', language: 'fr-FR' },
          { ...BOB, time_zone: 'Europe/Paris', language: 'fr-FR' },
        ],
        numbers: [
          {
            ...SUPPORT_LINE,
            businessHours: {
              timeZone: 'Europe/Paris',
              days: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
            },
          },
        ],
        tags: [
          { id: 7, name: 'Hot lead', color: '#e53935', description: 'Wants to buy' },
          { id: 8, name: 'Support', color: '#1e88e5' },
        ],
        contacts: [
          {
            id: 5001,
            first_name: 'Claire',
            last_name: 'Dupont',
            company_name: 'Dupont SARL',
            phone_numbers: [{ label: 'Mobile', value: '+33 6 12 34 56 78' }],
            emails: [{ label: 'Work', value: 'claire@dupont.example' }],
          },
        ],
      },
    ],
  };
}
