/**
 * The one error shape of the backend's API (STYLE.md 9), for every route:
 * what was wrong, and what to do about it.
 */
import { z } from 'zod';

export const apiErrorSchema = z.object({
  error: z.object({
    /** Stable, machine-readable: "invalid_body", "unauthorized", "not_found"... */
    code: z.string(),
    /** What was wrong, in a sentence a person can act on. */
    message: z.string(),
    /** What to do about it, when there is something to do. */
    fix: z.string().optional(),
    /** Per-field problems (invalid bodies, invalid settings). */
    fields: z
      .array(z.object({ field: z.string(), message: z.string(), allowed: z.array(z.string()).optional() }))
      .optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** Thrown by route handlers; the server turns it into the error shape with its status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fix: string | undefined;
  readonly fields: ApiErrorBody['error']['fields'];
  constructor(
    status: number,
    code: string,
    message: string,
    extra: { fix?: string; fields?: ApiErrorBody['error']['fields'] } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.fix = extra.fix;
    this.fields = extra.fields;
  }
  body(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fix ? { fix: this.fix } : {}),
        ...(this.fields ? { fields: this.fields } : {}),
      },
    };
  }
}
