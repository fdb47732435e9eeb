/** Extra fields Telegram attaches to some errors (`retry_after` on 429, `migrate_to_chat_id` on 400). */
export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** The JSON body Telegram answers a failed call with. */
export interface ApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

/**
 * A failed Bot API call, answered with Telegram's error shape.
 *
 * `invalid` marks errors caused by the request itself (wrong types, broken HTML, limits), as opposed to
 * errors that depend on state (message not found, query too old) or that were injected by a test.
 */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly options: { parameters?: ResponseParameters; invalid?: boolean; problems?: string[] } = {},
  ) {
    super(description);
    this.name = 'ApiError';
  }

  get invalid(): boolean {
    return this.options.invalid ?? false;
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { ok: false, error_code: this.errorCode, description: this.description };
    if (this.options.parameters) body.parameters = this.options.parameters;
    return body;
  }
}

/** A 400 caused by the request's content: it is listed by `invalidCalls()`. */
export function invalidRequest(description: string, problem?: string): ApiError {
  return new ApiError(400, `Bad Request: ${description}`, { invalid: true, problems: [problem ?? description] });
}

/** A 400 that depends on the emulator's state (a missing message, an expired query). */
export function badRequest(description: string): ApiError {
  return new ApiError(400, `Bad Request: ${description}`);
}

/** Telegram's description for a 429 with the given wait. */
export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
    parameters: { retry_after: retryAfterSeconds },
  });
}

export const QUERY_TOO_OLD = 'query is too old and response timeout expired or query ID is invalid';
export const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
export const POLL_CONFLICT =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
export const WEBHOOK_CONFLICT =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
