import type { WhopSimulator } from '../simulator/index.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

export interface ActivityOptions {
  sim: WhopSimulator;
  /** The service's own intake, where the merchant's access events go (`POST /access-events`). */
  serviceUrl: string;
  accessEventsToken: string;
  /** 1 = human pace; larger is faster (tests). */
  pace: number;
  /** A line of narration for the terminal. */
  say: (line: string) => void;
}

export interface Activity {
  companyId: string;
  stop(): void;
}

interface Customer {
  name: string;
  email: string;
  userId: string;
  paymentId: string;
  ip: string;
}

const NAMES = [
  'Ava Reed',
  'Ben Ortiz',
  'Chloe Park',
  'Dev Patel',
  'Emma Stone',
  'Finn Walsh',
  'Gia Rossi',
  'Hugo Lam',
  'Iris Chen',
  'Jon Mercer',
  'Kira Sato',
  'Leo Grant',
];
const REASONS = [
  'Product Not Received',
  'Fraudulent',
  'Subscription Canceled',
  'Product Unacceptable',
  'Credit Not Processed',
  'Duplicate',
];

/**
 * A believable stream of Whop activity for one merchant, at a human pace: payments and the merchant's
 * access events, dispute alerts (some refunded by the demo policy), disputes of each reason with short
 * deadlines, an inquiry that escalates, Resolution Center cases, refunds and outcomes. Everything goes
 * through the simulator as Whop would send it (signed webhooks) and through the service's real
 * `POST /access-events`: only Whop is simulated.
 */
