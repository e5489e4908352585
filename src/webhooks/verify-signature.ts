import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks' reference libraries accept a timestamp this far either side of now. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** Why a delivery was refused. Short and machine-readable; none of them helps forge a signature. */
export type SignatureFailure =
  | 'missing_signature_headers'
  | 'invalid_timestamp'
  | 'timestamp_out_of_tolerance'
  | 'invalid_signature';

export type SignatureCheck =
  | { ok: true; webhookId: string; timestamp: number }
  | { ok: false; reason: SignatureFailure };

/** The three Standard Webhooks headers, already looked up (header names are case-insensitive). */
export interface SignatureHeaders {
  id: string | undefined | null;
  timestamp: string | undefined | null;
  signature: string | undefined | null;
}

/**
 * Verifies Standard Webhooks signatures with node:crypto. Built once per process from the HMAC keys
 * the configuration already parsed (`webhookKeys`, see src/config/webhook-secret.ts): key objects are
 * prepared up front because this runs on every delivery.
 */
export class WebhookSignatureVerifier {
  private readonly keys: KeyObject[];

  constructor(
    keys: readonly Uint8Array[],
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
    private readonly toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
  ) {
    if (keys.length === 0) throw new Error('at least one webhook key is required');
    this.keys = keys.map((key) => {
      if (key.length === 0) throw new Error('webhook key is empty');
      return createSecretKey(key);
    });
  }

  verify(headers: SignatureHeaders, body: Uint8Array): SignatureCheck {
    const { id, timestamp, signature } = headers;
    if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_signature_headers' };
    // Strict digits only: parseInt('12abc') would quietly accept garbage.
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid_timestamp' };
    const sentAt = Number(timestamp);
    if (Math.abs(this.nowSeconds() - sentAt) > this.toleranceSeconds) {
      return { ok: false, reason: 'timestamp_out_of_tolerance' };
    }

    const candidates = v1Signatures(signature);
    if (candidates.length === 0) return { ok: false, reason: 'invalid_signature' };

    // Sign the exact bytes received, as `${id}.${timestamp}.${body}`.
    const prefix = `${id}.${timestamp}.`;
    for (const key of this.keys) {
      const expected = Buffer.from(createHmac('sha256', key).update(prefix).update(body).digest('base64'));
      for (const candidate of candidates) {
        // Lengths are public (always 44 characters); only equal-length values reach the constant-time compare.
        if (candidate.length === expected.length && timingSafeEqual(expected, candidate)) {
          return { ok: true, webhookId: id, timestamp: sentAt };
        }
      }
    }
    return { ok: false, reason: 'invalid_signature' };
  }
}

/**
 * The `v1,<base64>` entries of a signature header, other versions ignored as the spec says. Compared as
 * base64 text, not decoded bytes, so a non-canonical encoding is refused exactly as the reference library does.
 */
function v1Signatures(header: string): Buffer[] {
  const found: Buffer[] = [];
  for (const entry of header.split(' ')) {
    if (entry.startsWith('v1,')) found.push(Buffer.from(entry.slice(3)));
  }
  return found;
}
