import { BadRequestError, UnprocessableEntityError } from '@whop/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startSim } from './helpers.js';

describe('dispute evidence', () => {
  let sim: WhopSimulator;
  let client: ReturnType<typeof sdkFor>;
  beforeEach(async () => {
    sim = await startSim();
    client = sdkFor(sim);
  });
  afterEach(() => sim.close());

  it('is editable until submitted, then under review and read-only', async () => {
    const payment = sim.createPayment({ total: 60 });
    const opened = sim.openDispute({ paymentId: payment.id });
    const before = sim.getDispute(opened.id).updated_at;

    const pdf = await client.files.upload(new File(['%PDF-1.4 policy'], 'refund-policy.pdf'));
    const png = await client.files.upload(new File([new Uint8Array([137, 80, 78, 71])], 'chat.png'));
    const updated = await client.disputes.updateEvidence(opened.id, {
      notes: 'Customer used the product for 3 months.',
      product_description: 'Monthly analytics subscription',
      service_date: '2025-01-15',
      refund_policy_attachment: { id: pdf.id },
      customer_communication_attachment: { id: png.id },
    });
    expect(updated).toMatchObject({
      editable: true,
      status: 'needs_response',
      notes: 'Customer used the product for 3 months.',
      refund_policy_attachment: {
        id: pdf.id,
        filename: 'refund-policy.pdf',
        content_type: 'application/pdf',
      },
      customer_communication_attachment: { id: png.id, content_type: 'image/png' },
    });
    expect(updated.refund_policy_attachment?.url).toContain(pdf.id);
    expect(sim.getDispute(opened.id).updated_at >= before).toBe(true);

    // null clears a field; omitted fields stay.
    const cleared = await client.disputes.updateEvidence(opened.id, { service_date: null });
    expect(cleared).toMatchObject({ service_date: null, notes: 'Customer used the product for 3 months.' });

    const submitted = await client.disputes.submitEvidence(opened.id);
    expect(submitted).toMatchObject({ status: 'under_review', editable: false });
    expect((await client.payments.retrieve(payment.id)).substatus).toBe('dispute_under_review');

    const again = await client.disputes.submitEvidence(opened.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(UnprocessableEntityError);
    expect((again as UnprocessableEntityError).error).toMatchObject({
      error: { message: 'This dispute has already been submitted.' },
    });
    await expect(client.disputes.updateEvidence(opened.id, { notes: 'late' })).rejects.toBeInstanceOf(
      UnprocessableEntityError,
    );
    expect((await client.disputes.retrieve(opened.id)).notes).toBe('Customer used the product for 3 months.');

    expect(sim.webhookEvents.map((e) => e.type)).toEqual([
      'dispute.created',
      'dispute.updated',
      'dispute.updated',
      'dispute.updated',
    ]);
  });

  it('warning (inquiry) disputes go to warning_under_review; closed ones are not editable', async () => {
    const inquiry = sim.openDispute({ paymentId: sim.createPayment().id, status: 'warning_needs_response' });
    expect((await client.disputes.submitEvidence(inquiry.id)).status).toBe('warning_under_review');

    const lost = sim.openDispute({ paymentId: sim.createPayment().id });
    sim.moveDispute(lost.id, 'lost');
    const got = await client.disputes.retrieve(lost.id);
    expect(got).toMatchObject({ status: 'lost', editable: false });
    await expect(client.disputes.submitEvidence(lost.id)).rejects.toBeInstanceOf(UnprocessableEntityError);
  });

  it('validates attachments', async () => {
    const d = sim.openDispute({ paymentId: sim.createPayment().id });
    const txt = sim.createFile('notes.txt', 'hello');
    await expect(
      client.disputes.updateEvidence(d.id, { customer_communication_attachment: { id: txt.id } }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      client.disputes.updateEvidence(d.id, { uncategorized_attachment: { id: 'file_nope00000000' } }),
    ).rejects.toMatchObject({ status: 400, error: { error: { param: 'uncategorized_attachment' } } });
    const pending = await client.files.create({ filename: 'x.pdf' });
    await expect(
      client.disputes.updateEvidence(d.id, { refund_policy_attachment: { id: pending.id } }),
    ).rejects.toBeInstanceOf(BadRequestError);
    // JPEG/PNG/GIF/PDF for every attachment, not only customer communication.
    await expect(
      client.disputes.updateEvidence(d.id, { uncategorized_attachment: { id: txt.id } }),
    ).rejects.toMatchObject({ status: 400, error: { error: { param: 'uncategorized_attachment' } } });
    const gif = sim.createFile('screenshot.gif', 'GIF89a');
    const ok = await client.disputes.updateEvidence(d.id, { uncategorized_attachment: { id: gif.id } });
    expect(ok.uncategorized_attachment).toMatchObject({ id: gif.id, content_type: 'image/gif' });
  });

  it('emits dispute.created / dispute.updated with the object as it was at emit time', () => {
    const d = sim.openDispute({ paymentId: sim.createPayment().id, reason: 'Fraudulent' });
    sim.moveDispute(d.id, 'won');
    sim.moveDispute(d.id, 'closed', { webhook: false });
    const events = sim.webhookEvents.map(
      (e) => JSON.parse(e.body) as { type: string; data: { status: string } },
    );
    expect(events.map((e) => [e.type, e.data.status])).toEqual([
      ['dispute.created', 'needs_response'],
      ['dispute.updated', 'won'],
    ]);
    expect(sim.getDispute(d.id).status).toBe('closed');
  });

  it('can open a dispute whose access_activity_log Whop already filled', async () => {
    const whopLog = '203.0.113.7 - 2025-01-15 12:00:00 UTC';
    const d = sim.openDispute({ paymentId: sim.createPayment().id, accessActivityLog: whopLog });
    expect((await client.disputes.retrieve(d.id)).access_activity_log).toBe(whopLog);
    const plain = sim.openDispute({ paymentId: sim.createPayment().id });
    expect((await client.disputes.retrieve(plain.id)).access_activity_log).toBeNull();
  });
});
