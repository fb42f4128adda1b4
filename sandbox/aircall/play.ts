/**
 * Play a named Aircall scenario on a running simulator, as `npm start`
 * suggests: the simulator stores the call and sends its webhooks to the
 * company's webhooks (the backend's, once Aircall is connected).
 *
 *   node sandbox/aircall/play.ts <simulatorUrl> <companyId> <scenario> [external]
 *   node sandbox/aircall/play.ts http://127.0.0.1:4010 42 inbound-answered "+33 6 12 34 56 78"
 *
 * Without arguments it lists the scenarios of that simulator (when a URL is given).
 */
const [simulatorUrl, companyArg, scenario, external] = process.argv.slice(2);
const usage =
  'usage: node sandbox/aircall/play.ts <simulatorUrl> <companyId> <scenario> [external]\n' +
  '  e.g. node sandbox/aircall/play.ts http://127.0.0.1:4010 42 inbound-answered "+33 6 12 34 56 78"';

async function main(): Promise<number> {
  if (!simulatorUrl) {
    console.error(usage);
    return 2;
  }
  const base = simulatorUrl.replace(/\/+$/, '');
  if (!companyArg || !scenario) {
    const res = await fetch(`${base}/_sandbox/scenarios`);
    const body = (await res.json()) as { scenarios: { name: string; description: string }[] };
    console.error(usage);
    console.error('\nscenarios:');
    for (const s of body.scenarios) console.error(`  ${s.name.padEnd(20)} ${s.description}`);
    return 2;
  }
  const company = Number(companyArg);
  if (!Number.isInteger(company) || company <= 0) {
    console.error(`companyId must be a positive integer, got "${companyArg}"\n${usage}`);
    return 2;
  }
  const res = await fetch(`${base}/_sandbox/scenarios/play`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company, scenario, ...(external ? { external } : {}) }),
  });
  const body: unknown = await res.json().catch(() => null);
  console.log(JSON.stringify(body, null, 2));
  if (!res.ok) {
    console.error(`the simulator refused the scenario (HTTP ${res.status})`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`could not play the scenario on ${simulatorUrl}: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
