import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Whop, { AuthenticationError, PermissionDeniedError } from '@whop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS, SIMULATED_PERMISSIONS, type WhopSimulator } from '../../simulator/index.js';
import { collect, sdkFor, startReceiver, startSim } from './helpers.js';

const SDK_SRC = join(process.cwd(), 'node_modules/@whop/sdk/src');

/** The "Required permissions" list in the doc comment right above `  <method>(` in an SDK resource file. */
function sdkRequiredPermissions(source: string, method: string): string[] {
  const text = readFileSync(join(SDK_SRC, source), 'utf8');
  const at = text.indexOf(`\n  ${method}(`);
  if (at < 0) throw new Error(`${method}( not found in ${source}`);
  const before = text.slice(0, at);
  const open = before.lastIndexOf('/**');
  const close = before.lastIndexOf('*/');
  if (open < 0 || close < open || before.slice(close + 2).trim() !== '') {
    throw new Error(`no doc comment right above ${method}( in ${source}`);
  }
  const comment = before.slice(open, close);
  if (!comment.includes('Required permissions:')) return [];
  return [...comment.matchAll(/^\s*\*\s*-\s*`([^`]+)`/gm)].map((m) => m[1] as string);
}

interface Fixture {
  companyId: string;
  disputeId: string;
  alertId: string;
  refundId: string;
  caseId: string;
  paymentId: string;
  refundablePaymentId: string;
  membershipId: string;
  memberId: string;
  userId: string;
  fileId: string;
}

/** One SDK call per simulated route. */
const CALLS: Record<string, (w: Whop, f: Fixture) => Promise<unknown>> = {
  'GET /disputes': (w, f) => w.disputes.list({ company_id: f.companyId }),
  'GET /disputes/:id': (w, f) => w.disputes.retrieve(f.disputeId),
  'POST /disputes/:id/update_evidence': (w, f) => w.disputes.updateEvidence(f.disputeId, { notes: 'n' }),
  'POST /disputes/:id/submit_evidence': (w, f) => w.disputes.submitEvidence(f.disputeId),
  'GET /dispute_alerts': (w, f) => w.disputeAlerts.list({ company_id: f.companyId }),
  'GET /dispute_alerts/:id': (w, f) => w.disputeAlerts.retrieve(f.alertId),
  'GET /refunds': (w, f) => w.refunds.list({ company_id: f.companyId }),
  'GET /refunds/:id': (w, f) => w.refunds.retrieve(f.refundId),
  'GET /resolution_center_cases': (w, f) => w.resolutionCenterCases.list({ company_id: f.companyId }),
  'GET /resolution_center_cases/:id': (w, f) => w.resolutionCenterCases.retrieve(f.caseId),
  'GET /payments': (w, f) => w.payments.list({ company_id: f.companyId }),
  'GET /payments/:id': (w, f) => w.payments.retrieve(f.paymentId),
  'POST /payments/:id/refund': (w, f) => w.payments.refund(f.refundablePaymentId, { partial_amount: 1 }),
  'GET /memberships/:id': (w, f) => w.memberships.retrieve(f.membershipId),
  'POST /memberships/:id/cancel': (w, f) => w.memberships.cancel(f.membershipId),
  'GET /members/:id': (w, f) => w.members.retrieve(f.memberId),
  'GET /users/:id': (w, f) => w.users.retrieve(f.userId),
  'POST /files': (w) => w.files.create({ filename: 'x.pdf' }),
  'GET /files/:id': (w, f) => w.files.retrieve(f.fileId),
  'POST /notifications': (w, f) =>
    w.notifications.create({ company_id: f.companyId, title: 't', content: 'c' }),
};

describe('per-key permissions, as the SDK lists them', () => {
  let sim: WhopSimulator;
  let f: Fixture;
  let n = 0;
  /** A client whose key holds exactly `permissions` (or all but `without`). */
  const clientWith = (opts: { permissions?: string[]; without?: string[] }) => {
    const key = `narrow_key_${++n}`;
    sim.addApiKey(key, opts);
    return new Whop({ apiKey: key, baseURL: sim.baseURL, maxRetries: 0, timeout: 5_000 });
  };

  beforeAll(async () => {
    sim = await startSim();
    const company = sim.createCompany();
    const disputed = sim.createPayment({ companyId: company.id });
    const dispute = sim.openDispute({ paymentId: disputed.id });
    const alert = sim.createDisputeAlert({
      paymentId: disputed.id,
      disputeId: dispute.id,
      alertType: 'dispute',
    });
    const refunded = sim.createPayment({ companyId: company.id, total: 30 });
    const refund = sim.createRefund({ paymentId: refunded.id, amount: 5 });
    const withCase = sim.createPayment({ companyId: company.id });
    const rcCase = sim.openCase({ paymentId: withCase.id });
    const refundable = sim.createPayment({ companyId: company.id, total: 500 });
    f = {
      companyId: company.id,
      disputeId: dispute.id,
      alertId: alert.id,
      refundId: refund.id,
      caseId: rcCase.id,
      paymentId: disputed.id,
      refundablePaymentId: refundable.id,
      membershipId: disputed.membership!.id,
      memberId: disputed.member!.id,
      userId: disputed.user!.id,
      fileId: sim.createFile('policy.pdf', '%PDF').id,
    };
  });
  afterAll(() => sim.close());

  it('the table is the SDK doc comments, method by method, and covers every API route served', () => {
    for (const [route, entry] of Object.entries(ROUTE_PERMISSIONS)) {
      const method = entry.sdkMethod.split('.')[1] as string;
      expect({ route, permissions: [...entry.permissions] }).toEqual({
        route,
        permissions: sdkRequiredPermissions(entry.source, method),
      });
    }
    const served = sim.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1/'))
      .map((r) => `${r.method} ${r.path.slice('/api/v1'.length)}`);
    expect([...new Set(served)].sort()).toEqual(Object.keys(ROUTE_PERMISSIONS).sort());
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(ROUTE_PERMISSIONS).sort());
    // disputes.retrieve needs the member:* read scopes (WHOP-REFERENCE.md).
    expect(ROUTE_PERMISSIONS['GET /disputes/:id']!.permissions).toEqual(
      expect.arrayContaining(['member:basic:read', 'member:email:read', 'member:phone:read']),
    );
    // Every route returning a user's email ("null if not authorized") requires member:email:read,
    // so through the API a key without it gets 403, never a nulled email.
    for (const route of [
      'GET /disputes/:id',
      'GET /dispute_alerts/:id',
      'GET /refunds/:id',
      'GET /payments',
      'GET /payments/:id',
      'POST /payments/:id/refund',
      'GET /memberships/:id',
      'GET /members/:id',
    ]) {
      expect(ROUTE_PERMISSIONS[route]!.permissions).toContain('member:email:read');
    }
  });

  it('each route answers 403 in Whop shape without any one of its permissions, and works with exactly them', async () => {
    for (const [route, { permissions }] of Object.entries(ROUTE_PERMISSIONS)) {
      const call = CALLS[route]!;
      for (const missing of permissions) {
        const client = clientWith({ permissions: permissions.filter((p) => p !== missing) });
        const err = await call(client, f).catch((e: unknown) => e);
        expect(err, `${route} without ${missing}`).toBeInstanceOf(PermissionDeniedError);
        expect((err as PermissionDeniedError).error).toEqual({
          error: {
            type: 'forbidden',
            code: 'missing_permission',
            message: `You do not have permission to perform this action. Required permission: ${missing}`,
            param: null,
          },
        });
      }
      await expect(call(clientWith({ permissions: [...permissions] }), f), route).resolves.toBeDefined();
    }
    // Nothing the 403s refused happened: one refund (the full-permission call), one submission.
    expect(sim.getPayment(f.refundablePaymentId).refunds).toHaveLength(1);
    expect(sim.getDispute(f.disputeId)).toMatchObject({ status: 'under_review', notes: 'n' });
  });

  it('a narrow key gets 403 before any lookup (unknown ids too), 401 stays for unknown keys', async () => {
    const noPhone = clientWith({ without: ['member:phone:read'] });
    await expect(noPhone.disputes.retrieve('dspt_doesnotexist1')).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    // disputes.list needs no member:* scope.
    expect((await noPhone.disputes.list({ company_id: f.companyId })).data.length).toBeGreaterThan(0);

    const stranger = new Whop({ apiKey: 'nobody', baseURL: sim.baseURL, maxRetries: 0 });
    const err = await stranger.disputes.list({ company_id: f.companyId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).error).toMatchObject({
      error: { type: 'unauthorized', code: 'unauthorized' },
    });
  });

  it('the default key holds every permission; its permissions can be narrowed and restored', async () => {
    const client = sdkFor(sim);
    await expect(client.payments.retrieve(f.paymentId)).resolves.toMatchObject({ id: f.paymentId });
    sim.setApiKeyPermissions(sim.apiKey, { without: ['payment:resolution_center_case:read'] });
    await expect(client.payments.retrieve(f.paymentId)).rejects.toMatchObject({
      status: 403,
      error: { error: { message: expect.stringContaining('payment:resolution_center_case:read') } },
    });
    await expect(client.payments.list({ company_id: f.companyId })).resolves.toBeDefined();
    sim.setApiKeyPermissions(sim.apiKey, {});
    await expect(client.payments.retrieve(f.paymentId)).resolves.toBeDefined();
    expect(SIMULATED_PERMISSIONS).toEqual(expect.arrayContaining(['payment:dispute', 'payment:manage']));
    expect(() => sim.addApiKey('bad', { permissions: ['Payment Read'] })).toThrow(/permission name/);
  });

  it('a narrow key can be made over HTTP (/_sim/actions/addApiKey)', async () => {
    const res = await fetch(`${sim.origin}/_sim/actions/addApiKey`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ args: ['http_key', { permissions: ['payment:resolution_center_case:read'] }] }),
    });
    expect(res.status).toBe(200);
    const client = new Whop({ apiKey: 'http_key', baseURL: sim.baseURL, maxRetries: 0 });
    expect(await collect(client.resolutionCenterCases.list({ company_id: f.companyId }))).toHaveLength(1);
    await expect(client.disputes.list({ company_id: f.companyId })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
  });

  it('webhook data nulls user.email when the webhook owner lacks member:email:read', async () => {
    const receiver = await startReceiver();
    try {
      sim.setWebhookTarget(receiver.url);
      sim.setWebhookPermissions(SIMULATED_PERMISSIONS.filter((p) => p !== 'member:email:read'));
      const payment = sim.createPayment({ user: { email: 'hidden@example.com' } });
      sim.openDispute({ paymentId: payment.id });
      sim.setWebhookPermissions('all');
      sim.openDispute({ paymentId: sim.createPayment({ user: { email: 'shown@example.com' } }).id });
      await sim.flushWebhooks();
      const client = sdkFor(sim);
      const users = receiver.received.map(
        (r) =>
          (
            client.webhooks.unwrap(r.body, { headers: r.headers }) as unknown as {
              data: { payment: { user: { email: string | null; id: string } } };
            }
          ).data.payment.user,
      );
      expect(users.map((u) => u.email)).toEqual([null, 'shown@example.com']);
      expect(users[0]!.id).toBe(payment.user!.id);
      // The API still answers the email to a key that may read it.
      expect((await client.payments.retrieve(payment.id)).user?.email).toBe('hidden@example.com');
    } finally {
      sim.setWebhookTarget(null);
      await receiver.close();
    }
  });
});
