/**
 * Salesforce's error bodies and the exception the simulator's handlers throw
 * to answer with one. REST errors are a JSON array
 * `[{message, errorCode, fields?}]` (API-CONTRACTS 3.5); the OAuth endpoints
 * answer `{error, error_description}` instead (API-CONTRACTS 3.1 "OAuth refresh").
 */

/** One entry of a REST error array (API-CONTRACTS 3.5). */
export interface SalesforceErrorEntry {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** Thrown by route handlers and hooks; the server's error handler sends `body` with `status`. */
export class SalesforceSimError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(
      Array.isArray(body) && body[0] ? String((body[0] as SalesforceErrorEntry).message) : `HTTP ${status}`,
    );
    this.status = status;
    this.body = body;
    this.headers = headers;
  }

  /** The first entry of a REST error array (for sObject Collections results), or null. */
  get entry(): SalesforceErrorEntry | null {
    return Array.isArray(this.body) && this.body[0] ? (this.body[0] as SalesforceErrorEntry) : null;
  }
}

/** A REST error: `status` with a one-entry error array. */
export function sfError(
  status: number,
  errorCode: string,
  message: string,
  fields?: string[],
): SalesforceSimError {
  const entry: SalesforceErrorEntry = { message, errorCode };
  if (fields) entry.fields = fields;
  return new SalesforceSimError(status, [entry]);
}

/** 400 with a one-entry error array. */
export function badRequest(errorCode: string, message: string, fields?: string[]): SalesforceSimError {
  return sfError(400, errorCode, message, fields);
}

/** Salesforce's 404 for an unknown resource, object or record (API-CONTRACTS 3.5). */
export function notFound(message = 'The requested resource does not exist'): SalesforceSimError {
  return sfError(404, 'NOT_FOUND', message);
}

/** A field the object lacks or the API user cannot see (field-level security): both read as "no such column". */
export function noSuchColumn(type: string, field: string): SalesforceSimError {
  return badRequest('INVALID_FIELD', `No such column '${field}' on sobject of type ${type}`);
}

/** The 401 clients refresh on (API-CONTRACTS 3.5, body [unverified]). */
export function invalidSession(): SalesforceSimError {
  return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
}

/** The 403 of an exhausted daily API allocation (API-CONTRACTS 3.5). */
export function requestLimitExceeded(headers: Record<string, string>): SalesforceSimError {
  return new SalesforceSimError(
    403,
    [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    headers,
  );
}

/** An OAuth endpoint's refusal `{error, error_description}` (API-CONTRACTS 3.1). */
export function oauthError(status: number, error: string, description: string): SalesforceSimError {
  return new SalesforceSimError(status, { error, error_description: description });
}

/**
 * The body of an injected fault (sandbox/common/sim.ts): Salesforce's error
 * array with the code a real org answers with that status (API-CONTRACTS 3.5;
 * 500/503 codes [unverified]).
 */
export function salesforceFaultBody(status: number): unknown {
  const entry = (errorCode: string, message: string) => [{ message, errorCode }];
  if (status === 401) return entry('INVALID_SESSION_ID', 'Session expired or invalid');
  if (status === 403) return entry('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  if (status === 404) return entry('NOT_FOUND', 'The requested resource does not exist');
  if (status === 503)
    return entry(
      'SERVER_UNAVAILABLE',
      'Server temporarily unavailable (injected by the Salesforce simulator).',
    );
  if (status >= 500)
    return entry(
      'UNKNOWN_EXCEPTION',
      'An unexpected error occurred. Please include this ErrorId if you contact support: 0000000-0 (injected by the Salesforce simulator)',
    );
  return entry('BAD_REQUEST', `HTTP ${status} (injected by the Salesforce simulator).`);
}
