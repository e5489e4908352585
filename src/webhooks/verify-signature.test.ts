import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signWebhook, testSecret } from '../../test/support/signed-webhook.js';
import { webhookKeyFromSecret } from '../config/webhook-secret.js';
import { WebhookSignatureVerifier } from './verify-signature.js';

interface Vector {
  name: string;
  secret: string;
  now: number;
  body: string;
  headers: Record<string, string>;
  expect_valid: boolean;
}
// The shared copy beside the checkout when there is one; else the copy committed with the tests.
const sharedPath = fileURLToPath(
  new URL('../../../shared/fixtures/standard-webhooks-vectors.json', import.meta.url),
);
const vectorsPath = existsSync(sharedPath)
  ? sharedPath
  : fileURLToPath(new URL('../../test/fixtures/standard-webhooks-vectors.json', import.meta.url));
const fixtures = JSON.parse(readFileSync(vectorsPath, 'utf8')) as { verify: Vector[] };

function lower(headers: Record<string, string>) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The key as the reference library derives it from a vector's secret (base64, optional whsec_ prefix). */
const libKey = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

describe('WebhookSignatureVerifier against the Standard Webhooks vectors', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('has vectors to check', () => {
    expect(fixtures.verify.length).toBeGreaterThanOrEqual(18);
  });

  for (const v of fixtures.verify) {
    it(`${v.name}: ${v.expect_valid ? 'valid' : 'invalid'}, and agrees with the standardwebhooks package`, () => {
      const h = lower(v.headers);
      const ours = new WebhookSignatureVerifier([libKey(v.secret)], () => v.now).verify(
        { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] },
        Buffer.from(v.body),
      );

      vi.useFakeTimers({ now: v.now * 1000 });
      let libValid: boolean;
      try {
        new Webhook(v.secret).verify(v.body, v.headers);
        libValid = true;
      } catch {
        libValid = false;
      }

      expect(ours.ok).toBe(v.expect_valid);
      expect(libValid).toBe(v.expect_valid);
    });
  }
});

describe('WebhookSignatureVerifier with Whop secrets', () => {
  const now = 1_800_000_000;
  const body = '{"id":"evt_1","type":"dispute.created"}';

  it('accepts what Whop signs with a ws_ secret (key = the secret bytes)', () => {
    const headers = signWebhook(testSecret('4f2a9c'), 'msg_1', body, now);
    const check = new WebhookSignatureVerifier(
      [webhookKeyFromSecret(testSecret('4f2a9c'))],
      () => now,
    ).verify(
      {
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
      },
      Buffer.from(body),
    );
    expect(check).toEqual({ ok: true, webhookId: 'msg_1', timestamp: now });
  });

  it('accepts a signature made with any of the rotated secrets, and only those', () => {
    const verifier = new WebhookSignatureVerifier(
      [testSecret('old'), testSecret('new')].map(webhookKeyFromSecret),
      () => now,
    );
    const verify = (secret: string) => {
      const h = signWebhook(secret, 'msg_2', body, now);
      return verifier.verify(
        { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] },
        Buffer.from(body),
      ).ok;
    };
    expect(verify(testSecret('old'))).toBe(true);
    expect(verify(testSecret('new'))).toBe(true);
    expect(verify(testSecret('other'))).toBe(false);
  });

  it('signs the exact bytes: one changed byte fails', () => {
    const h = signWebhook(testSecret('s'), 'msg_3', body, now);
    const verifier = new WebhookSignatureVerifier([webhookKeyFromSecret(testSecret('s'))], () => now);
    const ids = { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] };
    expect(verifier.verify(ids, Buffer.from(body)).ok).toBe(true);
    expect(verifier.verify(ids, Buffer.from(`${body} `)).ok).toBe(false);
  });

  it('names why it refused, without saying what was expected', () => {
    const verifier = new WebhookSignatureVerifier([webhookKeyFromSecret(testSecret('s'))], () => now);
    const b = Buffer.from(body);
    expect(verifier.verify({ id: 'm', timestamp: undefined, signature: 'v1,x' }, b)).toEqual({
      ok: false,
      reason: 'missing_signature_headers',
    });
    expect(verifier.verify({ id: 'm', timestamp: '12abc', signature: 'v1,x' }, b)).toEqual({
      ok: false,
      reason: 'invalid_timestamp',
    });
    expect(verifier.verify({ id: 'm', timestamp: String(now - 301), signature: 'v1,x' }, b)).toEqual({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    expect(verifier.verify({ id: 'm', timestamp: String(now), signature: 'v1,x' }, b)).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('refuses a non-canonical encoding of the right signature, as the reference library does', () => {
    const h = signWebhook(testSecret('s'), 'msg_4', body, now);
    const sig = h['webhook-signature']!.slice(3);
    const verifier = new WebhookSignatureVerifier([webhookKeyFromSecret(testSecret('s'))], () => now);
    const check = (signature: string) =>
      verifier.verify({ id: 'msg_4', timestamp: String(now), signature }, Buffer.from(body)).ok;
    expect(check(`v1,${sig}`)).toBe(true);
    expect(check(`v1,${sig.replace(/=$/, '')}`)).toBe(false);
  });
});
