/**
 * Helpers for tests that talk to a simulator over real HTTP (every
 * simulator's tests, and the CRM clients' tests).
 */

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  /** The JSON answered when it is an object or array ({} otherwise), typed loosely for `expect`. */
  body: Record<string, unknown> & unknown[];
  text: string;
}

/** A minimal HTTP caller with a Bearer token (null: none). */
export function caller(url: string, token: string | null) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => (out[k] = v));
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return {
      status: res.status,
      headers: out,
      body: (json && typeof json === 'object' ? json : {}) as HttpAnswer['body'],
      text,
    } satisfies HttpAnswer;
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    del: (path: string) => call('DELETE', path),
  };
}
