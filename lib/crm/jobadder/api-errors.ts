/**
 * JobAdder's error answers as `VendorError` (lib/http/vendor.ts): the code
 * JobAdder gives (ErrorModel `errors[].code`, or the token endpoint's OAuth
 * `error`), the field it blames, and a message that says what was wrong in
 * JobAdder's words and what to do (API-CONTRACTS 4.2 "Errors").
 */
import { VendorError } from '../../http/vendor.ts';
import { type JobadderRawError, rawErrorSchema } from './api-schemas.ts';

/** The field JobAdder names as the cause: the first `errors[].fields[]`. */
export function blamedField(err: JobadderRawError): string | null {
  for (const e of err.errors ?? []) {
    const field = e.fields?.find((f) => f !== '');
    if (field) return field;
  }
  return null;
}

function codeOf(err: JobadderRawError): string | null {
  return err.error ?? err.errors?.find((e) => e.code)?.code ?? null;
}

/**
 * True for JobAdder refusing a note's text as too long. JobAdder publishes no
 * maximum note length (API-CONTRACTS 4.3) nor its refusal; validation "uses
 * 422 in places" (4.2), so a 400/422 that blames `text` and is not about it
 * missing is read as too long.
 */
export function isNoteTooLong(status: number, code: string | null, field: string | null): boolean {
  return (
    (status === 422 || status === 400) &&
    field?.toLowerCase() === 'text' &&
    code !== 'Missing' &&
    code !== 'MissingField'
  );
}

function advice(status: number, code: string | null, field: string | null): string {
  switch (code) {
    case 'invalid_grant':
      return 'The authorization code or refresh token was refused (expired, already used or revoked): an admin must connect JobAdder again.';
    case 'invalid_client':
    case 'unauthorized_client':
      return "Check this backend's JobAdder app credentials (JOBADDER_CLIENT_ID and JOBADDER_CLIENT_SECRET) and its redirect URI.";
    case 'invalid_scope':
      return 'The JobAdder app is not allowed a scope this backend asks for: grant it to the app in JobAdder.';
  }
  if (isNoteTooLong(status, code, field)) {
    return "The note is longer than this JobAdder account accepts: lower the integration's maxNoteLength setting below JobAdder's limit, then retry the work.";
  }
  if (field?.toLowerCase() === 'type') {
    return "Set the integration's noteType / smsNoteType to one of the account's note types (GET /contacts/lists/notetype and /candidates/lists/notetype), then retry the work.";
  }
  if (field?.toLowerCase() === 'createdby') {
    return 'The JobAdder user the note is credited to does not exist or is inactive: check the users (GEN-EMAIL-1), then retry.';
  }
  if (status === 401) {
    return 'The access token was refused (expired or revoked): it is refreshed once; if JobAdder refuses the refresh, reconnect JobAdder.';
  }
  if (status === 403) {
    return 'The JobAdder user who connected, or the app, lacks a permission for this: reconnect JobAdder as a user who has it.';
  }
  if (status === 404) {
    return 'The contact, candidate or note no longer exists in JobAdder (deleted or merged?): look it up again.';
  }
  if (status === 429) return "JobAdder's request limit was reached: wait (Retry-After) and retry.";
  if (status >= 500) return 'JobAdder had a server error: retry later.';
  if (field) return `Fix "${field}" as the message says and retry.`;
  return 'JobAdder refused the request as invalid: fix what the message names.';
}

/** A JobAdder error answer as a VendorError; `what` says which request it was (e.g. "POST /contacts/{id}/notes"). */
export function jobadderError(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  what: string,
): VendorError {
  const parsed = rawErrorSchema.safeParse(body);
  const err: JobadderRawError = parsed.success ? parsed.data : {};
  const code = codeOf(err);
  const field = blamedField(err);
  const raw = typeof body === 'string' ? body.slice(0, 300) : '';
  const details = (err.errors ?? []).map((e) => e.message).filter((m): m is string => Boolean(m));
  const jaMessage = (
    err.error_description ??
    (details.length > 0 ? details.join('; ') : null) ??
    err.message ??
    (raw || `HTTP ${status}`)
  ).replace(/\.+$/, '');
  return new VendorError({
    vendor: 'jobadder',
    status,
    code,
    field,
    body,
    headers,
    message: `JobAdder refused ${what} (${status}${code ? ` ${code}` : ''}${field ? `, field "${field}"` : ''}): ${jaMessage}. ${advice(status, code, field)}`,
  });
}

/** JobAdder could not be reached (status 0: decideRetry retries it). */
export function jobadderUnreachable(what: string, baseUrl: string, cause: unknown): VendorError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new VendorError({
    vendor: 'jobadder',
    status: 0,
    message: `JobAdder could not be reached for ${what} at ${baseUrl} (${reason}); retry later.`,
  });
}

/** A 2xx answer that does not have the documented shape: retrying cannot fix it. */
export function jobadderUnexpected(
  status: number,
  body: unknown,
  what: string,
  problem: string,
): VendorError {
  return new VendorError({
    vendor: 'jobadder',
    status,
    code: 'UNEXPECTED_RESPONSE',
    body,
    message: `JobAdder answered ${what} with an unexpected body (${problem}); the API may have changed: report it.`,
  });
}
