import { DAY_MS } from './clock.js';
import type { EmitOptions } from './context.js';
import type { WhopSimulator } from './whop-simulator.js';

export interface DemoScenario {
  companyId: string;
  paymentIds: string[];
  disputeIds: string[];
  disputeAlertIds: string[];
  refundIds: string[];
  caseIds: string[];
}

/**
 * A small, believable merchant: one company, two products, eight customers, and a mix of
 * open and settled disputes, an alert, refunds and Resolution Center cases.
 */
export function seedDemoScenario(sim: WhopSimulator, opts: EmitOptions = {}): DemoScenario {
  const now = sim.now().getTime();
  const daysAgo = (d: number) => new Date(now - d * DAY_MS);
  const company = sim.createCompany({ title: 'Acme Trading Academy' });
  const course = sim.createProduct({ companyId: company.id, title: 'Pro Trading Course' });
  const signals = sim.createProduct({ companyId: company.id, title: 'Daily Signals' });
  const names = [
    'Ava Reed',
    'Ben Ortiz',
    'Chloe Park',
    'Dev Patel',
    'Emma Stone',
    'Finn Walsh',
    'Gia Rossi',
    'Hugo Lam',
  ];
  const payments = names.map((name, i) => {
    const username = name.toLowerCase().replace(' ', '.');
    return sim.createPayment({
      companyId: company.id,
      productId: i % 2 === 0 ? course.id : signals.id,
      user: { name, username, email: `${username}@example.com` },
      total: i % 2 === 0 ? 199 : 49.99,
      createdAt: daysAgo(5 + i * 9),
    });
  });
  const p = (i: number) => payments[i]?.id as string;

  const open = sim.openDispute({ paymentId: p(0), reason: 'Product Not Received' }, opts);
  const inquiry = sim.openDispute(
    { paymentId: p(1), reason: 'Fraudulent', status: 'warning_needs_response' },
    opts,
  );
  const won = sim.openDispute(
    { paymentId: p(2), reason: 'Subscription Canceled', createdAt: daysAgo(30) },
    opts,
  );
  sim.moveDispute(won.id, 'won', opts);
  const alert = sim.createDisputeAlert({ paymentId: p(3), alertType: 'dispute' }, opts);
  const partial = sim.createRefund({ paymentId: p(4), amount: 50, status: 'succeeded' }, opts);
  const full = sim.createRefund({ paymentId: p(5) }, opts);
  sim.setRefundStatus(full.id, 'succeeded', opts);
  const openCase = sim.openCase(
    { paymentId: p(6), issue: 'significantly_not_as_described', details: 'The course content was outdated.' },
    opts,
  );
  const decided = sim.openCase({ paymentId: p(7), issue: 'forgot_to_cancel' }, opts);
  sim.decideCase(decided.id, 'merchant_won', {}, opts);

  return {
    companyId: company.id,
    paymentIds: payments.map((x) => x.id),
    disputeIds: [open.id, inquiry.id, won.id],
    disputeAlertIds: [alert.id],
    refundIds: [partial.id, full.id],
    caseIds: [openCase.id, decided.id],
  };
}
