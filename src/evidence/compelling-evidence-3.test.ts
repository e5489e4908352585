import { describe, expect, it } from 'vitest';
import { accessEvent, heavyUse } from '../../test/support/builders/access-events.js';
import { evidenceFacts, priorPayment } from '../../test/support/builders/evidence.js';
import { fixture } from '../../test/support/builders/fixture.js';
import { whopDispute } from '../../test/support/builders/whop-cases.js';
import { whopPayment } from '../../test/support/builders/whop-customer.js';
import { expectStatementsMatchSummary } from '../../test/support/evidence-checks.js';
import { buildEvidence } from './build-evidence.js';
import type { EvidenceFacts } from './evidence-facts.js';

const { purchaseIp, purchaseDevice } = fixture();

const dispute = (reason: string) => whopDispute({ reason });

describe('buildEvidence: Visa Compelling Evidence 3.0', () => {
  /** Usage in the 30 days after a prior payment `daysBefore` the dispute, from the given IP/device. */
  function priorUsage(daysBefore: number, ip: string, deviceId: string) {
    const paid = Date.parse('2025-03-10T08:41:27.000Z') - daysBefore * 86_400_000;
    return [0, 3, 9].map((day) =>
      accessEvent({ occurredAt: new Date(paid + day * 86_400_000 + 600_000).toISOString(), ip, deviceId }),
    );
  }

  const fraudFacts = (overrides: Partial<EvidenceFacts>): EvidenceFacts =>
    evidenceFacts({ dispute: dispute('Fraudulent'), ...overrides });

  it('qualifies with two undisputed payments 120–365 days back that share the IP or device', () => {
    const d = buildEvidence(
      fraudFacts({
        accessEvents: [
          ...heavyUse(),
          ...priorUsage(150, purchaseIp, 'dev_old'),
          ...priorUsage(300, '192.0.2.1', purchaseDevice),
        ],
        priorPayments: [priorPayment(150), priorPayment(300)],
      }),
    );
    expect(d.ce3).toEqual({
      qualifies: true,
      matches: [
        {
          paymentId: 'pay_prior300',
          paidAt: '2024-05-14T08:41:27.000Z',
          amount: 49,
          currency: 'usd',
          sharedIps: [],
          sharedDeviceIds: [purchaseDevice],
        },
        {
          paymentId: 'pay_prior150',
          paidAt: '2024-10-11T08:41:27.000Z',
          amount: 49,
          currency: 'usd',
          sharedIps: [purchaseIp],
          sharedDeviceIds: [],
        },
      ],
      reason: '2 prior undisputed payments 120–365 days before the dispute share an IP address or device id.',
    });
    const notes = d.fields.notes!;
    expect(notes).toContain('Sam Buyer made 2 earlier undisputed payments 120–365 days before this dispute');
    expect(notes).toContain('- pay_prior300: 2024-05-14, 49.00 USD, shared device dev_a1b2c3');
    expect(notes).toContain('- pay_prior150: 2024-10-11, 49.00 USD, shared IP 203.0.113.7');
    expect(notes).toContain('These meet Visa Compelling Evidence 3.0');
    expect(d.statements).toContain('Visa CE 3.0 qualifies: 2 matching prior payments');
    expectStatementsMatchSummary(d);
  });

  it('does not qualify with only one matching payment, and does not claim it does', () => {
    const d = buildEvidence(
      fraudFacts({
        accessEvents: [
          ...heavyUse(),
          ...priorUsage(150, purchaseIp, purchaseDevice),
          ...priorUsage(200, '192.0.2.1', 'dev_other'),
        ],
        priorPayments: [priorPayment(150), priorPayment(200)],
      }),
    );
    expect(d.ce3?.qualifies).toBe(false);
    expect(d.ce3?.matches.map((m) => m.paymentId)).toEqual(['pay_prior150']);
    expect(d.ce3?.reason).toBe('1 matching prior payment; Visa CE 3.0 needs at least 2.');
    expect(d.fields.notes).toContain('made 1 earlier undisputed payment');
    expect(d.fields.notes).not.toContain('Compelling Evidence');
    expect(d.statements.join('\n')).not.toContain('CE 3.0');
  });

  it('ignores payments outside 120–365 days, and counts the boundaries', () => {
    const days = [30, 119, 366, 400, 120, 365];
    const d = buildEvidence(
      fraudFacts({
        accessEvents: [...heavyUse(), ...days.flatMap((n) => priorUsage(n, purchaseIp, purchaseDevice))],
        priorPayments: days.map((n) => priorPayment(n)),
      }),
    );
    expect(d.ce3?.matches.map((m) => m.paymentId)).toEqual(['pay_prior365', 'pay_prior120']);
    expect(d.ce3?.qualifies).toBe(true);

    const outside = buildEvidence(
      fraudFacts({
        accessEvents: [
          ...heavyUse(),
          ...[100, 400].flatMap((n) => priorUsage(n, purchaseIp, purchaseDevice)),
        ],
        priorPayments: [priorPayment(100), priorPayment(400)],
      }),
    );
    expect(outside.ce3).toMatchObject({ qualifies: false, matches: [] });
  });

  it('ignores disputed, unpaid and other-card payments', () => {
    const d = buildEvidence(
      fraudFacts({
        accessEvents: [
          ...heavyUse(),
          ...[150, 160, 170, 180].flatMap((n) => priorUsage(n, purchaseIp, purchaseDevice)),
        ],
        priorPayments: [
          priorPayment(150, {}, true),
          priorPayment(160, { status: 'open', substatus: 'failed' }),
          priorPayment(170, { substatus: 'dispute_lost' }),
          priorPayment(180, { card_last4: '0005' }),
        ],
      }),
    );
    expect(d.ce3).toMatchObject({ qualifies: false, matches: [] });
  });

  it('only counts events within 30 days after the prior payment', () => {
    const late = priorUsage(200, purchaseIp, purchaseDevice).map((e) => ({
      ...e,
      occurredAt: new Date(Date.parse(e.occurredAt) + 31 * 86_400_000).toISOString(),
    }));
    const d = buildEvidence(
      fraudFacts({ accessEvents: [...heavyUse(), ...late], priorPayments: [priorPayment(200)] }),
    );
    expect(d.ce3?.matches).toEqual([]);
  });

  it('does not qualify a non-Visa card, but still shows the history', () => {
    const d = buildEvidence(
      fraudFacts({
        payment: whopPayment({ card_brand: 'mastercard' }),
        accessEvents: [
          ...heavyUse(),
          ...[150, 200].flatMap((n) => priorUsage(n, purchaseIp, purchaseDevice)),
        ],
        priorPayments: [priorPayment(150), priorPayment(200)],
      }),
    );
    expect(d.ce3?.qualifies).toBe(false);
    expect(d.ce3?.matches).toHaveLength(2);
    expect(d.ce3?.reason).toBe('The card is mastercard; Compelling Evidence 3.0 is a Visa programme.');
    expect(d.fields.notes).toContain('made 2 earlier undisputed payments');
    expect(d.fields.notes).not.toContain('Compelling Evidence');
  });

  it('is computed for fraud disputes only', () => {
    expect(buildEvidence(evidenceFacts({ dispute: dispute('Product Not Received') })).ce3).toBeNull();
  });
});
