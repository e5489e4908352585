/** A policy file (YAML) setting every key at each level it may appear, for the policy tests in src/policy/. */
export const YAML_POLICY = `
version: 1
defaults:
  product_description: Online courses and trading signals.
  refund_policy:
    text: Refunds within 7 days if the course was not accessed.
    url: https://example.com/refunds
    shown_at_checkout: true
    accepted_via: checkbox at checkout
  cancellation_policy:
    text: Cancel any time from your Whop account.
    shown_at_checkout: false
  terms_url: https://example.com/terms
  reason_wording:
    general: Our product is delivered instantly.
    fraud: Every login is recorded.
  auto_submit: before_deadline
  submit_lead: 24h
  dispute_alerts:
    auto_refund: false
  alerts:
    channels: [slack]
companies:
  biz_alpha:
    refund_policy:
      text: No refunds after the first lesson.
      shown_at_checkout: true
    reason_wording:
      fraud: We verify every buyer's device.
    auto_submit: immediately
    submit_lead: 2d
    dispute_alerts:
      auto_refund: true
      max_amount: 50
    alerts:
      rules:
        - channels: [email]
          kinds: [dispute_opened]
          min_amount: 50
    products:
      prod_signals:
        product_description: Daily trade signals in Discord.
        cancellation_policy: null
        reason_wording:
          not_received: Access is granted by Discord role on payment.
  biz_beta:
    terms_url: null
`;
