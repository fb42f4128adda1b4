/**
 * What every vendor REST client shares about reading an answer: the body as
 * JSON (or its text when it is not JSON), and a lenient schema's failure
 * turned into the vendor's "unexpected answer" error (STYLE.md 7: lenient
 * raw schema, strict model).
 */
import type { z } from 'zod';
import { headersOf } from './vendor.ts';

/** One HTTP answer, read. */
export interface Answer {
  status: number;
  json: unknown;
  headers: Record<string, string>;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The body as JSON; the raw text when it is not JSON; null when empty. */
export async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The answer's body through `schema`; otherwise throws `unexpected(status, body,
 * what, problem)`, where `problem` names the first fields that did not fit.
 */
export function parseAnswer<S extends z.ZodType>(
  schema: S,
  answer: Answer,
  what: string,
  unexpected: (status: number, json: unknown, what: string, problem: string) => Error,
): z.output<S> {
  const result = schema.safeParse(answer.json);
  if (result.success) return result.data;
  const problem = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');
  throw unexpected(answer.status, answer.json, what, problem);
}

/**
 * POST an OAuth token request (form-encoded, RFC 6749 4.1.3 / 6), read the
 * answer; throws `unreachable(err)` when the server cannot be reached and
 * `refused(answer)` for a non-2xx answer.
 */
export async function postOAuthForm(
  req: { url: string; form: Record<string, string>; fetch?: typeof fetch; timeoutMs?: number },
  unreachable: (err: unknown) => Error,
  refused: (answer: Answer) => Error,
): Promise<Answer> {
  let res: Response;
  try {
    res = await (req.fetch ?? fetch)(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(req.form).toString(),
      ...(req.timeoutMs ? { signal: AbortSignal.timeout(req.timeoutMs) } : {}),
    });
  } catch (err) {
    throw unreachable(err);
  }
  const answer: Answer = { status: res.status, json: await readBody(res), headers: headersOf(res) };
  if (res.status < 200 || res.status >= 300) throw refused(answer);
  return answer;
}
