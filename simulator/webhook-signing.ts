import { Webhook } from 'standardwebhooks';
import { randomHex } from './ids.js';

/** A fresh secret in the form Whop's dashboard shows (`ws_<hex>`). */
export function generateWebhookSecret(): string {
  return `ws_${randomHex(32)}`;
}

/**
 * Whop's `ws_…` secrets are used as raw UTF-8 key bytes (the SDK is given `btoa(secret)` and
 * standardwebhooks base64-decodes it again); `whsec_<base64>` is the Standard Webhooks form.
 */
export function standardWebhookFor(secret: string): Webhook {
  if (secret.startsWith('whsec_')) return new Webhook(secret);
  return new Webhook(Buffer.from(secret, 'utf8').toString('base64'));
}

/** What to pass as the SDK's `webhookKey` so `client.webhooks.unwrap` verifies this secret. */
export function sdkWebhookKeyFor(secret: string): string {
  return secret.startsWith('whsec_') ? secret : Buffer.from(secret, 'utf8').toString('base64');
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Signs one attempt: the timestamp is the real time of this attempt, the id is the event's. */
export function signDelivery(wh: Webhook, msgId: string, body: string, at = new Date()): SignedHeaders {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': wh.sign(msgId, at, body),
  };
}
