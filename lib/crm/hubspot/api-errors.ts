/**
 * HubSpot's error answers as `VendorError` (lib/http/vendor.ts): the code
 * HubSpot gives (`policyName` of a 429, `category`, or the token endpoint's
 * `status`), the property it blames (GEN-REQ-1), and a message that says
 * what was wrong in HubSpot's words and what to do.
 */
import { VendorError } from '../../http/vendor.ts';
import { type HubspotRawError, rawErrorSchema } from './api-schemas.ts';

function firstString(value: unknown): string | null {
  if (typeof value === 'string' && value) return value;
  if (Array.isArray(value)) return value.find((v): v is string => typeof v === 'string' && v !== '') ?? null;
  return null;
}

/**
 * The property HubSpot names as the cause: `errors[].context.propertyName`,
 * then `context.propertyName`, then the `"name":"..."` of a "Property values
 * were not valid: [...]" message [unverified: the format partner code logs].
 */
export function blamedProperty(err: HubspotRawError): string | null {
  for (const e of err.errors ?? []) {
    const name = firstString(e.context?.propertyName);
    if (name) return name;
  }
  const fromContext = firstString(err.context?.propertyName);
  if (fromContext) return fromContext;
  return /"name":"([^"]+)"/.exec(err.message ?? '')?.[1] ?? null;
}

/** HubSpot's code for the failure: the 429 policy, the category, or the OAuth status. */
function codeOf(err: HubspotRawError): string | null {
  if (err.policyName) return err.policyName;
  if (err.category) return err.category;
  if (err.status && err.status !== 'error') return err.status;
  return err.errorType ?? null;
}

function advice(status: number, code: string | null, field: string | null, hsMessage: string): string {
  switch (code) {
    case 'EXPIRED_AUTHENTICATION':
      return 'The access token expired: refresh it; if the refresh is refused, reconnect HubSpot.';
    case 'INVALID_AUTHENTICATION':
      return 'HubSpot does not know this token (revoked or uninstalled?): reconnect HubSpot.';
    case 'BAD_REFRESH_TOKEN':
      return 'The refresh token is invalid or was revoked (app uninstalled?): an admin must reconnect HubSpot.';
    case 'BAD_AUTH_CODE':
      return 'The authorization code is unknown, already used or expired: start the connection again.';
    case 'BAD_CLIENT_ID':
    case 'BAD_CLIENT_SECRET':
      return "Check this backend's HubSpot app credentials (client id and secret).";
    case 'BAD_REDIRECT_URI':
      return 'Use the same redirect URI as in the authorize step.';
    case 'MISSING_SCOPES':
      return 'The HubSpot app lacks a scope this request needs: reconnect HubSpot and grant it.';
    case 'OBJECT_NOT_FOUND':
      return 'The record does not exist in HubSpot (deleted or merged?): look it up again.';
    case 'CONFLICT': {
      const existing = /Existing ID: (\d+)/.exec(hsMessage)?.[1];
      return existing
        ? `Another record already has that unique value: use record ${existing}.`
        : 'It already exists in HubSpot.';
    }
  }
  if (status === 429) return `HubSpot's ${code ?? 'rate'} limit was reached: wait and retry.`;
  if (status >= 500) return 'HubSpot had a server error: retry later.';
  if (status === 401) return 'Reconnect HubSpot.';
  if (status === 403) return 'The HubSpot user or app lacks a permission for this: grant it and reconnect.';
  if (field) return `Fix property "${field}" (its value, or make it optional in HubSpot) and retry.`;
  return 'HubSpot refused the request as invalid: fix what the message names.';
}

/** A HubSpot error answer as a VendorError; `what` says which request it was (e.g. "POST /crm/v3/objects/calls"). */
export function hubspotError(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  what: string,
): VendorError {
  const parsed = rawErrorSchema.safeParse(body);
  const err: HubspotRawError = parsed.success ? parsed.data : {};
  const code = codeOf(err);
  const field = blamedProperty(err);
  const text = typeof body === 'string' ? body.slice(0, 300) : '';
  // `errors[].message` reads better than the JSON-in-text of "Property values were not valid: [...]".
  const details = (err.errors ?? []).map((e) => e.message).filter((m): m is string => Boolean(m));
  const hsMessage = (
    details.length ? details.join('; ') : (err.message ?? (text || `HTTP ${status}`))
  ).replace(/\.+$/, '');
  return new VendorError({
    vendor: 'hubspot',
    status,
    code,
    field,
    body,
    headers,
    message: `HubSpot refused ${what} (${status}${code ? ` ${code}` : ''}): ${hsMessage}. ${advice(status, code, field, hsMessage)}`,
  });
}

/** HubSpot could not be reached (status 0: decideRetry retries it). */
export function hubspotUnreachable(what: string, baseUrl: string, cause: unknown): VendorError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new VendorError({
    vendor: 'hubspot',
    status: 0,
    message: `HubSpot could not be reached for ${what} at ${baseUrl} (${reason}); retry later.`,
  });
}

/** A 2xx answer that does not have the documented shape: retrying cannot fix it. */
export function hubspotUnexpected(status: number, body: unknown, what: string, problem: string): VendorError {
  return new VendorError({
    vendor: 'hubspot',
    status,
    code: 'UNEXPECTED_RESPONSE',
    body,
    message: `HubSpot answered ${what} with an unexpected body (${problem}); the API may have changed: report it.`,
  });
}
