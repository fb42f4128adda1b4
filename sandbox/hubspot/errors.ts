/**
 * HubSpot's error bodies (API-CONTRACTS 2.1 `Error`, 2.7 for 429s), and the
 * exception the simulator's handlers throw to answer with one.
 */
import { randomUUID } from 'node:crypto';

/** One entry of `Error.errors[]` (API-CONTRACTS 2.1). */
export interface HubspotErrorDetail {
  message: string;
  code?: string;
  context?: Record<string, string[]>;
}

/** HubSpot's `Error` shape (API-CONTRACTS 2.1). */
export interface HubspotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: HubspotErrorDetail[];
}

/** Thrown by route handlers and hooks; the server's error handler sends `body` with `status`. */
export class HubspotSimError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'object' && body && 'message' in body ? String(body.message) : `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function errorBody(
  category: string,
  message: string,
  extra: Partial<Pick<HubspotErrorBody, 'subCategory' | 'context' | 'errors'>> = {},
): HubspotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function hsError(
  status: number,
  category: string,
  message: string,
  extra: Partial<Pick<HubspotErrorBody, 'subCategory' | 'context' | 'errors'>> = {},
): HubspotSimError {
  return new HubspotSimError(status, errorBody(category, message, extra));
}

export function notFound(message: string): HubspotSimError {
  return hsError(404, 'OBJECT_NOT_FOUND', message);
}

export function badRequest(message: string, errors?: HubspotErrorDetail[]): HubspotSimError {
  return hsError(400, 'VALIDATION_ERROR', message, errors ? { errors } : {});
}

/**
 * One invalid property, as HubSpot lists them in a VALIDATION_ERROR:
 * "Property values were not valid: [{isValid, message, error, name}]" in
 * `message` [unverified: the format partner code logs], and the same facts as
 * `errors[]` with `context.propertyName` (API-CONTRACTS 2.1 `ErrorDetail`).
 */
export interface PropertyProblem {
  name: string;
  code: string;
  message: string;
}

export function invalidProperties(problems: PropertyProblem[]): HubspotSimError {
  const listed = problems.map((p) => ({ isValid: false, message: p.message, error: p.code, name: p.name }));
  return badRequest(
    `Property values were not valid: ${JSON.stringify(listed)}`,
    problems.map((p) => ({ message: p.message, code: p.code, context: { propertyName: [p.name] } })),
  );
}

/** The 429 policies of API-CONTRACTS 2.7. */
export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

/**
 * A 429 body exactly as API-CONTRACTS 2.7 gives it (`errorType` [unverified]).
 * The search limit's message is "You have reached your secondly limit.".
 */
export function rateLimitBody(policy: RateLimitPolicy) {
  const word = policy === 'TEN_SECONDLY_ROLLING' ? 'ten_secondly_rolling' : policy.toLowerCase();
  return {
    status: 'error',
    message: `You have reached your ${word} limit.`,
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
  };
}

/**
 * The body of an injected fault (sandbox/common/sim.ts): a 429 looks like a
 * ten-secondly limit; other statuses use the generic `Error` shape
 * [unverified: HubSpot's 5xx categories are not in the stored spec].
 */
export function hubspotFaultBody(status: number): unknown {
  if (status === 429) return rateLimitBody('TEN_SECONDLY_ROLLING');
  if (status >= 500)
    return errorBody('INTERNAL_ERROR', 'Internal error (injected by the HubSpot simulator).');
  return errorBody('VALIDATION_ERROR', `HTTP ${status} (injected by the HubSpot simulator).`);
}
