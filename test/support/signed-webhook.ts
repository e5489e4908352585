import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * A webhook secret shaped like Whop's (`ws_` and 64 hex characters; the service refuses anything
 * weaker), derived from `name` so each test's secret is readable at the call site and stable.
 */
export function testSecret(name: string): string {
  return `ws_${createHash('sha256').update(name).digest('hex')}`;
}

/** The intake's secret when a test names none (see test/support/intake.ts). */
export const TEST_SECRET = testSecret('test');

/** Signs like Whop does: Standard Webhooks with the secret's UTF-8 bytes as key (`btoa(secret)` for the lib). */
export function signWebhook(
  secret: string,
  webhookId: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const lib = new Webhook(secret.startsWith('whsec_') ? secret : Buffer.from(secret).toString('base64'));
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': lib.sign(webhookId, new Date(timestampSeconds * 1000), body),
    'content-type': 'application/json',
  };
}

let seq = 0;
/** A minimal Whop event envelope of the given type. */
export function whopEvent(
  type: string,
  data: Record<string, unknown> = {},
  id = `evt_${++seq}_${Date.now()}`,
) {
  return { id, api_version: 'v1', type, timestamp: new Date().toISOString(), company_id: 'biz_test', data };
}
