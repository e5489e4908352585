import type { PaymentMethodTypes } from '@whop/sdk/resources/payments';
import type { PaymentRecord } from '../state.js';

/**
 * What a payment's method means for Whop's rules. Keys are @whop/sdk `PaymentMethodTypes` /
 * `PaymentProvider` values.
 */

/**
 * Buy-now-pay-later methods whose Resolution Center cases Whop refunds itself (Whop help: "Cases on
 * financed payments (Splitit, Sezzle, Klarna, Afterpay, Zip) are refunded automatically").
 * `klarna_pay_now` is paid at once, so not financed.
 */
export const FINANCED_PAYMENT_METHODS: ReadonlySet<PaymentMethodTypes> = new Set<PaymentMethodTypes>([
  'splitit',
  'sezzle',
  'klarna',
  'afterpay_clearpay',
  'zip',
]);

/** Crypto (Whop help: "crypto payments cannot have a case"); Coinbase is Whop's crypto processor. */
const CRYPTO_PAYMENT_METHODS: ReadonlySet<PaymentMethodTypes> = new Set<PaymentMethodTypes>([
  'crypto',
  'coinbase',
]);

export function isFinanced(p: PaymentRecord): boolean {
  return (
    FINANCED_PAYMENT_METHODS.has(p.payment_method_type) || p.provider === 'sezzle' || p.provider === 'splitit'
  );
}

export function isCrypto(p: PaymentRecord): boolean {
  return CRYPTO_PAYMENT_METHODS.has(p.payment_method_type) || p.provider === 'coinbase';
}

/**
 * Whether the payment's processor allows refunds (the SDK's `refundable`: "processed by a payment
 * processor that allows refunds"). Which ones do not is not documented; crypto is taken to be one
 * (inferred: an on-chain payment cannot be pulled back), the less kind side for a refund feature.
 */
export function processorAllowsRefunds(p: PaymentRecord): boolean {
  return !isCrypto(p);
}
