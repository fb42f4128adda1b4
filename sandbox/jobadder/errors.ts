/**
 * JobAdder's error body, `ErrorModel` `{message, errors:[{code, message,
 * fields}]}` (API-CONTRACTS 4.2), and the exception the simulator's handlers
 * throw to answer with one. Status codes: 400 when a request does not fit
 * the published schema (missing required field, maxLength of `type` and
 * `reference`, bad query value); 422 when it fits but the account refuses it
 * (unknown note type or user, note text over the account's maximum, read-only
 * note) [unverified: the spec says only that validation uses 422 "in places"].
 */

/** ErrorCode of the spec (API-CONTRACTS 4.2). */
export type ErrorCode = 'Invalid' | 'Missing' | 'MissingField' | 'AlreadyExists';

export interface ErrorItem {
  code: ErrorCode;
  message: string;
  fields: string[];
}

export interface ErrorModel {
  message: string;
  errors?: ErrorItem[];
}

/** Thrown by route handlers and hooks; the server's error handler sends `body` with `status`. */
export class JobadderSimError extends Error {
  readonly status: number;
  readonly body: ErrorModel;
  readonly headers: Record<string, string>;
  constructor(status: number, body: ErrorModel, headers: Record<string, string> = {}) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function jaError(status: number, message: string, errors?: ErrorItem[]): JobadderSimError {
  return new JobadderSimError(status, errors ? { message, errors } : { message });
}

export function notFound(message: string): JobadderSimError {
  return jaError(404, message);
}

/** One field's problem, as ErrorModel lists them. */
export function fieldError(
  status: 400 | 422,
  code: ErrorCode,
  field: string,
  message: string,
): JobadderSimError {
  return jaError(status, message, [{ code, message, fields: [field] }]);
}

/**
 * 401 as ASP.NET Web API words it [unverified: JobAdder's exact text], with
 * the `WWW-Authenticate` challenge a Bearer resource server sends (RFC 6750),
 * which says why (`invalid_token` when expired or unknown).
 */
export function unauthorized(why: string | null): JobadderSimError {
  const challenge = why
    ? `Bearer error="invalid_token", error_description="${why}"`
    : 'Bearer realm="api.jobadder.com"';
  return new JobadderSimError(
    401,
    {
      message: why
        ? `Authorization has been denied for this request: ${why}`
        : 'Authorization has been denied for this request.',
    },
    { 'WWW-Authenticate': challenge },
  );
}

/** The body of an injected fault (sandbox/common/sim.ts) [unverified: JobAdder's 5xx and 429 wording]. */
export function jobadderFaultBody(status: number): ErrorModel {
  if (status === 429) return { message: 'Too many requests. Retry after the time given in Retry-After.' };
  if (status >= 500) return { message: 'An error has occurred (injected by the JobAdder simulator).' };
  return { message: `HTTP ${status} (injected by the JobAdder simulator).` };
}
