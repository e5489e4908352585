/**
 * The worked example of the auto-refund rules, in POLICY.md and the README, decides as the docs say:
 * each sentence quoted there is what `decideRefund` answers for the case described.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DAY, disputeAlert, NOW, refundablePayment } from '../../test/support/builders/refund-facts.js';
import { parsePolicy } from '../policy/policy-file.js';
import { resolvePolicy } from '../policy/resolve-policy.js';
import { decideRefund } from './decide-refund.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const POLICY_DOC = read('../policy/POLICY.md');
const README = read('../../README.md');

/** The YAML block after `heading` in `doc`. */
function exampleAfter(doc: string, heading: string): string {
  const from = doc.indexOf(heading);
  expect(from).toBeGreaterThanOrEqual(0);
  return /```yaml\n([\s\S]*?)```/.exec(doc.slice(from))![1]!;
}

/** The docs wrap lines: compare their words. */
const words = (text: string) => text.replace(/\s+/g, ' ');

describe.each([
  ['POLICY.md', POLICY_DOC, '### Worked example'],
  ['README.md', README, '## Auto-refund on dispute alerts'],
])('the worked example in %s', (_name, doc, heading) => {
  const policy = parsePolicy(exampleAfter(doc, heading), 'yaml');
  const rules = resolvePolicy(policy, 'biz_4Tq8mXv2Lp', null).dispute_alerts;
  const decide = (alert = {}, payment = {}) =>
    decideRefund({
      alert: disputeAlert({ alert_type: 'fraud', ...alert }),
      payment: refundablePayment({
        total: 200,
        created_at: new Date(NOW - 2 * DAY).toISOString(),
        paid_at: new Date(NOW - 2 * DAY).toISOString(),
        ...payment,
      }),
      rules,
      alreadyRefunded: { count: 0, amountMinor: {} },
      now: NOW,
    });

  it('refunds a $42.00 fraud alert on a two-day-old payment and cancels the membership, in the docs’ words', () => {
    const d = decide();
    expect(d).toMatchObject({ action: 'refund', amountMinor: 4200, cancelMembership: true });
    expect(d.action === 'refund' && d.doneReason).toBe(
      'Refunded $42.00 to head off a chargeback: rule max_amount $100.00.',
    );
    expect(words(doc)).toContain('Refunded $42.00 to head off a chargeback: rule max_amount $100.00.');
  });

  it('does not refund $120.00, the denied product, a ten-minute-old payment, or an RDR alert', () => {
    const over = decide({ amount: 120 });
    expect(over.reason).toBe(
      'The alert is for $120.00, over the auto-refund maximum of $100.00 (rule max_amount): not refunded.',
    );
    expect(words(doc)).toContain(over.reason);
    expect(decide({}, { product: { id: 'prod_9Lm4NbV7' } }).action).toBe('skip');
    const young = decide({}, { paid_at: new Date(NOW - 10 * 60_000).toISOString() });
    expect(young).toMatchObject({ action: 'skip', code: 'payment_too_young' });
    expect(decide({ alert_type: 'dispute_rdr' })).toMatchObject({
      action: 'skip',
      code: 'alert_type_not_covered',
    });
    expect(rules.daily_cap).toEqual({ count: 20, amount: { USD: 50_000 } });
  });

  if (doc === POLICY_DOC) {
    it('says why for GBP and for the young payment exactly as the docs quote it', () => {
      expect(words(doc)).toContain(decide({ currency: 'gbp' }, { currency: 'gbp' }).reason);
      const young = decide({}, { paid_at: new Date(NOW - 10 * 60_000).toISOString() });
      expect(words(doc)).toContain(young.reason);
      const dry = decideRefund({
        alert: disputeAlert(),
        payment: refundablePayment(),
        rules: resolvePolicy(policy, 'biz_7Yu3TrE1Qw', null).dispute_alerts,
        alreadyRefunded: { count: 0, amountMinor: {} },
        now: NOW,
      });
      expect(words(doc)).toContain(dry.reason);
    });
  }
});
