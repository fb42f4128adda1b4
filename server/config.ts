/**
 * The backend's configuration, from the environment (README "Configuration"
 * lists every variable). Invalid values stop the start with the reason.
 */
import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** postgres://... : PostgreSQL, for several instances; unset: the embedded store in DATA_DIR. */
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  /** 32 bytes, base64 or hex: encrypts CRM and Aircall credentials at rest. */
  SECRET_KEY: z.string({
    error: 'SECRET_KEY is required: 32 random bytes in base64 (openssl rand -base64 32)',
  }),
  /** Bearer token of the admin API. */
  ADMIN_TOKEN: z.string({ error: 'ADMIN_TOKEN is required: the bearer token of the admin API' }).min(16, {
    error: 'ADMIN_TOKEN must be at least 16 characters',
  }),
  /** Where Aircall and the OAuth providers reach this backend. */
  PUBLIC_URL: z.string().url().optional(),
  AIRCALL_API_URL: z.string().url().default('https://api.aircall.io'),
  HUBSPOT_API_URL: z.string().url().default('https://api.hubapi.com'),
  HUBSPOT_APP_URL: z.string().url().default('https://app.hubspot.com'),
  HUBSPOT_CLIENT_ID: z.string().optional(),
  HUBSPOT_CLIENT_SECRET: z.string().optional(),
  /** Salesforce's login host (OAuth authorize and token; API-CONTRACTS 3.1); the API is at each org's instance_url. */
  SALESFORCE_LOGIN_URL: z.string().url().default('https://login.salesforce.com'),
  SALESFORCE_CLIENT_ID: z.string().optional(),
  SALESFORCE_CLIENT_SECRET: z.string().optional(),
  /** REST API version used under /services/data/ (API-CONTRACTS 3: "a current version such as v60.0+"). */
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d{2}\.\d$/, { error: 'SALESFORCE_API_VERSION looks like 60.0' })
    .default('60.0'),
  /** JobAdder's identity host (OAuth; API-CONTRACTS 4.1); the API base URL comes with each token (`api`). */
  JOBADDER_ID_URL: z.string().url().default('https://id.jobadder.com'),
  JOBADDER_CLIENT_ID: z.string().optional(),
  JOBADDER_CLIENT_SECRET: z.string().optional(),
  /** Work items processed at once per process. */
  WORKERS: z.coerce.number().int().min(0).max(64).default(64),
  /**
   * How long retryable failures (429, 5xx, unreachable) are retried, with
   * jittered exponential backoff, from an item's first failure before it is
   * dead-lettered (`failed`, with its last error, replayable): issue 8 asks for 24 h.
   */
  RETRY_HOURS: z.coerce.number().positive().default(24),
  /** Optional: dead-letter after this many attempts even within RETRY_HOURS (unset by default). */
  MAX_ATTEMPTS: z.coerce.number().int().min(1).optional(),
  LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  POLL_MS: z.coerce.number().int().min(10).default(250),
  /** Largest accepted webhook body, bytes (413 above). */
  WEBHOOK_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof envSchema> & { PUBLIC_URL: string };

export function configFrom(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return { ...c, PUBLIC_URL: c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}` };
}
