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
  dispute_alerts: # the old form still parses: auto_refund is the old name of enabled
    auto_refund: false
    max_payment_age: 60d
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
      enabled: true
      alert_types: [dispute, fraud]
      max_amount: { USD: 50, EUR: 45 }
      products: { deny: [prod_signals] }
      plans: { allow: [plan_basic] }
      min_payment_age: 1h
      cancel_membership: true
      dry_run: false
      daily_cap: { count: 10, amount: { USD: 300 } }
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
