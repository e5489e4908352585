/**
 * Errors in Whop's wire format: `{"error": {"type", "message", "code", "param"}}`.
 * The SDK maps the HTTP status to its error classes (BadRequestError, NotFoundError, …) and
 * keeps the body on `err.error`. The same class is thrown by the scripting API when a test
 * asks for something Whop would refuse, so tests see the same message either way.
 */
export interface WhopErrorBody {
  error: { type: string; message: string; code: string; param: string | null };
}

const DEFAULTS: Record<number, { type: string; code: string }> = {
  400: { type: 'invalid_request_error', code: 'invalid_request' },
  401: { type: 'authentication_error', code: 'unauthorized' },
  403: { type: 'permission_error', code: 'forbidden' },
  404: { type: 'not_found_error', code: 'not_found' },
  409: { type: 'conflict_error', code: 'conflict' },
  422: { type: 'invalid_request_error', code: 'unprocessable_entity' },
  429: { type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' },
};

export class WhopApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | null;
  /** Extra response headers (Retry-After on 429). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    opts: { type?: string; code?: string; param?: string | null; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'WhopApiError';
    const d = DEFAULTS[status] ?? { type: 'api_error', code: 'internal_server_error' };
    this.status = status;
    this.type = opts.type ?? d.type;
    this.code = opts.code ?? d.code;
    this.param = opts.param ?? null;
    this.headers = opts.headers ?? {};
  }

  toBody(): WhopErrorBody {
    return { error: { type: this.type, message: this.message, code: this.code, param: this.param } };
  }
}

export const badRequest = (message: string, param: string | null = null, code = 'invalid_request') =>
  new WhopApiError(400, message, { param, code });

export const missingParam = (param: string) =>
  new WhopApiError(400, `Missing required parameter: ${param}`, { param, code: 'parameter_missing' });

export const invalidParam = (param: string, message?: string) =>
  new WhopApiError(400, message ?? `Invalid value for parameter: ${param}`, {
    param,
    code: 'parameter_invalid',
  });

export const notFound = (what: string, id: string, param: string | null = 'id') =>
  new WhopApiError(404, `${what} not found: ${id}`, { param, code: 'resource_not_found' });

/** A request that is well formed but breaks one of Whop's business rules. */
export const unprocessable = (message: string, code = 'unprocessable_entity', param: string | null = null) =>
  new WhopApiError(422, message, { code, param });

export const unauthorized = (message: string) => new WhopApiError(401, message);

export const forbidden = (message: string) => new WhopApiError(403, message);

export const rateLimited = (retryAfterSeconds: number) =>
  new WhopApiError(429, `Try again in ${retryAfterSeconds} seconds.`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

export const serverError = (status = 500) =>
  new WhopApiError(status, status === 503 ? 'Service temporarily unavailable' : 'Internal server error', {
    type: 'api_error',
    code: status === 503 ? 'service_unavailable' : 'internal_server_error',
  });

/** What an injected failure answers: a 5xx, or any other status a test asks for (408, 409…). */
export const injectedError = (status: number) =>
  status >= 500 ? serverError(status) : new WhopApiError(status, `Simulated ${status} response.`);
