import { describe, expect, it } from 'vitest';
import { YAML_POLICY } from '../../test/support/sample-policy.js';
import { EMPTY_POLICY, type Policy, parsePolicy } from './policy-file.js';
import { DEFAULT_REFUND_RULES } from './refund-rules.js';
import { resolvePolicy } from './resolve-policy.js';

describe('resolvePolicy', () => {
  const policy = parsePolicy(YAML_POLICY, 'yaml');

  it('merges defaults ← company ← product, most specific first', () => {
    const resolved = resolvePolicy(policy, 'biz_alpha', 'prod_signals');
    expect(resolved).toEqual({
      company_id: 'biz_alpha',
      product_id: 'prod_signals',
      product_description: 'Daily trade signals in Discord.',
      // The company's refund policy replaces the default's whole: no URL or accepted_via leaks in.
      refund_policy: {
        text: 'No refunds after the first lesson.',
        url: null,
        shown_at_checkout: true,
        accepted_via: null,
        renewal_reminders: null,
      },
      // null at product level removes the inherited cancellation policy.
      cancellation_policy: null,
      terms_url: 'https://example.com/terms',
      reason_wording: {
        general: 'Our product is delivered instantly.',
        fraud: "We verify every buyer's device.",
        not_received: 'Access is granted by Discord role on payment.',
      },
      auto_submit: 'immediately',
      submit_lead: '2d',
      submit_lead_ms: 2 * 86_400_000,
      // Company keys replace the defaults' key by key; max_payment_age is inherited from the defaults.
      dispute_alerts: {
        enabled: true,
        alert_types: ['dispute', 'fraud'],
        max_amount: { USD: 5000, EUR: 4500 },
        products: { allow: null, deny: ['prod_signals'] },
        plans: { allow: ['plan_basic'], deny: [] },
        min_payment_age: { text: '1h', ms: 3_600_000 },
        max_payment_age: { text: '60d', ms: 60 * 86_400_000 },
        cancel_membership: true,
        dry_run: false,
        daily_cap: { count: 10, amount: { USD: 30_000 } },
      },
      // The company's alerts section replaces the default's whole.
      alerts: { rules: [{ channels: ['email'], kinds: ['dispute_opened'], min_amount: 50 }] },
    });
  });

  it('uses the company level for another product of the same company', () => {
    const resolved = resolvePolicy(policy, 'biz_alpha', 'prod_other');
    expect(resolved.product_description).toBe('Online courses and trading signals.');
    expect(resolved.cancellation_policy).toEqual({
      text: 'Cancel any time from your Whop account.',
      url: null,
      shown_at_checkout: false,
      accepted_via: null,
      renewal_reminders: null,
    });
    expect(resolved.reason_wording.not_received).toBeUndefined();
  });

  it('uses the defaults for an unknown company, and a company-level null removes a default', () => {
    const unknown = resolvePolicy(policy, 'biz_unknown', null);
    expect(unknown.refund_policy?.url).toBe('https://example.com/refunds');
    expect(unknown.auto_submit).toBe('before_deadline');
    expect(unknown.submit_lead_ms).toBe(86_400_000);
    expect(unknown.dispute_alerts).toEqual({
      ...DEFAULT_REFUND_RULES,
      max_payment_age: { text: '60d', ms: 60 * 86_400_000 },
    });
    expect(unknown.alerts).toEqual({ channels: ['slack'] });
    expect(resolvePolicy(policy, 'biz_beta', null).terms_url).toBeNull();
  });

  it('ignores product settings when no company is given (products live inside companies)', () => {
    expect(resolvePolicy(policy, null, 'prod_signals').product_description).toBe(
      'Online courses and trading signals.',
    );
  });

  it('leaves unset submission and alert settings null, so the caller’s defaults apply; refund rules that refund nothing', () => {
    const resolved = resolvePolicy(EMPTY_POLICY, 'biz_x', 'prod_y');
    expect(resolved).toEqual({
      company_id: 'biz_x',
      product_id: 'prod_y',
      product_description: null,
      refund_policy: null,
      cancellation_policy: null,
      terms_url: null,
      reason_wording: {},
      auto_submit: null,
      submit_lead: null,
      submit_lead_ms: null,
      dispute_alerts: DEFAULT_REFUND_RULES,
      alerts: null,
    });
  });

  it('trims merchant text', () => {
    const p: Policy = parsePolicy(
      JSON.stringify({
        defaults: { product_description: '  Course.  ', reason_wording: { general: ' Hi. ' } },
      }),
      'json',
    );
    const resolved = resolvePolicy(p, null, null);
    expect(resolved.product_description).toBe('Course.');
    expect(resolved.reason_wording.general).toBe('Hi.');
  });
});
