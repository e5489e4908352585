import { AuthenticationError, BadRequestError, NotFoundError, PermissionDeniedError } from '@whop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startSim } from './helpers.js';

const DISPUTE_KEYS = [
  'id',
  'access_activity_log',
  'amount',
  'billing_address',
  'cancellation_policy_attachment',
  'cancellation_policy_disclosure',
  'company',
  'created_at',
  'currency',
  'customer_communication_attachment',
  'customer_email_address',
  'customer_name',
  'editable',
  'needs_response_by',
  'notes',
  'payment',
  'plan',
  'product',
  'product_description',
  'reason',
  'refund_policy_attachment',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'status',
  'uncategorized_attachment',
  'visa_rdr',
];
const DISPUTE_LIST_KEYS = [
  'id',
  'amount',
  'company',
  'created_at',
  'currency',
  'editable',
  'needs_response_by',
  'payment',
  'plan',
  'product',
  'reason',
  'status',
  'visa_rdr',
];
const EMBEDDED_PAYMENT_KEYS = [
  'id',
  'billing_reason',
  'card_brand',
  'card_last4',
  'created_at',
  'currency',
  'dispute_alerted_at',
  'member',
  'membership',
  'paid_at',
  'payment_method_type',
  'subtotal',
  'total',
  'usd_total',
  'user',
];
const CASE_KEYS = [
  'id',
  'company',
  'created_at',
  'customer_appealed',
  'customer_response_actions',
  'due_date',
  'issue',
  'member',
  'merchant_appealed',
  'merchant_response_actions',
  'payment',
  'platform_response_actions',
  'resolution_events',
  'status',
  'updated_at',
  'user',
];
const REFUND_KEYS = [
  'id',
  'amount',
  'created_at',
  'currency',
  'payment',
  'provider',
  'provider_created_at',
  'reference_status',
  'reference_type',
  'reference_value',
  'status',
];
const ALERT_KEYS = [
  'id',
  'alert_type',
  'amount',
  'charge_for_alert',
  'created_at',
  'currency',
  'dispute',
  'payment',
  'transaction_date',
];
const PAYMENT_KEYS = [
  'id',
  'amount_after_fees',
  'application_fee',
  'auto_refunded',
  'billing_address',
  'billing_reason',
  'card_brand',
  'card_last4',
  'checkout_configuration_id',
  'company',
  'created_at',
  'currency',
  'dispute_alerted_at',
  'disputes',
  'failure_message',
  'financing_installments_count',
  'financing_transactions',
  'last_payment_attempt',
  'member',
  'membership',
  'metadata',
  'next_payment_attempt',
  'paid_at',
  'payment_method',
  'payment_method_type',
  'payments_failed',
  'plan',
  'product',
  'promo_code',
  'refundable',
  'refunded_amount',
  'refunded_at',
  'refunds',
  'resolutions',
  'retryable',
  'risk_score',
  'risk_signals',
  'settlement_amount',
  'settlement_currency',
  'settlement_exchange_rate',
  'shipping_address',
  'status',
  'substatus',
  'subtotal',
  'tax_amount',
  'tax_behavior',
  'tax_refunded_amount',
  'three_ds_verified',
  'total',
  'updated_at',
  'usd_total',
  'user',
  'voidable',
];

/** Payment fields only `payments.retrieve` (shared.ts `Payment`) has, not `PaymentListResponse`. */
const RETRIEVE_ONLY_PAYMENT_KEYS = [
  'disputes',
  'financing_installments_count',
  'financing_transactions',
  'refunds',
  'resolutions',
  'risk_score',
  'risk_signals',
  'settlement_amount',
  'settlement_exchange_rate',
  'tax_refunded_amount',
  'three_ds_verified',
];

