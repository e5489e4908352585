import { BadRequestError, type Whop } from '@whop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVIDENCE_FIELD_MAX_CHARS,
  EVIDENCE_TOTAL_MAX_CHARS,
  type WhopSimulator,
} from '../../simulator/index.js';
import { sdkFor, startSim } from './helpers.js';

type EvidenceParams = Parameters<Whop['disputes']['updateEvidence']>[1];

describe('update_evidence field formats', () => {
  let sim: WhopSimulator;
  let client: Whop;
  beforeAll(async () => {
    sim = await startSim();
    client = sdkFor(sim);
  });
  afterAll(() => sim.close());

  const newDispute = () => sim.openDispute({ paymentId: sim.createPayment().id });

  /** Expects Whop's 400 for `param`, and that nothing of the request was stored. */
  async function rejects(fields: EvidenceParams, param: string | null, message: RegExp) {
    const d = newDispute();
    const before = sim.getDispute(d.id);
    const err = await client.disputes.updateEvidence(d.id, fields).catch((e: unknown) => e);
    expect(err, JSON.stringify(fields).slice(0, 200)).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).error).toEqual({
      error: {
        type: 'bad_request',
        code: expect.any(String),
        message: expect.stringMatching(message),
        param,
      },
    });
    const after = sim.getDispute(d.id);
    expect({ ...after, updated_at: null }).toEqual({ ...before, updated_at: null });
    expect(sim.webhookEvents.filter((e) => e.type === 'dispute.updated' && e.body.includes(d.id))).toEqual(
      [],
    );
  }

  it('service_date is a YYYY-MM-DD calendar date: a sentence, a date-time or an impossible date is a 400', async () => {
    // What the product sends today: prose (issue 9 item 2); it belongs in `notes`.
    await rejects(
      { service_date: 'The customer had access from 2025-01-15 and used it 14 times.', notes: 'ok' },
      'service_date',
      /YYYY-MM-DD/,
    );
    for (const bad of [
      '2025-01-15T00:00:00Z',
      '2025-1-5',
      '15/01/2025',
      '2025-02-30',
      '2025-13-01',
      '',
      ' 2025-01-15',
    ]) {
      await rejects({ service_date: bad }, 'service_date', /YYYY-MM-DD/);
    }
    const d = newDispute();
    await expect(client.disputes.updateEvidence(d.id, { service_date: '2024-02-29' })).resolves.toMatchObject(
      {
        service_date: '2024-02-29',
      },
    );
    await expect(client.disputes.updateEvidence(d.id, { service_date: null })).resolves.toMatchObject({
      service_date: null,
    });
  });

  it('customer_email_address is an email address', async () => {
    for (const bad of [
      'jane',
      'jane@',
      'jane@example',
      'Jane Doe <jane@example.com>',
      'a b@example.com',
      '',
    ]) {
      await rejects({ customer_email_address: bad }, 'customer_email_address', /email/);
    }
    const d = newDispute();
    await expect(
      client.disputes.updateEvidence(d.id, { customer_email_address: 'jane.doe+tag@example.co.uk' }),
    ).resolves.toMatchObject({ customer_email_address: 'jane.doe+tag@example.co.uk' });
  });

  it('every field is a string or null; unknown parameters are refused, not dropped', async () => {
    await rejects({ notes: 42 } as unknown as EvidenceParams, 'notes', /string or null/);
    await rejects(
      { access_activity_log: ['1.2.3.4'] } as unknown as EvidenceParams,
      'access_activity_log',
      /string/,
    );
    await rejects({ note: 'typo' } as unknown as EvidenceParams, 'note', /Unknown parameter/);
    await rejects(
      { uncategorized_text: 'stripe name' } as unknown as EvidenceParams,
      'uncategorized_text',
      /Unknown/,
    );
  });

  it('text fields are bounded per field and together', async () => {
    await rejects(
      { access_activity_log: 'x'.repeat(EVIDENCE_FIELD_MAX_CHARS + 1) },
      'access_activity_log',
      /at most/,
    );
    const d = newDispute();
    const full = 'y'.repeat(EVIDENCE_FIELD_MAX_CHARS);
    await expect(client.disputes.updateEvidence(d.id, { access_activity_log: full })).resolves.toBeDefined();
    // Eight full fields already exceed the combined limit.
    const eight = {
      access_activity_log: full,
      notes: full,
      product_description: full,
      refund_policy_disclosure: full,
      refund_refusal_explanation: full,
      cancellation_policy_disclosure: full,
      billing_address: full,
      customer_name: full,
    };
    expect(8 * EVIDENCE_FIELD_MAX_CHARS).toBeGreaterThan(EVIDENCE_TOTAL_MAX_CHARS);
    await rejects(eight, null, /together/);
  });

  it('attachments are { id } of an existing, uploaded JPEG, PNG, GIF or PDF file', async () => {
    const pdf = sim.createFile('policy.pdf', '%PDF-1.4');
    const jpg = sim.createFile('chat.jpg', 'jpeg');
    const txt = sim.createFile('log.txt', 'plain');
    const html = sim.createFile('page.html', '<p>');
    const pending = await client.files.create({ filename: 'later.pdf' });
    for (const field of [
      'cancellation_policy_attachment',
      'customer_communication_attachment',
      'refund_policy_attachment',
      'uncategorized_attachment',
    ] as const) {
      await rejects({ [field]: { id: 'file_doesnotexist0' } }, field, /not found/);
      await rejects({ [field]: { id: pending.id } }, field, /not finished uploading/);
      await rejects({ [field]: { id: txt.id } }, field, /JPEG, PNG, GIF, or PDF/);
      await rejects({ [field]: { id: html.id } }, field, /JPEG, PNG, GIF, or PDF/);
      await rejects({ [field]: pdf.id } as unknown as EvidenceParams, field, /\{ id: <file id> \}/);
      const d = newDispute();
      const ok = await client.disputes.updateEvidence(d.id, {
        [field]: { id: field.startsWith('customer') ? jpg.id : pdf.id },
      });
      expect(ok[field]).toMatchObject({ id: field.startsWith('customer') ? jpg.id : pdf.id });
    }
  });

  it('a valid update still works and one bad field spoils the whole request', async () => {
    await rejects(
      {
        notes: 'Customer used the product.',
        service_date: '2025-01-15',
        customer_email_address: 'not an email',
      },
      'customer_email_address',
      /email/,
    );
    const d = newDispute();
    const ok = await client.disputes.updateEvidence(d.id, {
      notes: 'Customer used the product.',
      service_date: '2025-01-15',
      customer_email_address: 'jane@example.com',
    });
    expect(ok).toMatchObject({ notes: 'Customer used the product.', service_date: '2025-01-15' });
  });
});
