import { Hono } from 'hono';
import { z } from 'zod';
import { HttpError } from '../../errors/http-error.js';
import type { RefundService } from '../../refunds/refund-service.js';
import { refundView, requestRefund } from '../../refunds/request-refund.js';
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

    const record = await requestRefund(refunds, paymentId, parsed.data, c.get('log'));
    return c.json({ refund: refundView(record) }, 200);
  });

  return app;
}
