import { randomBytes } from 'node:crypto';

/**
 * Whop tags: a type prefix plus random alphanumerics, 18 characters in all
 * (docs show `pay_xxxxxxxxxxxxxx`, `dspt_xxxxxxxxxxxxx`, `rf_xxxxxxxxxxxxxxx`).
 * Webhook message ids are `msg_` + 24 characters.
 */
export const ID_PREFIXES = {
  company: 'biz_',
  user: 'user_',
  product: 'prod_',
  plan: 'plan_',
  membership: 'mem_',
  member: 'mber_',
  payment: 'pay_',
  paymentMethod: 'pmt_',
  dispute: 'dspt_',
  disputeAlert: 'dspa_',
  refund: 'rf_',
  resolutionCase: 'reso_',
  // Whop's guide and OpenAPI: Resolution Center case events are `revt_…`.
  resolutionEvent: 'revt_',
  file: 'file_',
  notification: 'ntf_',
  webhookMessage: 'msg_',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TAG_LENGTH = 18;
const MESSAGE_ID_BODY_LENGTH = 24;

function randomChars(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[(bytes[i] as number) % ALPHABET.length];
  return out;
}

export function newId(kind: IdKind): string {
  const prefix = ID_PREFIXES[kind];
  const bodyLength = kind === 'webhookMessage' ? MESSAGE_ID_BODY_LENGTH : TAG_LENGTH - prefix.length;
  return prefix + randomChars(bodyLength);
}

/** Random lowercase hex, used for `ws_<hex>` webhook secrets and upload tokens. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
