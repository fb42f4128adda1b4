/**
 * `npm start`: the whole product on one machine with no accounts. Starts
 * the sandbox (Aircall, HubSpot, Salesforce and JobAdder simulators), the backend on its embedded
 * store (./data/demo, fresh on each run, or DATABASE_URL), and a demo company connected the way an
 * admin would; then prints the URLs, the tokens and one command that plays a
 * call. Secrets for this local run are generated once and kept in
 * data/dev-secrets.json. Once ready it also writes data/demo.json
 * (sandbox/demo-info.ts) for programs that drive the demo, such as `npm run
 * demo`. Ctrl-C stops everything gracefully.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLAIRE, connectDemoCompany, DEMO_CRMS, demoIds, readToken, sandboxEnv } from '../sandbox/demo.ts';
import { clearDemoInfo, demoInfoPath, writeDemoInfo } from '../sandbox/demo-info.ts';
import { salesforceDemoIds } from '../sandbox/salesforce/demo.ts';
import { sandboxUrls, startSandbox } from '../sandbox/start.ts';
import { startBackend } from './app.ts';
import { configFrom } from './config.ts';

const env = process.env;
// The simulators keep their data in memory, so the demo's store starts fresh
// with them on every run (a store that remembers calls a fresh HubSpot
// simulator never saw would only confuse). Set DATABASE_URL to use PostgreSQL.
const dataDir = env.DATA_DIR ?? './data/demo';
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const infoFile = demoInfoPath(dataDir);
clearDemoInfo(infoFile);
const secretsFile = join(dirname(dataDir), 'dev-secrets.json');
const dev: { SECRET_KEY: string; ADMIN_TOKEN: string } = existsSync(secretsFile)
  ? JSON.parse(readFileSync(secretsFile, 'utf8'))
  : {
      SECRET_KEY: randomBytes(32).toString('base64'),
      ADMIN_TOKEN: `adm_${randomBytes(24).toString('base64url')}`,
    };
writeFileSync(secretsFile, JSON.stringify(dev, null, 2), { mode: 0o600 });

const port = Number(env.PORT ?? 3000);
const sandbox = await startSandbox({
  aircall: port + 1,
  hubspot: port + 2,
  salesforce: port + 3,
  jobadder: port + 4,
});
const urls = sandboxUrls(sandbox);
const backend = await startBackend(
  configFrom({
    LOG_LEVEL: 'warn',
    ...env,
    PORT: String(port),
    DATA_DIR: dataDir,
    SECRET_KEY: env.SECRET_KEY ?? dev.SECRET_KEY,
    ADMIN_TOKEN: env.ADMIN_TOKEN ?? dev.ADMIN_TOKEN,
    ...sandboxEnv(urls),
  }),
);

const ids = demoIds(1, 'demo');
const adminToken = env.ADMIN_TOKEN ?? dev.ADMIN_TOKEN;
// The demo company logs into all three CRMs at once, each with its default settings.
const connected = await connectDemoCompany({
  backendUrl: backend.url,
  adminToken,
  urls,
  ids,
  crms: { hubspot: {}, salesforce: {}, jobadder: {} },
});
writeDemoInfo(infoFile, {
  startedAt: Date.now(),
  backendUrl: backend.url,
  agentTokens: { alice: connected.agentTokens.alice },
  aircall: { url: sandbox.aircall.url, companyId: ids.aircallCompanyId },
  hubspot: { url: sandbox.hubspot.url, portalId: ids.portalId, claire: CLAIRE.id },
  salesforce: {
    url: sandbox.salesforce.url,
    orgId: salesforceDemoIds(ids).orgId,
    claire: salesforceDemoIds(ids).claire,
  },
  jobadder: { url: sandbox.jobadder.url, accountId: ids.jobadderAccountId, claire: CLAIRE.id },
});

console.log(`
Aircall CRM bridge is running (store: ${backend.svc.db.kind}${backend.svc.db.kind === 'embedded' ? ` in ${dataDir}` : ''}).

  backend            ${backend.url}        (OpenAPI: ${backend.url}/openapi.json)
  admin dashboard    ${backend.url}/dashboard/   (sign in with the admin token below)
  Aircall simulator  ${sandbox.aircall.url}
  HubSpot simulator  ${sandbox.hubspot.url}
  Salesforce sim.    ${sandbox.salesforce.url}   (REST under /services/data/v60.0)
  JobAdder sim.      ${sandbox.jobadder.url}   (API under /v2)

  admin token        ${adminToken}
  agent token Alice  ${connected.agentTokens.alice}
  HubSpot read token ${readToken(ids)}   (the simulated portal ${ids.portalId})
  Salesforce token   ${DEMO_CRMS.salesforce.readToken(ids)}   (org ${ids.salesforceOrgId})
  JobAdder token     ${DEMO_CRMS.jobadder.readToken(ids)}   (account ${ids.jobadderAccountId})

Play an inbound call from Claire Dupont (a HubSpot contact) answered by Alice:

  node_modules/.bin/node sandbox/aircall/play.ts ${sandbox.aircall.url} ${ids.aircallCompanyId} inbound-answered +33612345678

then see it in the simulated HubSpot, Salesforce and JobAdder, and in the backend:

  curl -s -H 'authorization: Bearer ${readToken(ids)}' -H 'content-type: application/json' \\
    -X POST ${sandbox.hubspot.url}/crm/v3/objects/calls/search -d '{"properties":["hs_call_title","hs_call_disposition"]}'
  curl -s -H 'authorization: Bearer ${DEMO_CRMS.salesforce.readToken(ids)}' \\
    '${sandbox.salesforce.url}/services/data/v60.0/query?q=SELECT+Subject,CallDisposition+FROM+Task'
  curl -s -H 'authorization: Bearer ${DEMO_CRMS.jobadder.readToken(ids)}' \\
    '${sandbox.jobadder.url}/v2/search/phonenumber?E164=%2B33612345678'
  curl -s -H 'authorization: Bearer ${connected.agentTokens.alice}' ${backend.url}/v1/records/hubspot/contacts/501/activity

Other scenarios: missed-voicemail, outbound-answered, outbound-unanswered, transfer, conference, sms-inbound, sms-outbound.
Ctrl-C stops everything.
`);

const stop = async () => {
  clearDemoInfo(infoFile);
  await backend.close();
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
