import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every machine code the HTTP service answers with, and what each one means on the wire. A closed set:
 * Whop's retries and merchants' scripts branch on status and `error.code`, so a code is never renamed
 * and one code always has the same status and headers.
 */
export const HTTP_ERRORS = {
  // Any route.
  not_found: { status: 404 },
  internal_error: { status: 500 },
  /**
   * Refused by Node's HTTP parser before any route (src/http/serve.ts): not HTTP/1.1 we can read
   * (a broken request line, bad framing, conflicting lengths), headers over Node's 16 KiB limit, or a
   * request whose head took too long. Always with `Connection: close`.
   */
  malformed_request: { status: 400 },
  headers_too_large: { status: 431 },
  request_timeout: { status: 408 },
  // Bearer-token APIs (/api, /access-events).
  api_disabled: { status: 503 },
  unauthorized: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
  // Request bodies (webhooks, access events).
  payload_too_large: { status: 413 },
  invalid_json: { status: 400 },
  /** JSON nested deeper than MAX_JSON_DEPTH (src/json/json-depth.ts): refused before it is stored. */
  json_too_deep: { status: 400 },
  /**
   * The event was not stored: retry. Whop retries after 10 s, 20 s and 40 s whatever we say; the header
   * is for other senders, proxies and merchants' scripts.
   */
  store_unavailable: { status: 503, headers: { 'Retry-After': '10' } },
  // Webhook intake: why a delivery's signature was refused (see `SignatureFailure`), then its envelope.
  missing_signature_headers: { status: 401 },
  invalid_timestamp: { status: 401 },
  timestamp_out_of_tolerance: { status: 401 },
  invalid_signature: { status: 401 },
  invalid_envelope: { status: 400 },
  // Read API.
  invalid_query: { status: 400 },
  // Access-event intake (body errors match `AccessEventsBodyError` codes).
  unsupported_media_type: { status: 415 },
  invalid_encoding: { status: 400 },
  empty_body: { status: 400 },
  invalid_body: { status: 400 },
  too_many_events: { status: 413 },
  all_rejected: { status: 422 },
  // Refunds on request (POST /api/payments/:id/refund). Nothing was sent to Whop unless it says so.
  /** Another refund of the payment is running, or an earlier one is not settled yet: nothing sent. */
  refund_in_flight: { status: 409 },
  /** The payment guards refused (src/refunds/payment-guards.ts, decide-manual-refund.ts): nothing sent. */
  payment_disputed: { status: 422 },
  disputes_unknown: { status: 422 },
  invalid_amount: { status: 422 },
  already_refunded: { status: 422 },
  not_refundable: { status: 422 },
  amount_exceeds_remaining: { status: 422 },
  /** Whop answered the refund call with a refusal (or lists it failed): nothing refunded. */
  whop_refused: { status: 422 },
  /** Whop could not be reached or read (nothing sent): retry. */
  whop_unavailable: { status: 503, headers: { 'Retry-After': '30' } },
  /** Sent, but Whop's answer was lost and the payment does not show it yet: never resent blindly. */
  refund_unconfirmed: { status: 502 },
  // The merchant dashboard (src/dashboard): rendered as pages, with the same codes.
  dashboard_disabled: { status: 503 },
  /** A form without this session's CSRF token, or posted from another origin. */
  csrf_failed: { status: 403 },
  /** Too many failed logins from this address; the message says when to try again. */
  too_many_login_attempts: { status: 429 },
  /** A dashboard action the record does not allow now (submit evidence that was already submitted …). */
  action_not_allowed: { status: 409 },
} as const satisfies Record<string, HttpErrorSpec>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

interface HttpErrorSpec {
  status: ContentfulStatusCode;
  headers?: Readonly<Record<string, string>>;
}
const SPECS: Readonly<Record<HttpErrorCode, HttpErrorSpec>> = HTTP_ERRORS;

export function isHttpErrorCode(code: string): code is HttpErrorCode {
  return Object.hasOwn(HTTP_ERRORS, code);
}

/**
 * An error the service answers on purpose: routes and middleware throw it, `app.onError` renders it as
 * `{ "error": { "code", "message" }, ...fields }` with the code's status and headers (see HTTP_ERRORS).
 * The message is safe to show: never a secret, never a hint that helps forge a signature.
 */
export class HttpError extends Error {
  readonly status: ContentfulStatusCode;

  /**
   * @param fields more top-level body fields after `error`, e.g. the per-event reasons of `all_rejected`.
   */
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly fields?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = SPECS[code].status;
  }

  /** The code's fixed headers (e.g. `Retry-After`, `WWW-Authenticate`), or undefined. */
  get headers(): Readonly<Record<string, string>> | undefined {
    return SPECS[this.code].headers;
  }

  /** The answer's body. */
  toJSON() {
    return { error: { code: this.code, message: this.message }, ...this.fields };
  }
}
