/**
 * The dashboard as a merchant uses it: Debian's Chromium, driven by playwright-core, against the whole
 * service (HTTP server, workers, Redis) and the Whop simulator. A screenshot of each page is kept in
 * test/artifacts/ (gitignored). Without Chromium this file stops with one line naming it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { type RunningServer, startHttpServer } from '../src/http/serve.js';
import {
  artifactPath,
  CHROMIUM_MISSING,
  hasChromium,
  launchChromium,
  oneLineError,
} from './support/browser.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from './support/service-harness.js';

if (!hasChromium()) throw oneLineError(CHROMIUM_MISSING);

const DAY = 86_400_000;
const SUBMIT = 'POST /disputes/:id/submit_evidence';

let h: ServiceHarness;
let server: RunningServer;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let disputeId: string;

const shot = (p: Page, name: string) => p.screenshot({ path: artifactPath(name), fullPage: true });

beforeAll(async () => {
  // Evidence is submitted only when the merchant presses the button.
  h = await startServiceHarness({
    env: {
      AUTO_SUBMIT: 'never',
      // Charts need a sample: below the minimum the dispute rate is told as counts, not drawn.
      DISPUTE_RATE_MIN_PAYMENTS: '1',
    },
  });
  const company = h.sim.createCompany({ title: 'Autopilot Academy' });
  const payment = h.sim.createPayment({ companyId: company.id, total: 49 });
  disputeId = h.sim.openDispute({
    paymentId: payment.id,
    reason: 'Product Not Received',
    needsResponseBy: Date.now() + 5 * DAY,
  }).id;
  // Staged by the evidence worker before the merchant looks.
  const evidence = new EvidenceStore(h.admin);
  for (const deadline = Date.now() + 20_000; !(await evidence.get(disputeId))?.staged; ) {
    if (Date.now() > deadline) throw new Error(`evidence for ${disputeId} was never staged`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await h.settle();
  server = await startHttpServer(h.app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}`;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close(500);
  await h?.close();
});

describe('the dashboard in a browser', () => {
  it('sends a visitor without a session to the login page', async () => {
    await page.goto(`${base}/cases/${disputeId}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect.poll(() => page.getByRole('heading', { name: 'Log in' }).isVisible()).toBe(true);
    await shot(page, 'login.png');
  });

  it('logs in and shows the dispute from the simulator on the home page', async () => {
    await page.getByLabel('Admin token').fill(HARNESS_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/cases/${disputeId}`);
    await page.goto(`${base}/`);
    await expect.poll(() => page.getByRole('heading', { name: 'What needs you now' }).isVisible()).toBe(true);
    const row = page.getByRole('row', { name: new RegExp(disputeId) });
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await row.textContent()).toMatch(/Chargeback[\s\S]*\$49\.00[\s\S]*Product Not Received/);
    await shot(page, 'home.png');
  });

  it('opens the case page and shows its timeline and evidence', async () => {
    await page.getByRole('link', { name: 'Chargeback' }).first().click();
    await page.waitForURL(`${base}/cases/${disputeId}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Timeline' }).isVisible()).toBe(true);
    expect(await page.locator('ol.timeline').textContent()).toContain('First seen');
    expect(await page.getByRole('heading', { name: 'Evidence' }).isVisible()).toBe(true);
    await shot(page, 'case.png');
  });

  it('"Submit evidence now" asks to confirm, then submits once at Whop', async () => {
    expect(h.sim.requestCount(SUBMIT)).toBe(0);
    await page.getByRole('link', { name: 'Submit evidence now' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Submit evidence now?' }).isVisible())
      .toBe(true);
    await shot(page, 'confirm-submit.png');
    // Nothing happens before the confirmation.
    expect(h.sim.requestCount(SUBMIT)).toBe(0);
    await page.getByRole('button', { name: 'Yes, submit the evidence' }).click();
    await page.waitForURL(`${base}/cases/${disputeId}?done=submit`);
    expect(await page.getByRole('status').textContent()).toContain('Submission queued');
    await expect.poll(() => h.sim.getDispute(disputeId).status, { timeout: 20_000 }).toBe('under_review');
    await h.settle();
    await page.reload();
    await expect
      .poll(() => page.locator('#evidence-h + .card .badge').first().textContent())
      .toMatch(/^Submitted /);
    // The button is gone, and the confirmation page refuses a second submission.
    expect(await page.getByRole('link', { name: 'Submit evidence now' }).count()).toBe(0);
    const again = await page.goto(`${base}/cases/${disputeId}/submit`);
    expect(again?.status()).toBe(409);
    expect(h.sim.requestCount(SUBMIT)).toBe(1);
    await page.goto(`${base}/cases/${disputeId}`);
    await shot(page, 'case-submitted.png');
  });

  it('refuses an action without the CSRF token, even with the session and from this origin', async () => {
    const res = await page.request.post(`${base}/cases/${disputeId}/submit`, {
      form: { nothing: 'here' },
      headers: { origin: base },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('csrf_failed');
  });

  it('refuses an action without a session', async () => {
    const stranger = await browser.newContext();
    const res = await stranger.request.post(`${base}/cases/${disputeId}/submit`, {
      form: { csrf: 'guess' },
      headers: { origin: base },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(303);
    expect(res.headers().location).toBe('/login');
    await stranger.close();
    expect(h.sim.requestCount(SUBMIT)).toBe(1);
  });

  it('shows insights, health and the queue UI', async () => {
    await page.goto(`${base}/insights`);
    await expect.poll(() => page.getByRole('heading', { name: 'Insights' }).isVisible()).toBe(true);
    expect(await page.locator('svg[role="img"]').count()).toBeGreaterThan(0);
    await shot(page, 'insights.png');

    await page.goto(`${base}/health`);
    const queues = page.getByRole('table', { name: /Jobs per queue/ });
    await expect.poll(() => queues.isVisible()).toBe(true);
    for (const name of ['whop-events', 'evidence', 'alerts', 'sweeps']) {
      expect(await queues.getByRole('rowheader', { name }).isVisible()).toBe(true);
    }
    await shot(page, 'health.png');

    await page.goto(`${base}/admin/queues`);
    await expect
      .poll(() => page.getByText('whop-events').first().isVisible(), { timeout: 10_000 })
      .toBe(true);
    await shot(page, 'queues.png');
  });

  it('fits a phone', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.context().addCookies(await context.cookies());
    await phone.goto(`${base}/`);
    // Runs in the page (the test's tsconfig has no DOM types): the document's scrolling width.
    const width = await phone.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await shot(phone, 'home-phone.png');
    await phone.goto(`${base}/cases/${disputeId}`);
    await shot(phone, 'case-phone.png');
    await phone.close();
  });
});
