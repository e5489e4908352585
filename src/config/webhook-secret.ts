/**
 * `WHOP_WEBHOOK_SECRET` → HMAC keys. Parsed once at start by `loadConfig`; the verifier
 * (src/webhooks/verify-signature.ts) only ever sees the keys.
 */

/**
 * Turns one secret as an operator pastes it into the HMAC key bytes.
 * - `whsec_<base64>` is the Standard Webhooks form: the key is the decoded bytes.
 * - Anything else (Whop shows `ws_<hex>`) is used as Whop's SDK uses it (`webhookKey: btoa(secret)`,
 *   which the library decodes again): the key is the secret's UTF-8 bytes.
 * Throws an Error saying what is wrong, never echoing the secret.
 */
export function webhookKeyFromSecret(secret: string): Buffer {
  const trimmed = secret.trim();
  if (trimmed.startsWith('whsec_')) {
    const body = trimmed.slice('whsec_'.length);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body))
      throw new Error('a whsec_ secret must be base64 after the prefix');
    return Buffer.from(body, 'base64');
  }
  if (trimmed.length === 0) throw new Error('secret is empty');
  return Buffer.from(trimmed, 'utf8');
}

/**
 * The whole setting: comma-separated secrets (several while rotating) → one key each, in order. Blank
 * entries are skipped; none at all is an error. Throws an Error naming the problem, never the secret.
 */
export function webhookKeysFromSecrets(setting: string): Buffer[] {
  const secrets = setting
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) throw new Error('is empty');
  return secrets.map(webhookKeyFromSecret);
}
