/**
 * The operator's health page and the queue UI as the server composes them (`composeApp`, against the
 * simulator through the real SDK): every queue including refunds, failed and uncertain alert
 * deliveries, and `doctor` run on demand through a CSRF-checked form, its last report kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../src/alerts/alert.js';
import { AlertStore } from '../src/alerts/alert-store.js';
import { sampleAlert } from './support/builders/alerts.js';
import { DashboardClient } from './support/dashboard-client.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from './support/service-harness.js';

const QUEUES = ['whop-events', 'evidence', 'refunds', 'alerts', 'sweeps'];

let h: ServiceHarness;
let client: DashboardClient;
beforeAll(async () => {
  h = await startServiceHarness({ workers: false });
  client = new DashboardClient(h.app);
  await client.login(HARNESS_ADMIN_TOKEN);
});
afterAll(async () => {
  await h?.close();
});

describe('health page', () => {
  it('lists every queue of the service, the refunds queue too, and the queue UI has them all', async () => {
    const html = await (await client.get('/health')).text();
    for (const q of QUEUES) expect(html, q).toContain(`<th scope="row">${q}</th>`);
    const board = await client.get('/admin/queues/api/queues?activeQueue=refunds&page=1&jobsPerPage=10');
    expect(board.status).toBe(200);
    const names = ((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names.sort()).toEqual([...QUEUES].sort());
  });

  it('shows alert deliveries that failed and those that are uncertain, with the reason', async () => {
    const alerts = new AlertStore(h.admin);
    const failed: Alert = { ...sampleAlert(), id: 'alert_failed_one' };
    const uncertain: Alert = { ...sampleAlert(), id: 'alert_uncertain_one' };
    await alerts.recordFailure(failed, 'slack', 'slack answered 404: no_service', new Date());
    await alerts.recordUncertain(uncertain, 'email', 'SMTP timed out after DATA; not sent again', new Date());
    const html = await (await client.get('/health')).text();
    expect(html).toContain('Alert deliveries that failed or are uncertain');
    expect(html).toContain('alert_failed_one');
    expect(html).toContain('slack answered 404: no_service');
    expect(html).toContain('alert_uncertain_one');
    expect(html).toContain('SMTP timed out after DATA; not sent again');
    expect(html).toMatch(/tone-warn">Uncertain</);
  });

  it('runs doctor only when asked, through a form with the CSRF token, and shows its last report', async () => {
    h.sim.resetRequestLog();
    let html = await (await client.get('/health')).text();
    // A page load calls Whop for nothing.
    expect(h.sim.requestLog).toHaveLength(0);
    expect(html).toContain('Not run from here yet.');
    expect(html).toContain('action="/health/doctor"');

    const refused = await client.post('/health/doctor', { csrf: 'not-the-token' });
    expect(refused.status).toBe(403);
    expect(h.sim.requestLog).toHaveLength(0);

    const ran = await client.post('/health/doctor', { csrf: await client.csrf() });
    expect(ran.status).toBe(303);
    expect(ran.headers.get('location')).toBe('/health#doctor-h');
    // Its probes went to Whop (harmless ones: an id that cannot exist).
    expect(h.sim.requestLog.some((r) => r.path.includes('dp_doctor_probe'))).toBe(true);

    h.sim.resetRequestLog();
    html = await (await client.get('/health')).text();
    expect(h.sim.requestLog).toHaveLength(0);
    expect(html).toContain('Last run');
    expect(html).toContain('Auto-refund of dispute alerts');
    expect(html).toContain('The full report');
    expect(html).toMatch(/<th scope="row">Redis<\/th>\s*<td><span class="badge tone-done">Ok<\/span>/);
  });
});
