import { Hono } from 'hono';
import { HttpError } from '../../errors/http-error.js';
import type { EventInbox } from '../../intake/event-inbox.js';
import { jsonTextTooDeep, MAX_JSON_DEPTH } from '../../json/json-depth.js';
import { type Metrics, webhookTypeLabel } from '../../metrics/metrics.js';
import { isHandledEventType, parseEnvelope } from '../../webhooks/envelope.js';
import type { WebhookSignatureVerifier } from '../../webhooks/verify-signature.js';
import { type RawBodyVariables, rawBody } from '../middleware/raw-body/index.js';
import type { RequestLoggerVariables } from '../middleware/request-logger/index.js';

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface WebhookRouteDeps {
  verifier: WebhookSignatureVerifier;
  inbox: EventInbox;
  metrics: Metrics;
  maxBodyBytes?: number;
}

/**
 * `POST /webhooks/whop`. Answers 200 only once the event is in Redis: a 2xx tells Whop to forget it, so
 * an event we acknowledge and then lose is lost for good. Refusals throw HttpError: 413
 * `payload_too_large`, 401 with the signature failure as code, 400 `json_too_deep` / `invalid_json` /
 * `invalid_envelope`, 503 `store_unavailable` (Retry-After).
 */
export function webhookRoutes(deps: WebhookRouteDeps) {
  const { verifier, inbox, metrics } = deps;
  const app = new Hono<{ Variables: RequestLoggerVariables & RawBodyVariables }>();

  app.post(
    '/whop',
    rawBody({
      maxBytes: deps.maxBodyBytes ?? MAX_WEBHOOK_BYTES,
      tooLarge: () => {
        metrics.webhooksReceived.inc({ outcome: 'too_large', type: '' });
        return new HttpError('payload_too_large', 'body is over 1 MiB');
      },
    }),
    async (c) => {
      const receivedAt = new Date().toISOString();
      const body = c.get('rawBody');
      const check = verifier.verify(
        {
          id: c.req.header('webhook-id'),
          timestamp: c.req.header('webhook-timestamp'),
          signature: c.req.header('webhook-signature'),
        },
        body,
      );
      if (!check.ok) {
        metrics.webhooksReceived.inc({ outcome: check.reason, type: '' });
        c.get('log').info({ reason: check.reason }, 'webhook refused');
        throw new HttpError(check.reason, 'webhook signature verification failed');
      }

      const rawEvent = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
      // Stored, a body this deep would make every later JSON.stringify (the relay's job) throw.
      if (jsonTextTooDeep(rawEvent, MAX_JSON_DEPTH)) {
        metrics.webhooksReceived.inc({ outcome: 'json_too_deep', type: '' });
        throw new HttpError('json_too_deep', `body nests deeper than ${MAX_JSON_DEPTH} levels`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawEvent);
      } catch {
        metrics.webhooksReceived.inc({ outcome: 'invalid_json', type: '' });
        throw new HttpError('invalid_json', 'body is not JSON');
      }
      const envelope = parseEnvelope(parsed);
      if (!envelope.ok) {
        metrics.webhooksReceived.inc({ outcome: 'invalid_envelope', type: '' });
        throw new HttpError('invalid_envelope', envelope.message);
      }
      const { type } = envelope.event;
      if (!isHandledEventType(type)) {
        metrics.webhooksReceived.inc({ outcome: 'ignored', type: webhookTypeLabel(type) });
        c.get('log').debug({ type, webhookId: check.webhookId }, 'webhook type not handled; acknowledged');
        return c.json({ status: 'ignored' }, 200);
      }

      try {
        const result = await inbox.add({
          webhookId: check.webhookId,
          rawEvent,
          receivedAt,
          attemptTimestamp: check.timestamp,
        });
        metrics.webhooksReceived.inc({ outcome: result, type });
        return c.json({ status: result }, 200);
      } catch (err) {
        // Not stored: say so, so Whop delivers it again. Never a 2xx here.
        metrics.webhooksReceived.inc({ outcome: 'unavailable', type });
        c.get('log').warn(
          { err: (err as Error).message, webhookId: check.webhookId },
          'could not store webhook',
        );
        throw new HttpError('store_unavailable', 'event store unavailable; retry later');
      }
    },
  );

  return app;
}
