/**
 * The case page's "Refund" button end to end: a session's form post (CSRF token, same origin) refunds the
 * payment through the one guarded path, once, at the Whop simulator; a second press is refused with the
 * guard's reason; without the CSRF token nothing is sent.
 */
import { afterEach, expect, it } from 'vitest';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { DashboardClient } from './support/dashboard-client.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DAY = 86_400_000;

it('"Refund" on a Resolution Center case refunds its payment once; a second press and a post without the CSRF token send nothing', async () => {
  h = await startServiceHarness();
  const payment = h.sim.createPayment({ total: 40, paidAt: Date.now() - 3 * DAY });
  const rc = h.sim.openCase({
    paymentId: payment.id,
    issue: 'forgot_to_cancel',
    dueDate: Date.now() + 5 * DAY,
  });
  await expect.poll(async () => (await h!.store.get(rc.id))?.paymentId, { timeout: 15_000 }).toBe(payment.id);

  const client = new DashboardClient(h.app);
  expect((await client.login(HARNESS_ADMIN_TOKEN)).status).toBe(303);
  const confirm = await client.get(`/cases/${rc.id}/refund`);
  expect(confirm.status).toBe(200);
  const html = await confirm.text();
  expect(html).toMatch(new RegExp(`<form method="post" action="/cases/${rc.id}/refund"`));
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;

  // Without the token: refused, nothing sent.
  expect((await client.post(`/cases/${rc.id}/refund`, {})).status).toBe(403);
  expect(h.sim.requestCount('POST /payments/:id/refund')).toBe(0);

  const done = await client.post(`/cases/${rc.id}/refund`, { csrf });
  expect(done.status).toBe(303);
  expect(done.headers.get('location')).toBe(`/cases/${rc.id}?done=refund`);
  expect(await (await client.get(done.headers.get('location')!)).text()).toContain('Refunded through Whop');
  expect(h.sim.requestCount('POST /payments/:id/refund')).toBe(1);
  expect(h.sim.getPayment(payment.id).refunded_amount).toBe(40);

  // Pressed again: the guard refuses with its reason; Whop is not asked again.
  const again = await client.post(`/cases/${rc.id}/refund`, { csrf });
  expect(again.status).toBe(422);
  expect(await again.text()).toMatch(/refunded/i);
  expect(h.sim.requestCount('POST /payments/:id/refund')).toBe(1);
});

it('shows the case strength the evidence stage assessed, on the home page and with its reasons on the case page', async () => {
  h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
  const payment = h.sim.createPayment({ total: 60, paidAt: Date.now() - 10 * DAY });
  const dispute = h.sim.openDispute({ paymentId: payment.id, reason: 'Fraudulent' });
  const evidence = new EvidenceStore(h.admin);
  await expect
    .poll(async () => (await evidence.get(dispute.id))?.draft?.strength?.strength, { timeout: 20_000 })
    .toMatch(/^(strong|fair|weak)$/);
  const assessed = (await evidence.get(dispute.id))!.draft!.strength!;
  const label = assessed.strength.charAt(0).toUpperCase() + assessed.strength.slice(1);

  const client = new DashboardClient(h.app);
  await client.login(HARNESS_ADMIN_TOKEN);
  const home = await (await client.get('/')).text();
  const row = home.slice(home.indexOf(dispute.id));
  expect(row.slice(0, row.indexOf('</tr>'))).toMatch(
    new RegExp(`data-label="Case strength">\\s*<span[^>]*>${label}</span>`),
  );
  const page = await (await client.get(`/cases/${dispute.id}`)).text();
  expect(page).toContain('Case strength');
  expect(page).toContain(escapeHtml(assessed.recommendation.text));
  expect(page).toContain(escapeHtml(assessed.reasons[0]!));
});

const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
