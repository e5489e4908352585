/**
 * `WHOP_WEBHOOK_SECRET` → HMAC keys. Parsed once at start by `loadConfig`; the verifier
 * (src/webhooks/verify-signature.ts) only ever sees the keys.
 *
 * Every entry must be a real key, because a weak one lets anyone sign webhooks: a delivery signed with
 * the key `v1` (what `v1,whsec_…`, a pasted signature header, splits into) or a one-byte key would be
 * accepted as Whop's. Kinds of this fault were reported against standard-webhooks (#235) and openai-node
 * (#1887).
 */

/**
 * What Whop issues: `ws_` and 64 hex characters (32 random bytes; seen in Whop's dashboard and in the
 * simulator, which copies it). Fewer than 32 characters after the prefix is a truncated paste or a
 * placeholder (`ws_...`), never a secret Whop issued.
 */
export const MIN_WS_SECRET_CHARS = 32;
/**
 * The Standard Webhooks spec asks for secrets of 24 to 64 random bytes; `whsec_` is that form, and the
 * key is the decoded bytes.
 */
export const MIN_WHSEC_KEY_BYTES = 24;

const WS_SECRET = /^ws_[A-Za-z0-9]+$/;
/** Canonical base64 only: a length that is a multiple of 4, padding only at the end. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Turns one secret as an operator pastes it into the HMAC key bytes.
 * - `ws_<letters and digits>` (Whop's form, at least `MIN_WS_SECRET_CHARS` after the prefix) is used as
 *   Whop's SDK uses it (`webhookKey: btoa(secret)`, which the library decodes again): the key is the
 *   secret's UTF-8 bytes, prefix included.
 * - `whsec_<base64>` is the Standard Webhooks form: the key is the decoded bytes, at least
 *   `MIN_WHSEC_KEY_BYTES` of them.
 * Anything else throws an Error saying what is wrong, never echoing the secret (nor its length).
 */
export function webhookKeyFromSecret(secret: string): Buffer {
  const trimmed = secret.trim();
  if (trimmed.length === 0) throw new Error('secret is empty');
  if (trimmed.startsWith('whsec_')) {
    const body = trimmed.slice('whsec_'.length);
    if (body.length === 0 || !BASE64.test(body))
      throw new Error('a whsec_ secret must be base64 after the prefix');
    const key = Buffer.from(body, 'base64');
    if (key.length < MIN_WHSEC_KEY_BYTES)
      throw new Error(`a whsec_ secret must decode to at least ${MIN_WHSEC_KEY_BYTES} bytes`);
    return key;
  }
  if (trimmed.startsWith('ws_')) {
    if (!WS_SECRET.test(trimmed))
      throw new Error('a ws_ secret has only letters and digits after the prefix, as Whop shows it');
    if (trimmed.length - 'ws_'.length < MIN_WS_SECRET_CHARS)
      throw new Error(
        `a ws_ secret has at least ${MIN_WS_SECRET_CHARS} characters after the prefix (Whop's have 64); copy it again from Whop`,
      );
    return Buffer.from(trimmed, 'utf8');
  }
  // `v1` is a signature header's version tag, not a secret: `v1,<base64>` pasted from a header splits here.
  if (/^v\d+$/.test(trimmed))
    throw new Error('a signature version tag (v1) is not a secret; was a signature header pasted?');
  throw new Error('must be the secret Whop shows (ws_…) or a Standard Webhooks secret (whsec_…)');
}

/**
 * The whole setting: comma-separated secrets (several while rotating) → one key each, in order. Blank
 * entries are skipped; none at all is an error. Throws an Error naming the bad entry by position (when
 * there are several) and the problem, never the secret.
 */
export function webhookKeysFromSecrets(setting: string): Buffer[] {
  const secrets = setting
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) throw new Error('is empty');
  return secrets.map((secret, i) => {
    try {
      return webhookKeyFromSecret(secret);
    } catch (err) {
      const where = secrets.length > 1 ? `entry ${i + 1} of ${secrets.length}: ` : '';
      throw new Error(`${where}${(err as Error).message}`);
    }
  });
}
