/** Companies, their connections (encrypted credentials) and their integrations. */
import { type IntegrationSettings, integrationSettingsSchema } from '../../lib/logging/settings-union.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import type { Queryable } from './db.ts';
import type { Secrets } from './secrets.ts';

export interface Company {
  id: string;
  name: string;
  default_country: string;
  webhook_token_hash: string | null;
  aircall_webhook_id: string | null;
  created_at: number;
}

/** Aircall, or a CRM (a CRM's connection is keyed by the CRM's name). */
export type Provider = 'aircall' | Crm;

export interface Connection<T = Record<string, unknown>> {
  company_id: string;
  provider: Provider;
  credentials: T;
  account: string | null;
  status: 'ok' | 'needs_reconnection';
  status_reason: string | null;
  updated_at: number;
}

export interface Integration {
  id: string;
  company_id: string;
  crm: Crm;
  settings: IntegrationSettings;
  warnings: { rule: string; message: string; at: number }[];
  created_at: number;
  updated_at: number;
}

export async function createCompany(
  q: Queryable,
  input: { id: string; name: string; defaultCountry: string; now: number },
): Promise<Company | null> {
  const rows = await q.query<Company>(
    `insert into companies (id, name, default_country, created_at) values ($1, $2, $3, $4)
     on conflict (id) do nothing returning *`,
    [input.id, input.name, input.defaultCountry, input.now],
  );
  return rows[0] ?? null;
}

export async function getCompany(q: Queryable, id: string): Promise<Company | null> {
  return (await q.query<Company>('select * from companies where id = $1', [id]))[0] ?? null;
}

export async function listCompanies(q: Queryable): Promise<Company[]> {
  return q.query<Company>('select * from companies order by created_at, id');
}

export async function setWebhook(
  q: Queryable,
  companyId: string,
  webhookId: string | null,
  tokenHash: string | null,
) {
  await q.query('update companies set aircall_webhook_id = $2, webhook_token_hash = $3 where id = $1', [
    companyId,
    webhookId,
    tokenHash,
  ]);
}

export async function saveConnection(
  q: Queryable,
  secrets: Secrets,
  input: { companyId: string; provider: Provider; credentials: unknown; account: string | null; now: number },
): Promise<void> {
  await q.query(
    `insert into connections (company_id, provider, secret, account, status, status_reason, updated_at)
     values ($1, $2, $3, $4, 'ok', null, $5)
     on conflict (company_id, provider) do update set secret = $3, account = $4, status = 'ok',
       status_reason = null, updated_at = $5`,
    [input.companyId, input.provider, secrets.encrypt(input.credentials), input.account, input.now],
  );
}

export async function getConnection<T>(
  q: Queryable,
  secrets: Secrets,
  companyId: string,
  provider: Provider,
): Promise<Connection<T> | null> {
  const row = (
    await q.query<Omit<Connection<T>, 'credentials'> & { secret: string }>(
      'select * from connections where company_id = $1 and provider = $2',
      [companyId, provider],
    )
  )[0];
  if (!row) return null;
  const { secret, ...rest } = row;
  return { ...rest, credentials: secrets.decrypt<T>(secret) };
}

/** Connections without their secrets, for the admin API. */
export async function listConnections(q: Queryable, companyId: string) {
  return q.query<Omit<Connection, 'credentials'>>(
    'select company_id, provider, account, status, status_reason, updated_at from connections where company_id = $1 order by provider',
    [companyId],
  );
}

export async function markNeedsReconnection(
  q: Queryable,
  companyId: string,
  provider: Provider,
  reason: string,
  now: number,
) {
  await q.query(
    `update connections set status = 'needs_reconnection', status_reason = $3, updated_at = $4
     where company_id = $1 and provider = $2`,
    [companyId, provider, reason, now],
  );
}

/** Forget a provider's credentials; a CRM's connection is keyed by the CRM's name (GEN-DEL-1). */
export async function deleteConnection(q: Queryable, companyId: string, provider: Provider) {
  await q.query('delete from connections where company_id = $1 and provider = $2', [companyId, provider]);
}

function toIntegration(row: Omit<Integration, 'settings'> & { settings: unknown }): Integration {
  return { ...row, settings: integrationSettingsSchema.parse(row.settings) };
}

export async function getIntegration(q: Queryable, id: string): Promise<Integration | null> {
  const row = (await q.query<Integration>('select * from integrations where id = $1', [id]))[0];
  return row ? toIntegration(row) : null;
}

export async function integrationOf(q: Queryable, companyId: string, crm: Crm): Promise<Integration | null> {
  const row = (
    await q.query<Integration>('select * from integrations where company_id = $1 and crm = $2', [
      companyId,
      crm,
    ])
  )[0];
  return row ? toIntegration(row) : null;
}

export async function listIntegrations(q: Queryable, companyId: string): Promise<Integration[]> {
  const rows = await q.query<Integration>('select * from integrations where company_id = $1 order by crm', [
    companyId,
  ]);
  return rows.map(toIntegration);
}

/** Create or replace an integration's settings (already validated by the caller). */
export async function saveIntegration(
  q: Queryable,
  input: { companyId: string; crm: Crm; settings: IntegrationSettings; now: number },
): Promise<Integration> {
  const rows = await q.query<Integration>(
    `insert into integrations (id, company_id, crm, settings, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $5)
     on conflict (company_id, crm) do update set settings = $4, updated_at = $5 returning *`,
    [`${input.companyId}:${input.crm}`, input.companyId, input.crm, input.settings, input.now],
  );
  const row = rows[0];
  if (!row) throw new Error('integration was not saved');
  return toIntegration(row);
}

/** GEN-DEL-1: settings, work and traces go; what is in the CRM stays there. */
export async function deleteIntegration(q: Queryable, companyId: string, crm: Crm): Promise<boolean> {
  const rows = await q.query('delete from integrations where company_id = $1 and crm = $2 returning 1', [
    companyId,
    crm,
  ]);
  return rows.length > 0;
}

/** Replace settings the product changed itself (HS-TIX-2) and add the warnings the dashboard shows. */
export async function saveReconciled(
  q: Queryable,
  id: string,
  settings: IntegrationSettings,
  warnings: { rule: string; message: string; at: number }[],
  now: number,
) {
  await q.query(
    'update integrations set settings = $2, warnings = warnings || $3::jsonb, updated_at = $4 where id = $1',
    [id, settings, JSON.stringify(warnings), now],
  );
}
