/**
 * Errors in Whop's wire format: `{"error": {"type", "message", "code", "param"}}`.
 * `type` is the kind Whop's OpenAPI names per status (`unauthorized`, `forbidden`, `not_found`,
 * `internal_server_error`, …; Whop's docs show `{"error": {"type": "rate_limit_exceeded", "message":
 * "Try again in 12 seconds."}}` for 429); `code` is a finer machine code (Whop's troubleshooting
 * guide shows `"code": "invalid_request"` for a missing parameter); `param` names the offending
 * parameter or is null. The SDK maps the HTTP status to its error classes (BadRequestError,
 * PermissionDeniedError, NotFoundError, …) and keeps the body on `err.error`. The same class is thrown
 * by the scripting API when a test asks for something Whop would refuse, so tests see the same message
 * either way.
 */
export interface WhopErrorBody {
  error: { type: string; message: string; code: string; param: string | null };
}

/** `type` (and default `code`) per status. 400/409/422 are not named by the sources we have: inferred. */
export const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'unprocessable_entity',
  429: 'rate_limit_exceeded',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

const DEFAULTS: Record<number, { type: string; code: string }> = Object.fromEntries(
  Object.entries(ERROR_TYPES).map(([status, type]) => [
    status,
    { type, code: status === '400' ? 'invalid_request' : type },
  ]),
);

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
    const d = DEFAULTS[status] ?? {
      type: status >= 500 ? 'internal_server_error' : 'bad_request',
      code: status >= 500 ? 'internal_server_error' : 'invalid_request',
    };
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

/** A key or company the request may not touch (company scope). */
export const forbidden = (message: string) => new WhopApiError(403, message);

/**
 * A key without a permission the SDK method lists. Message as Whop answers it in the field
 * (`Required permission: access_pass:create`): it names one missing permission, the first.
 */
export const missingPermission = (permission: string) =>
  new WhopApiError(
    403,
    `You do not have permission to perform this action. Required permission: ${permission}`,
    { code: 'missing_permission' },
  );

export const rateLimited = (retryAfterSeconds: number) =>
  new WhopApiError(429, `Try again in ${retryAfterSeconds} seconds.`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

export const serverError = (status = 500) =>
  new WhopApiError(status, status === 503 ? 'Service temporarily unavailable' : 'Internal server error');

/** What an injected failure answers: a 5xx, or any other status a test asks for (408, 409…). */
export const injectedError = (status: number) =>
  status >= 500 ? serverError(status) : new WhopApiError(status, `Simulated ${status} response.`);
