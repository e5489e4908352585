/**
 * Payments made with buy-now-pay-later providers. Whop refunds Resolution Center cases on these itself
 * (Whop help: Splitit, Sezzle, Klarna, Afterpay, Zip), so such a case is news, never a task.
 * Keys are @whop/sdk `PaymentMethodTypes`. Deliberately narrow: wrongly calling a payment financed would
 * silence the reminders of a case the merchant must answer; wrongly not calling it costs one needless
 * reminder. So `klarna_pay_now` (paid at once, not financed) and `affirm` (not on Whop's list) are out.
 */
const FINANCED_PROVIDERS: Readonly<Record<string, string>> = {
  splitit: 'Splitit',
  sezzle: 'Sezzle',
  klarna: 'Klarna',
  afterpay_clearpay: 'Afterpay',
  zip: 'Zip',
};

/** The provider's name ("Klarna") for a financed payment method, else null. */
export function financedProvider(paymentMethodType: string | null | undefined): string | null {
  if (!paymentMethodType || !Object.hasOwn(FINANCED_PROVIDERS, paymentMethodType)) return null;
  return FINANCED_PROVIDERS[paymentMethodType] ?? null;
}