export function startActivity(opts: ActivityOptions): Activity {
  const { sim, say } = opts;
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  const at = (seconds: number, step: () => Promise<void> | void) => {
    timers.push(
      setTimeout(
        () => {
          if (stopped) return;
          Promise.resolve()
            .then(step)
            .catch((err: Error) => say(`  (demo step failed: ${err.message})`));
        },
        (seconds * 1000) / opts.pace,
      ),
    );
  };
  const every = (seconds: number, step: () => Promise<void> | void) => {
    const timer = setInterval(
      () => {
        if (!stopped)
          Promise.resolve()
            .then(step)
            .catch((err: Error) => say(`  (demo step failed: ${err.message})`));
      },
      (seconds * 1000) / opts.pace,
    );
    timers.push(timer);
  };
  const minutes = (m: number) => new Date(Date.now() + (m * MIN) / opts.pace);

  const company = sim.createCompany({ title: 'Acme Trading Academy' });
  const course = sim.createProduct({ companyId: company.id, title: 'Pro Trading Course' });
  const signals = sim.createProduct({ companyId: company.id, title: 'Daily Signals' });
  let next = 0;
  const customers: Customer[] = [];

  const newCustomer = (daysAgo: number, onCourse: boolean): Customer => {
    const name = NAMES[next % NAMES.length]!;
    const n = next++;
    const username = `${name.toLowerCase().replace(' ', '.')}${n >= NAMES.length ? n : ''}`;
    const email = `${username}@example.com`;
    const payment = sim.createPayment({
      companyId: company.id,
      productId: onCourse ? course.id : signals.id,
      // The customer's Whop account is older than the purchase, as it is for a real buyer (a newer one
      // would be read as an account opened after paying, a warning on every demo dispute).
      user: { name, username, email, createdAt: new Date(Date.now() - (daysAgo + 30 + n) * DAY) },
      total: onCourse ? 199 : 49.99,
      createdAt: new Date(Date.now() - daysAgo * DAY),
      cardBrand: 'visa',
      cardLast4: String(4000 + n).slice(-4),
    });
    const c = {
      name,
      email,
      userId: payment.user!.id,
      paymentId: payment.id,
      ip: `203.0.113.${10 + (n % 200)}`,
    };
    customers.push(c);
    return c;
  };

  /** The merchant's own logs: a login and lessons after the purchase, from the customer's usual IP. */
  const sendAccessEvents = async (c: Customer, count: number, daysAgo: number) => {
    const start = Date.now() - daysAgo * DAY;
    const lines = Array.from({ length: count }, (_, i) =>
      JSON.stringify({
        user_id: c.userId,
        email: c.email,
        occurred_at: new Date(Math.min(start + (i + 1) * 3 * 3_600_000, Date.now() - 60_000)).toISOString(),
        action: i === 0 ? 'login' : 'lesson_viewed',
        ip: c.ip,
        user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15',
        device_id: `dev-${c.userId.slice(-6)}`,
        metadata: i === 0 ? {} : { lesson: `lesson-${i}` },
      }),
    );
    const res = await fetch(`${opts.serviceUrl}/access-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.accessEventsToken}`, 'content-type': 'application/x-ndjson' },
      body: lines.join('\n'),
    });
    if (!res.ok) throw new Error(`access events answered ${res.status}`);
  };

  // The first customers, most of whom really used what they bought.
  at(0, async () => {
    say(`▶ ${company.title}: 8 customers bought the course ($199) or the signals ($49.99)`);
    for (let i = 0; i < 8; i++) {
      const c = newCustomer(3 + i * 11, i % 2 === 0);
      if (i !== 5) await sendAccessEvents(c, 6 + i * 3, 3 + i * 11);
    }
    say('▶ The merchant sent its access logs (logins, lessons watched) to POST /access-events');
  });
  at(4, () => {
    const c = customers[1]!;
    say(`▶ Whop: dispute alert for ${c.name}'s $49.99 payment (the demo policy refunds alerts up to $100)`);
    sim.createDisputeAlert({ paymentId: c.paymentId, alertType: 'dispute' });
  });
  at(10, () => {
    const c = customers[0]!;
    say(`▶ Whop: ${c.name} filed a chargeback, "Product Not Received", $199 (due in 14 minutes)`);
    sim.openDispute({ paymentId: c.paymentId, reason: 'Product Not Received', needsResponseBy: minutes(14) });
  });
  let inquiryId = '';
  at(20, () => {
    const c = customers[2]!;
    say(`▶ Whop: inquiry from ${c.name}'s bank, "Fraudulent", $199 (due in 20 minutes)`);
    inquiryId = sim.openDispute({
      paymentId: c.paymentId,
      reason: 'Fraudulent',
      status: 'warning_needs_response',
      needsResponseBy: minutes(20),
    }).id;
  });
  at(30, () => {
    const c = customers[3]!;
    say(`▶ Whop: ${c.name} opened a Resolution Center case: item not received`);
    sim.openCase({
      paymentId: c.paymentId,
      issue: 'item_not_received',
      details: 'I paid but never got access to the signals channel.',
      dueDate: minutes(25),
    });
  });
  at(40, () => {
    const c = customers[4]!;
    say(`▶ Whop: the merchant refunded $50 of ${c.name}'s payment`);
    const refund = sim.createRefund({ paymentId: c.paymentId, amount: 50 });
    at(6, () => void sim.setRefundStatus(refund.id, 'succeeded'));
  });
  at(50, () => {
    const c = customers[6]!;
    say(`▶ Whop: fraud alert on ${c.name}'s $199 payment (over the demo policy's $100 limit)`);
    sim.createDisputeAlert({ paymentId: c.paymentId, alertType: 'fraud' });
  });
  at(65, () => {
    if (!inquiryId) return;
    say('▶ Whop: the fraud inquiry escalated into a chargeback (due in 12 minutes)');
    sim.moveDispute(inquiryId, 'needs_response', { needsResponseBy: minutes(12) });
  });
  at(80, () => {
    const c = customers[5]!;
    say(`▶ Whop: ${c.name} (no recorded usage) disputed as "Credit Not Processed", $49.99`);
    const d = sim.openDispute({
      paymentId: c.paymentId,
      reason: 'Credit Not Processed',
      needsResponseBy: minutes(16),
    });
    at(150, () => {
      say(`▶ Whop: ${c.name}'s dispute was lost`);
      sim.moveDispute(d.id, 'lost');
    });
  });
  at(95, () => {
    const c = customers[7]!;
    say(`▶ Whop: ${c.name} disputed a renewal, "Subscription Canceled", $49.99`);
    const d = sim.openDispute({
      paymentId: c.paymentId,
      reason: 'Subscription Canceled',
      needsResponseBy: minutes(18),
    });
    at(60, () => void sim.moveDispute(d.id, 'under_review'));
    at(140, () => {
      say(`▶ Whop: ${c.name}'s dispute was won`);
      sim.moveDispute(d.id, 'won');
    });
  });

  // Then the merchant keeps selling, and now and then someone disputes.
  let round = 0;
  every(45, async () => {
    const c = newCustomer(1 + (round % 20), round % 2 === 0);
    say(`▶ ${c.name} bought ${round % 2 === 0 ? 'the course' : 'the signals'}`);
    await sendAccessEvents(c, 3 + (round % 5), 1 + (round % 20));
    round++;
  });
  // A payment is disputed at most once (Whop allows one dispute per payment); the first eight have their story.
  const used = new Set<string>();
  every(100, () => {
    const c = customers.slice(8).find((x) => !used.has(x.paymentId));
    if (!c) return;
    used.add(c.paymentId);
    const reason = REASONS[round % REASONS.length]!;
    if (round % 3 === 2) {
      say(`▶ Whop: dispute alert on ${c.name}'s payment`);
      sim.createDisputeAlert({ paymentId: c.paymentId, alertType: round % 2 ? 'fraud' : 'dispute' });
    } else {
      say(`▶ Whop: ${c.name} disputed as "${reason}" (due in 15 minutes)`);
      sim.openDispute({ paymentId: c.paymentId, reason, needsResponseBy: minutes(15) });
    }
  });

  return {
    companyId: company.id,
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
  };
}
