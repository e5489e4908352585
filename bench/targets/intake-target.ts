/**
 * One HTTP target for the intake benchmark, run in its own process so the load generator does not share
 * its event loop. Modes:
 * - bare:   a Hono endpoint that reads the body and answers 200 (the baseline)
 * - verify: verify the signature and parse the envelope, store nothing (the ceiling for any correct receiver)
 * - sdk:    the usual way to write a Whop receiver: Hono + the SDK's `webhooks.unwrap` + one BullMQ
 *           `queue.add` per request (job id = webhook id for dedupe)
 * - full:   the real service app (verify, parse, batched Redis store + dedupe)
 * - raw:    the full app's middleware and store, minus the body checks: verify the signature and store
 *           the raw body (no depth check, JSON.parse or envelope check); what moving validation to the
 *           worker would leave on the request path
 */
import Whop from '@whop/sdk';
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { webhookKeyFromSecret } from '../../src/config/webhook-secret.js';
import { HttpError } from '../../src/errors/http-error.js';
import { createApp } from '../../src/http/app.js';
import { onError } from '../../src/http/error-answer.js';
import { type RawBodyVariables, rawBody } from '../../src/http/middleware/raw-body/index.js';
import {
  type RequestLoggerVariables,
  requestLogger,
} from '../../src/http/middleware/request-logger/index.js';
import { MAX_WEBHOOK_BYTES } from '../../src/http/routes/webhooks.js';
import { startHttpServer } from '../../src/http/serve.js';
import { EventInbox } from '../../src/intake/event-inbox.js';
import { createLogger } from '../../src/logger/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createIntakeRedis, waitUntilReady } from '../../src/redis/connection.js';
import { parseEnvelope } from '../../src/webhooks/envelope.js';
import { WebhookSignatureVerifier } from '../../src/webhooks/verify-signature.js';

const [mode, secret, redisUrl, logLevel] = process.argv.slice(2) as [string, string, string, string];
const verifier = new WebhookSignatureVerifier([webhookKeyFromSecret(secret)]);

async function build() {
  if (mode === 'bare') {
    const app = new Hono();
    app.post('/webhooks/whop', async (c) => {
      await c.req.arrayBuffer();
      return c.json({ status: 'ok' }, 200);
    });
    return app;
  }
  if (mode === 'verify') {
    const app = new Hono();
    app.post('/webhooks/whop', async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const check = verifier.verify(
        {
          id: c.req.header('webhook-id'),
          timestamp: c.req.header('webhook-timestamp'),
          signature: c.req.header('webhook-signature'),
        },
        body,
      );
      if (!check.ok) return c.json({ error: check.reason }, 401);
      if (!parseEnvelope(JSON.parse(Buffer.from(body).toString('utf8'))).ok) return c.json({}, 400);
      return c.json({ status: 'accepted' }, 200);
    });
    return app;
  }
  if (mode === 'sdk') {
    const client = new Whop({ apiKey: 'unused', webhookKey: btoa(secret) });
    const queue = new Queue('whop-webhooks', { connection: { url: redisUrl } });
    const app = new Hono();
    app.post('/webhooks/whop', async (c) => {
      const body = await c.req.text();
      let event: ReturnType<typeof client.webhooks.unwrap>;
      try {
        event = client.webhooks.unwrap(body, { headers: c.req.header() });
      } catch {
        return c.json({ error: 'invalid signature' }, 401);
      }
      await queue.add(event.type, event, { jobId: c.req.header('webhook-id') });
      return c.json({ status: 'ok' }, 200);
    });
    return app;
  }
  const redis = createIntakeRedis(redisUrl);
  await waitUntilReady(redis, 5000);
  const logger = createLogger(logLevel ?? 'info');
  if (mode === 'raw') {
    const inbox = new EventInbox(redis);
    const metrics = createMetrics();
    const app = new Hono<{ Variables: RequestLoggerVariables & RawBodyVariables }>();
    app.use(requestId());
    app.use(requestLogger(logger));
    app.post(
      '/webhooks/whop',
      rawBody({
        maxBytes: MAX_WEBHOOK_BYTES,
        tooLarge: () => new HttpError('payload_too_large', 'too large'),
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
        if (!check.ok) throw new HttpError(check.reason, 'webhook signature verification failed');
        const rawEvent = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
        const result = await inbox.add({
          webhookId: check.webhookId,
          rawEvent,
          receivedAt,
          attemptTimestamp: check.timestamp,
        });
        metrics.webhooksReceived.inc({ outcome: result, type: '' });
        return c.json({ status: result }, 200);
      },
    );
    app.onError(onError);
    return app;
  }
  return createApp({ logger, metrics: createMetrics(), verifier, inbox: new EventInbox(redis), redis });
}

const app = await build();
const server = await startHttpServer(app as ReturnType<typeof createApp>, 0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.on('SIGTERM', () => server.close(1000).then(() => process.exit(0)));
