import { APIError, NotFoundError, WhopError } from '@whop/sdk';
import { Hono } from 'hono';
import { z } from 'zod';
import { HttpError, type HttpErrorCode } from '../../errors/http-error.js';
import type { RefundDecisionRecord } from '../../refunds/refund-record.js';
import { RefundInDoubt, RefundNotRecorded, type RefundService } from '../../refunds/refund-service.js';
import { RefundBusy, RefundStoreUnavailable } from '../../refunds/refund-store.js';
import { RetryableWhopError, whopMessage } from '../../whop/whop-errors.js';
import type { RequestLoggerVariables } from '../middleware/request-logger/index.js';

export interface PaymentRouteDeps {
  /** The one refund path (the worker's auto-refunds use the same); without it the route is not mounted. */
  refunds?: RefundService;
}

/** The body is small; anything larger is not a refund request. */
const MAX_BODY_CHARS = 4096;

const refundBody = z.strictObject(
  {
    // A string, never a JSON number: 0.1 + 0.2 style floats cannot be read as an exact amount.
    amount: z
      .string({ error: 'must be a decimal string in the payment’s currency, e.g. "42.50"' })
      .max(32, 'is too long for an amount')
      .nullable()
      .optional(),
    reason: z
      .string({ error: 'must be a string' })
      .max(500, 'must be at most 500 characters')
      .nullable()
      .optional(),
  },
  { error: 'must be a JSON object: { "amount"?: "42.50", "reason"?: "…" }' },
);

/** The guard codes a refusal answers with (each is an HTTP code of its own, 422). */
const GUARD_CODES = new Set<HttpErrorCode>([
  'payment_disputed',
  'disputes_unknown',
  'invalid_amount',
  'already_refunded',
  'not_refundable',
  'amount_exceeds_remaining',
]);

/** What was done, as the answer and the dashboard show it. Amounts: decimal strings in `currency`. */
function refundView(record: RefundDecisionRecord) {
  return {
    id: record.id,
    payment_id: record.paymentId,
    status: record.outcome?.code ?? null,
    amount: record.amount?.decimal ?? null,
    currency: record.amount?.currency ?? null,
    refund_id: record.outcome?.refundId ?? null,
    reason: record.outcome?.reason ?? record.decision.reason,
    requested_reason: record.requestReason,
    decided_at: record.decidedAt,
  };
}

/** A failure of the refund path as the answer's error (nothing was sent unless the code says so). */
function refundError(err: unknown, paymentId: string): HttpError {
  if (err instanceof RefundBusy) {
    return new HttpError(
      'refund_in_flight',
      `a refund of payment ${paymentId} is in progress: nothing was sent`,
    );
  }
  if (err instanceof RefundInDoubt) {
    return err.sentNow
      ? new HttpError(
          'refund_unconfirmed',
          `the refund was sent but Whop did not confirm it and the payment does not show it yet (decision ${err.decisionId}); it is checked again before any new refund of this payment: look at the payment in Whop before retrying`,
          { decision_id: err.decisionId },
        )
      : new HttpError(
          'refund_in_flight',
          `an earlier refund of payment ${paymentId} (decision ${err.decisionId}) is not confirmed by Whop yet: nothing was sent; try again in a minute`,
          { decision_id: err.decisionId },
        );
  }
  if (err instanceof RefundStoreUnavailable) {
    return new HttpError(
      'store_unavailable',
      'the refund store (Redis) is unavailable: nothing was sent; retry later',
    );
  }
  if (err instanceof NotFoundError) return new HttpError('not_found', `Whop has no payment ${paymentId}`);
  if (err instanceof RetryableWhopError || err instanceof WhopError) {
    const said = err instanceof APIError ? ` (${err.status ?? 'no answer'}: ${whopMessage(err)})` : '';
    return new HttpError(
      'whop_unavailable',
      `Whop could not be reached or read${said}: nothing was sent; retry later`,
    );
  }
  throw err;
}

/**
 * `POST /api/payments/:id/refund`, mounted at `/api` behind ADMIN_TOKEN: a refund a person asks for (the
 * dashboard's refund button), through the same guards and the same exactly-once path as auto-refunds.
 * Body (JSON, optional): `amount` — a decimal string in the payment's currency (default: all that is
 * left) — and `reason`. Answers 200 `{ refund }` with what was done; 409 `refund_in_flight`; 422 with the
 * guard's code (`payment_disputed`, `already_refunded`, `not_refundable`, `amount_exceeds_remaining`,
 * `invalid_amount`, `disputes_unknown`) or `whop_refused`, and the reason in words; 503
 * `store_unavailable` / `whop_unavailable` (nothing sent); 502 `refund_unconfirmed`; 400 for a bad body.
 */
export function paymentRoutes({ refunds }: PaymentRouteDeps) {
  const app = new Hono<{ Variables: RequestLoggerVariables }>();
  if (!refunds) return app;

  app.post('/payments/:id/refund', async (c) => {
    const paymentId = c.req.param('id');
    const text = await c.req.text();
    if (text.length > MAX_BODY_CHARS)
      throw new HttpError('payload_too_large', 'a refund request is a small JSON object');
    let raw: unknown = {};
    if (text.trim() !== '') {
      try {
        raw = JSON.parse(text);
      } catch {
        throw new HttpError('invalid_json', 'the body is not JSON');
      }
    }
    const parsed = refundBody.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.join('.');
      throw new HttpError(
        'invalid_body',
        `${path ? `${path}: ` : ''}${issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message}`,
      );
    }

    let record: RefundDecisionRecord;
    try {
      record = await refunds.refundOnRequest(paymentId, parsed.data);
    } catch (err) {
      if (err instanceof RefundNotRecorded) {
        // Whop refunded; Redis could not record it (the attempt marker makes the next run find it).
        c.get('log').error({ paymentId, err: err.message }, 'refund made but not recorded');
        return c.json({ refund: refundView(err.record) }, 200);
      }
      throw refundError(err, paymentId);
    }
    const { decision, outcome } = record;
    if (decision.action === 'refuse') {
      const code = decision.code as HttpErrorCode;
      if (!GUARD_CODES.has(code)) throw new Error(`unexpected refusal ${decision.code}`);
      throw new HttpError(code, decision.reason, { decision_id: record.id });
    }
    if (outcome?.code === 'refused' || outcome?.code === 'failed') {
      throw new HttpError('whop_refused', outcome.reason, { refund: refundView(record) });
    }
    c.get('log').info({ paymentId, decisionId: record.id, outcome: outcome?.code }, 'refund made on request');
    return c.json({ refund: refundView(record) }, 200);
  });

  return app;
}
