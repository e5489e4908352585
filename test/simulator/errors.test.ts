import Whop, {
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '@whop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startSim } from './helpers.js';

/** The error body the SDK keeps on `err.error`. */
const bodyOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  return { err, body: (err as { error: { error: Record<string, unknown> } }).error };
};

describe("error bodies in Whop's shape", () => {
  let sim: WhopSimulator;
  let client: Whop;
  beforeAll(async () => {
    sim = await startSim();
    client = sdkFor(sim);
  });
  afterAll(() => sim.close());

  it("names the kind per status as Whop's OpenAPI does: unauthorized, forbidden, not_found, internal_server_error, …", async () => {
    const company = sim.createCompany();
    const payment = sim.createPayment({ companyId: company.id });

    const wrongKey = new Whop({ apiKey: 'wrong', baseURL: sim.baseURL, maxRetries: 0 });
    let r = await bodyOf(wrongKey.payments.retrieve(payment.id));
    expect(r.err).toBeInstanceOf(AuthenticationError);
    expect(r.body).toEqual({
      error: { type: 'unauthorized', code: 'unauthorized', message: 'Invalid API key.', param: null },
    });

    sim.addApiKey('errors_narrow', { permissions: [] });
    const narrow = new Whop({ apiKey: 'errors_narrow', baseURL: sim.baseURL, maxRetries: 0 });
    r = await bodyOf(narrow.payments.retrieve(payment.id));
    expect(r.err).toBeInstanceOf(PermissionDeniedError);
    expect(r.body).toMatchObject({ error: { type: 'forbidden' } });

    r = await bodyOf(client.payments.retrieve('pay_doesnotexist00'));
    expect(r.err).toBeInstanceOf(NotFoundError);
    expect(r.body).toEqual({
      error: {
        type: 'not_found',
        code: 'resource_not_found',
        message: 'Payment not found: pay_doesnotexist00',
        param: 'id',
      },
    });

    r = await bodyOf(client.disputes.list({} as { company_id: string }));
    expect(r.err).toBeInstanceOf(BadRequestError);
    expect(r.body).toMatchObject({
      error: { type: 'bad_request', code: 'parameter_missing', param: 'company_id' },
    });

    sim.openDispute({ paymentId: payment.id });
    r = await bodyOf(client.payments.refund(payment.id, {}, { maxRetries: 0 }));
    expect(r.err).toBeInstanceOf(UnprocessableEntityError);
    expect(r.body).toMatchObject({ error: { type: 'unprocessable_entity', code: 'payment_disputed' } });

    sim.failNext(1, { status: 500 });
    r = await bodyOf(client.payments.retrieve(payment.id));
    expect(r.err).toBeInstanceOf(InternalServerError);
    expect(r.body).toEqual({
      error: {
        type: 'internal_server_error',
        code: 'internal_server_error',
        message: 'Internal server error',
        param: null,
      },
    });

    sim.rateLimitNext(1, { retryAfterSeconds: 12 });
    r = await bodyOf(client.payments.retrieve(payment.id));
    expect(r.err).toBeInstanceOf(RateLimitError);
    // Whop's docs: { "error": { "type": "rate_limit_exceeded", "message": "Try again in 12 seconds." } }
    expect(r.body).toMatchObject({
      error: { type: 'rate_limit_exceeded', message: 'Try again in 12 seconds.' },
    });

    const route = await fetch(`${sim.baseURL}/nowhere`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    expect(route.status).toBe(404);
    expect(await route.json()).toMatchObject({ error: { type: 'not_found', code: 'route_not_found' } });
  });

  it('records the Api-Version-Date the client sent', async () => {
    sim.resetRequestLog();
    await client.payments.list();
    await fetch(`${sim.baseURL}/payments`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
    // @whop/sdk 0.0.42 sends its generated default unless WHOP_API_VERSION is set.
    expect(sim.requestLog.map((e) => e.apiVersionDate)).toEqual([
      process.env.WHOP_API_VERSION ?? '2026-07-20',
      null,
    ]);
  });
});
