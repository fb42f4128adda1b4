/**
 * `npm start`. The backend (webhook intake, store, workers, CRM clients) and
 * the sandbox are not built yet: this says so, then shows what the engine
 * that is built decides for one scripted call, for each CRM, with the
 * default settings. Run: npm start
 */
import { foldCallEvents } from '../lib/aircall/fold.ts';
import { ALICE, inboundAnsweredScript, parsedCallEvents } from '../lib/aircall/scenarios.ts';
import { planCall } from '../lib/logging/plan.ts';
import { CRMS } from '../lib/logging/plan-types.ts';
import { integrationSettingsSchema } from '../lib/logging/settings-union.ts';

console.log(`Not built yet: the backend server, its store and workers, the CRM API clients and the sandbox
(issue "The backend, the sandbox, and HubSpot end to end"), the browser extension and the dashboard.
Built: the Aircall webhook contract and folding (lib/aircall), phone matching (lib/phone) and the
logging engine with its HubSpot, Salesforce and JobAdder planners (lib/logging, lib/crm).

Here is what the engine plans for one scripted inbound call answered by Alice, on a connected
number, from a caller already in the CRM:
`);

const events = parsedCallEvents(
  inboundAnsweredScript({
    startedAt: Math.floor(Date.now() / 1000) - 600,
    comments: [{ id: 1, content: 'Wants a callback on Monday', by: ALICE }],
  }),
);
const call = foldCallEvents(events);
if (!call) throw new Error('no call state');

// One record and one user per CRM, shaped as each CRM names them (Salesforce ids carry their key prefix).
const demo = {
  hubspot: { kind: 'contact', recordId: '501', ownerId: '9001', aliceId: '9002', installer: '9001' },
  salesforce: {
    kind: 'Contact',
    recordId: '003000000000001AAA',
    ownerId: '005000000000001AAA',
    aliceId: '005000000000002AAA',
    installer: '005000000000001AAA',
  },
  jobadder: { kind: 'contact', recordId: '7001', ownerId: '31', aliceId: '32', installer: '31' },
} as const;
for (const crm of CRMS) {
  const d = demo[crm];
  const settings = integrationSettingsSchema.parse({ crm, connectedNumbers: [1], defaultCountry: 'FR' });
  const plan = planCall(settings, call, {
    now: Date.now(),
    defaultCountry: 'FR',
    records: [
      {
        id: d.recordId,
        kind: d.kind,
        name: 'Claire Dupont',
        phones: [{ field: 'phone', value: '06 12 34 56 78' }],
        ownerId: d.ownerId,
        updatedAt: new Date().toISOString(),
      },
    ],
    users: [
      {
        id: d.aliceId,
        email: 'Alice@Example.com',
        name: 'Alice Martin',
        createdAt: '2025-01-01T00:00:00Z',
        active: true,
      },
    ],
    installerUserId: d.installer,
    existing: {},
    withinBusinessHours: true,
  });
  console.log(`== ${crm}: ${plan.outcome}`);
  for (const step of plan.trace) console.log(`  [${step.rule}] ${step.outcome}: ${step.detail}`);
  for (const write of plan.writes)
    console.log(`  ${write.op} ${write.target}: ${JSON.stringify(write.fields)}`);
  console.log('');
}
