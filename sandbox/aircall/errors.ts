/**
 * Aircall's error bodies (API-CONTRACTS 1.9): `{error, troubleshoot}` for most
 * failures, `{error: 'Unprocessable Entity', success: false, errors: {field:
 * [...]}}` for validation. The simulator answers only with these shapes, so
 * clients are tested against what Aircall sends.
 */
import type { FastifyReply } from 'fastify';

export interface AircallErrorBody {
  error: string;
  troubleshoot?: string;
  success?: false;
  errors?: Record<string, string[]>;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The `{error, troubleshoot}` body for `status`. */
export function errorBody(status: number, troubleshoot?: string): AircallErrorBody {
  const error = STATUS_TEXT[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
  return troubleshoot === undefined ? { error } : { error, troubleshoot };
}

/** The body of an injected fault (`/_sandbox/faults`) with this status. */
export function faultBody(status: number): AircallErrorBody {
  if (status === 429) return errorBody(429, 'Rate limit reached, retry after X-AircallApi-Reset');
  return errorBody(status, 'Injected sandbox failure');
}

export function sendError(reply: FastifyReply, status: number, troubleshoot: string): FastifyReply {
  return reply.code(status).send(errorBody(status, troubleshoot));
}

export function notFound(reply: FastifyReply, what: string): FastifyReply {
  return sendError(reply, 404, `${what} not found`);
}

/** 422 with the fields at fault, as Aircall's validation errors (API-CONTRACTS 1.9). */
export function unprocessable(reply: FastifyReply, errors: Record<string, string[]>): FastifyReply {
  const body: AircallErrorBody = { error: 'Unprocessable Entity', success: false, errors };
  return reply.code(422).send(body);
}