const sorted = (o: object) => Object.keys(o).sort();
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('simulator API shapes (through @whop/sdk)', () => {
  let sim: WhopSimulator;
  let client: ReturnType<typeof sdkFor>;

  beforeAll(async () => {
    sim = await startSim();
    client = sdkFor(sim);
  });
  afterAll(() => sim.close());

  it('serves disputes: list shape, retrieve shape with nested payment/user/membership/member', async () => {
    const payment = sim.createPayment({
      total: 120,
      user: { name: 'Jane Doe', username: 'jane', email: 'jane@x.io' },
    });
    const opened = sim.openDispute({ paymentId: payment.id, reason: 'Product Not Received' });
    expect(opened.id).toMatch(/^dspt_[A-Za-z0-9]{13}$/);
    expect(payment.id).toMatch(/^pay_[A-Za-z0-9]{14}$/);

    const dispute = await client.disputes.retrieve(opened.id);
    expect(sorted(dispute)).toEqual([...DISPUTE_KEYS].sort());
    expect(dispute).toMatchObject({
      amount: 120,
      currency: 'usd',
      status: 'needs_response',
      editable: true,
      reason: 'Product Not Received',
      visa_rdr: false,
      company: { id: payment.company?.id, title: expect.any(String) },
      product: { id: payment.product?.id, title: expect.any(String) },
      plan: { id: payment.plan?.id },
    });
    expect(dispute.created_at).toMatch(ISO);
    expect(dispute.needs_response_by).toMatch(ISO);
    expect(sorted(dispute.payment!)).toEqual([...EMBEDDED_PAYMENT_KEYS].sort());
    expect(dispute.payment).toMatchObject({
      id: payment.id,
      total: 120,
      user: { id: payment.user?.id, email: 'jane@x.io', name: 'Jane Doe', username: 'jane' },
      membership: { id: payment.membership?.id, status: 'active' },
      member: { id: payment.member?.id, phone: null },
    });

    const page = await client.disputes.list({ company_id: payment.company!.id });
    expect(page.data).toHaveLength(1);
    expect(sorted(page.data[0]!)).toEqual([...DISPUTE_LIST_KEYS].sort());
    expect(page.data[0]!.payment).toEqual({ id: payment.id });
  });

  it('serves dispute alerts, refunds and payments', async () => {
    const payment = sim.createPayment({ total: 80 });
    const alert = sim.createDisputeAlert({ paymentId: payment.id, alertType: 'fraud' });
    expect(alert.id).toMatch(/^dspa_/);
    const gotAlert = await client.disputeAlerts.retrieve(alert.id);
    // No company field on a dispute alert (its company comes from the envelope or the payment).
    expect(sorted(gotAlert)).toEqual([...ALERT_KEYS].sort());
    expect(gotAlert).toMatchObject({
      alert_type: 'fraud',
      amount: 80,
      dispute: null,
      payment: { id: payment.id },
    });
    const alerts = await client.disputeAlerts.list({ company_id: payment.company!.id });
    expect(alerts.data.map((a) => a.id)).toContain(alert.id);
    expect(alerts.data.find((a) => a.id === alert.id)?.payment).toEqual({ id: payment.id });

    const afterRefund = await client.payments.refund(payment.id, { partial_amount: 30 });
    expect(sorted(afterRefund)).toEqual([...PAYMENT_KEYS].sort());
    expect(afterRefund).toMatchObject({
      refunded_amount: 30,
      substatus: 'partially_refunded',
      refundable: true,
    });
    expect(afterRefund.dispute_alerted_at).toMatch(ISO);
    const refundId = afterRefund.refunds[0]!.id;
    expect(refundId).toMatch(/^rf_[A-Za-z0-9]{15}$/);

    const refund = await client.refunds.retrieve(refundId);
    // No company field on a refund either.
    expect(sorted(refund)).toEqual([...REFUND_KEYS].sort());
    expect(refund).toMatchObject({
      amount: 30,
      status: 'pending',
      provider: 'stripe',
      payment: { id: payment.id },
    });
    const refunds = await client.refunds.list({ payment_id: payment.id });
    expect(refunds.data).toEqual([expect.objectContaining({ id: refundId, payment: { id: payment.id } })]);

    const listed = await client.payments.list({ company_id: payment.company!.id });
    const item = listed.data.find((p) => p.id === payment.id)!;
    expect(item).toMatchObject({ refunded_amount: 30, substatus: 'partially_refunded' });
    // List items are slimmer than retrieve (PaymentListResponse): no refunds[], disputes[], resolutions[]…
    expect(sorted(item)).toEqual(PAYMENT_KEYS.filter((k) => !RETRIEVE_ONLY_PAYMENT_KEYS.includes(k)).sort());
    expect(item.company).toEqual({
      id: payment.company!.id,
      route: expect.any(String),
      title: expect.any(String),
    });
  });

  it('serves resolution center cases', async () => {
    const payment = sim.createPayment({ total: 40 });
    const opened = sim.openCase({ paymentId: payment.id, issue: 'forgot_to_cancel', details: 'I forgot' });
    expect(opened.id).toMatch(/^reso_/);
    const got = await client.resolutionCenterCases.retrieve(opened.id);
    expect(sorted(got)).toEqual([...CASE_KEYS].sort());
    expect(got).toMatchObject({
      status: 'merchant_response_needed',
      issue: 'forgot_to_cancel',
      merchant_response_actions: ['accept', 'deny', 'request_more_info'],
      customer_appealed: false,
      merchant_appealed: false,
      payment: { id: payment.id, total: 40, currency: 'usd', subtotal: 40 },
      user: { id: payment.user!.id, name: payment.user!.name, username: payment.user!.username },
      member: { id: payment.member!.id },
      resolution_events: [
        { action: 'created', reporter_type: 'customer', details: 'I forgot', id: expect.any(String) },
      ],
    });
    const list = await client.resolutionCenterCases.list({ company_id: payment.company!.id });
    expect(list.data.find((c) => c.id === opened.id)).toMatchObject({ payment: { id: payment.id } });

    const viaPayment = await client.payments.retrieve(payment.id);
    expect(viaPayment.substatus).toBe('resolution_needs_response');
    expect(viaPayment.resolutions).toEqual([
      expect.objectContaining({ id: opened.id, issue: 'forgot_to_cancel' }),
    ]);
  });

  it('serves memberships, members and users', async () => {
    const payment = sim.createPayment();
    const membership = await client.memberships.retrieve(payment.membership!.id);
    expect(membership).toMatchObject({
      id: payment.membership!.id,
      status: 'active',
      company: { id: payment.company!.id },
      member: { id: payment.member!.id },
      user: { id: payment.user!.id },
    });
    const member = await client.members.retrieve(payment.member!.id);
    expect(member).toMatchObject({
      id: payment.member!.id,
      status: 'joined',
      usd_total_spent: payment.total,
    });
    expect(member.joined_at).toMatch(ISO);
    const user = await client.users.retrieve(payment.user!.id);
    expect(user).toMatchObject({ id: payment.user!.id, username: payment.user!.username });
    const byName = await client.users.retrieve(payment.user!.username);
    expect(byName.id).toBe(payment.user!.id);
  });

  it('accepts notifications and records them', async () => {
    const company = sim.createCompany({ title: 'Notify Co' });
    const res = await client.notifications.create({
      company_id: company.id,
      title: 'Dispute',
      content: 'Respond by Friday',
    });
    expect(res).toEqual({ success: true });
    expect(sim.notifications.at(-1)).toMatchObject({ company_id: company.id, title: 'Dispute' });
    await expect(
      client.notifications.create({ company_id: company.id, title: '', content: 'x' }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it('answers errors in Whop format with the statuses the SDK maps', async () => {
    const noKey = new (await import('@whop/sdk')).default({
      apiKey: 'wrong',
      baseURL: sim.baseURL,
      maxRetries: 0,
    });
    const unauth = await noKey.disputes.retrieve('dspt_x').catch((e: unknown) => e);
    expect(unauth).toBeInstanceOf(AuthenticationError);
    expect((unauth as AuthenticationError).status).toBe(401);

    const raw = await fetch(`${sim.baseURL}/payments`);
    expect(raw.status).toBe(401);
    const body = (await raw.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);

    const missing = await client.disputes.retrieve('dspt_doesnotexist1').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).error).toMatchObject({ error: { type: 'not_found' } });

    const noCompany = await client.disputes.list({} as { company_id: string }).catch((e: unknown) => e);
    expect(noCompany).toBeInstanceOf(BadRequestError);
    expect((noCompany as BadRequestError).error).toMatchObject({ error: { param: 'company_id' } });

    const mine = sim.createCompany();
    const other = sim.createCompany();
    const otherPayment = sim.createPayment({ companyId: other.id });
    sim.addApiKey('scoped_key', { companyIds: [mine.id] });
    const scoped = new (await import('@whop/sdk')).default({
      apiKey: 'scoped_key',
      baseURL: sim.baseURL,
      maxRetries: 0,
    });
    await expect(scoped.payments.retrieve(otherPayment.id)).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(scoped.disputes.list({ company_id: other.id })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    const visible = await scoped.payments.list();
    expect(visible.data.every((p) => p.company?.id === mine.id)).toBe(true);
  });

  it('counts requests per route and resets', async () => {
    sim.resetRequestLog();
    const payment = sim.createPayment();
    await client.payments.retrieve(payment.id);
    await client.payments.retrieve(payment.id);
    await client.disputes.list({ company_id: payment.company!.id });
    expect(sim.requestCount('GET /payments/:id')).toBe(2);
    expect(sim.requestCounts()).toEqual({ 'GET /disputes': 1, 'GET /payments/:id': 2 });
    expect(sim.requestLog.map((e) => e.status)).toEqual([200, 200, 200]);
    sim.resetRequestLog();
    expect(sim.requestCount()).toBe(0);
  });

  it('exposes a snapshot of every object with internal updated_at', async () => {
    const payment = sim.createPayment({ total: 10 });
    const dispute = sim.openDispute({ paymentId: payment.id });
    const snap = sim.snapshot();
    expect(snap.payments.find((p) => p.id === payment.id)?.disputes).toEqual([
      expect.objectContaining({ id: dispute.id, status: 'needs_response' }),
    ]);
    const inSnap = snap.disputes.find((d) => d.id === dispute.id)!;
    expect(inSnap.updated_at).toMatch(ISO);
    expect(sim.getDispute(dispute.id)).toEqual(inSnap);
  });
});
