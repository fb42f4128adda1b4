-- The whole store (issue 3). Times are UNIX ms (BIGINT) on the backend's
-- injected clock; JSON is JSONB. Same SQL on PGlite and PostgreSQL.

create table companies (
  id text primary key,
  name text not null,
  -- GEN-PHONE-1: country for numbers stored without a country code.
  default_country text not null default 'US',
  -- sha256 of the Aircall webhook token (API-CONTRACTS 1.3: the body's `token`
  -- is the only proof of origin); compared in constant time.
  webhook_token_hash text,
  aircall_webhook_id text,
  created_at bigint not null
);

-- Credentials per company and provider, AES-256-GCM encrypted (server/store/secrets.ts).
create table connections (
  company_id text not null references companies(id) on delete cascade,
  provider text not null,
  secret text not null,
  -- The vendor account (HubSpot portal id, Aircall company id): not secret: it
  -- keys the rate limiter and the logs.
  account text,
  -- ok | needs_reconnection (a refresh token the vendor refused).
  status text not null default 'ok',
  status_reason text,
  updated_at bigint not null,
  primary key (company_id, provider)
);

create table integrations (
  id text primary key,
  company_id text not null references companies(id) on delete cascade,
  crm text not null,
  settings jsonb not null,
  -- Warnings for the dashboard banner, e.g. HS-TIX-2 (a deleted pipeline or stage).
  warnings jsonb not null default '[]',
  created_at bigint not null,
  updated_at bigint not null,
  unique (company_id, crm)
);

-- Every webhook received, once (GEN-IDEM-1: duplicates are dropped by key).
create table events (
  id bigserial primary key,
  company_id text not null references companies(id) on delete cascade,
  dedupe_key text not null,
  event text not null,
  family text not null,
  -- call | message, with the Aircall id; null for other families.
  subject_kind text,
  subject_id text,
  body jsonb not null,
  received_at bigint not null,
  unique (company_id, dedupe_key)
);
create index events_subject on events (company_id, subject_kind, subject_id);

-- Work per (integration, call or message): the durable state machine of
-- server/store/work.ts (STYLE.md 8).
create table work (
  integration_id text not null references integrations(id) on delete cascade,
  subject_kind text not null,
  subject_id text not null,
  company_id text not null,
  state text not null,
  -- Bumped by every new event; a run that ends on an older version runs again.
  version integer not null default 1,
  run_after bigint not null,
  attempts integer not null default 0,
  lease_owner text,
  lease_until bigint,
  last_error text,
  -- GEN-ACT-2b: the admin backfill window this work runs under, if any.
  backfill jsonb,
  updated_at bigint not null,
  primary key (integration_id, subject_kind, subject_id)
);
create index work_due on work (state, run_after);

-- What was written to the CRM per call and ref (PlannedWrite.ref). A row with
-- a null crm_id is an intent: the create may or may not have reached the CRM,
-- so the next attempt recovers it by its idempotency key instead of creating again.
create table crm_writes (
  integration_id text not null references integrations(id) on delete cascade,
  subject_kind text not null,
  subject_id text not null,
  ref text not null,
  target text not null,
  crm_id text,
  idempotency_key text not null,
  fields jsonb,
  basis jsonb,
  links jsonb,
  updated_at bigint not null,
  primary key (integration_id, subject_kind, subject_id, ref)
);

-- The latest plan per (integration, call or message): its decision trace
-- (GEN-TRACE-1) and where it was logged, for the panel and the inbox.
create table logged (
  integration_id text not null references integrations(id) on delete cascade,
  subject_kind text not null,
  subject_id text not null,
  company_id text not null,
  outcome text not null,
  record_id text,
  record_kind text,
  unmatched boolean not null default false,
  trace jsonb not null,
  external_e164 text,
  agent_user_id bigint,
  started_at bigint,
  summary jsonb,
  updated_at bigint not null,
  primary key (integration_id, subject_kind, subject_id)
);
create index logged_record on logged (integration_id, record_id);
create index logged_agent on logged (company_id, agent_user_id, started_at);

-- What agents chose for a call: EXT-LINK-1 (the record) and HS-OUT-4 (the outcome).
create table agent_choices (
  integration_id text not null references integrations(id) on delete cascade,
  subject_kind text not null,
  subject_id text not null,
  linked_record jsonb,
  outcome_id text,
  updated_at bigint not null,
  primary key (integration_id, subject_kind, subject_id)
);

-- Per-agent bearer tokens, bound to one company and one Aircall user; stored hashed.
create table agent_tokens (
  id text primary key,
  company_id text not null references companies(id) on delete cascade,
  aircall_user_id bigint not null,
  token_hash text not null unique,
  label text,
  created_at bigint not null,
  revoked_at bigint
);

-- OAuth `state` values in flight (CSRF protection of the connect flow).
create table oauth_states (
  state text primary key,
  company_id text not null references companies(id) on delete cascade,
  provider text not null,
  created_at bigint not null
);
