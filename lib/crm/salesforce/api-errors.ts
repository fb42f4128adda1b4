/**
 * Salesforce's error answers as `VendorError` (lib/http/vendor.ts): the
 * `errorCode` of the error array (or the OAuth endpoint's `error`), the field
 * it blames (`fields[0]`, GEN-REQ-1), and a message that says what was wrong
 * in Salesforce's words and what to do (API-CONTRACTS 3.5;
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm).
 */
import { VendorError } from '../../http/vendor.ts';
import { rawErrorArraySchema, rawOauthErrorSchema, type SalesforceRawError } from './api-schemas.ts';

function advice(status: number, code: string | null, field: string | null): string {
  switch (code) {
    case 'INVALID_SESSION_ID':
      return 'The access token expired or was revoked: refresh it; if the refresh is refused, reconnect Salesforce.';
    case 'REQUEST_LIMIT_EXCEEDED':
      return "The org's rolling 24-hour API allocation is used up: wait and retry, or raise the allocation in Salesforce.";
    case 'invalid_grant':
      return 'The refresh token or authorization code is invalid, expired or revoked: an admin must reconnect Salesforce.';
    case 'invalid_client_id':
    case 'invalid_client':
      return "Check this backend's Salesforce connected app (consumer key and secret).";
    case 'redirect_uri_mismatch':
      return 'Use the redirect URI registered in the connected app, as in the authorize step.';
    case 'REQUIRED_FIELD_MISSING':
      return `Give ${field ? `field "${field}"` : 'the required field'} a value, or make it optional (or give it a default) in Salesforce.`;
    case 'INVALID_FIELD':
    case 'INVALID_FIELD_FOR_INSERT_UPDATE':
      return `The API user cannot set ${field ? `field "${field}"` : 'a field'}: grant it field-level access in Salesforce, or leave it out.`;
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
      return "A validation rule of the org refused the values: adjust the rule or the integration's settings.";
    case 'INVALID_CROSS_REFERENCE_KEY':
    case 'MALFORMED_ID':
      return 'A referenced record does not exist (deleted or merged?) or is of the wrong kind: look it up again.';
    case 'ENTITY_IS_DELETED':
    case 'NOT_FOUND':
      return 'The record or resource does not exist in Salesforce (deleted?): look it up again.';
    case 'DUPLICATE_VALUE':
      return 'Another record already holds that unique value.';
    case 'INSUFFICIENT_ACCESS':
    case 'INSUFFICIENT_ACCESS_OR_READONLY':
    case 'API_DISABLED_FOR_ORG':
      return 'The installer lacks a permission for this (or the org has no API access): grant it in Salesforce.';
  }
  if (status >= 500) return 'Salesforce had a server error: retry later.';
  if (status === 401) return 'Reconnect Salesforce.';
  if (status === 403) return 'The Salesforce user lacks a permission for this: grant it and reconnect.';
  if (status === 404) return 'The record or resource does not exist in Salesforce: look it up again.';
  if (field) return `Fix field "${field}" (its value, or its settings in Salesforce) and retry.`;
  return 'Salesforce refused the request as invalid: fix what the message names.';
}

/** The first entry of Salesforce's error array, or the OAuth error as one; null when the body is neither. */
function firstError(body: unknown): SalesforceRawError | null {
  const array = rawErrorArraySchema.safeParse(body);
  if (array.success && array.data[0]) return array.data[0];
  const oauth = rawOauthErrorSchema.safeParse(body);
  if (oauth.success)
    return { errorCode: oauth.data.error, message: oauth.data.error_description ?? oauth.data.error };
  return null;
}

/** A Salesforce error answer as a VendorError; `what` says which request it was ("PATCH /sobjects/Task/..."). */
export function salesforceError(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  what: string,
): VendorError {
  const err = firstError(body);
  const code = err?.errorCode ?? null;
  const field = err?.fields?.find((f) => f !== '') ?? null;
  const text = typeof body === 'string' ? body.slice(0, 300) : '';
  const sfMessage = (err?.message ?? (text || `HTTP ${status}`)).replace(/\.+$/, '');
  return new VendorError({
    vendor: 'salesforce',
    status,
    code,
    field,
    body,
    headers,
    message: `Salesforce refused ${what} (${status}${code ? ` ${code}` : ''}): ${sfMessage}${field ? ` [field ${field}]` : ''}. ${advice(status, code, field)}`,
  });
}

/** Salesforce could not be reached (status 0: decideRetry retries it). */
export function salesforceUnreachable(what: string, baseUrl: string, cause: unknown): VendorError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new VendorError({
    vendor: 'salesforce',
    status: 0,
    message: `Salesforce could not be reached for ${what} at ${baseUrl} (${reason}); retry later.`,
  });
}

/** A 2xx answer without the documented shape: retrying cannot fix it. */
export function salesforceUnexpected(
  status: number,
  body: unknown,
  what: string,
  problem: string,
): VendorError {
  return new VendorError({
    vendor: 'salesforce',
    status,
    code: 'UNEXPECTED_RESPONSE',
    body,
    message: `Salesforce answered ${what} with an unexpected body (${problem}); the API may have changed: report it.`,
  });
}
