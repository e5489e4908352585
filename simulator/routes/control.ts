import type { Hono } from 'hono';
import { badRequest, WhopApiError } from '../errors.js';
import type { SimEnv } from '../http/types.js';
import type { WhopSimulator } from '../whop-simulator.js';

/** Scripting methods reachable over HTTP, for demos driving a standalone simulator with curl. */
const ACTIONS = [
  'createCompany',
  'createUser',
  'createProduct',
  'createPlan',
  'createMember',
  'createMembership',
  'setMembershipStatus',
  'createPayment',
  'createFile',
  'openDispute',
  'moveDispute',
  'createDisputeAlert',
  'createRefund',
  'setRefundStatus',
  'openCase',
  'moveCase',
  'decideCase',
  'appealCase',
  'advanceClock',
  'setClock',
  'setFaults',
  'failNext',
  'rateLimitNext',
  'setWebhookTarget',
  'holdWebhooks',
  'releaseWebhooks',
  'redeliverWebhook',
  'resetRequestLog',
  'addApiKey',
  'setApiKeyPermissions',
  'removeApiKey',
  'setWebhookEnvelope',
  'setWebhookPermissions',
  'setCaseDueDateFormat',
] as const;

type Action = (typeof ACTIONS)[number];

/**
 * `/_sim/*`: not part of Whop's API and not in the request log.
 * - GET  /_sim/health
 * - GET  /_sim/state           → sim.snapshot()
 * - GET  /_sim/requests        → { counts, entries }
 * - GET  /_sim/webhooks        → { events, deliveries }
 * - POST /_sim/actions/:name   body `{ "args": [...] }` → the method's return value
 */
export function registerControlRoutes(app: Hono<SimEnv>, sim: WhopSimulator): void {
  app.get('/_sim/health', (c) => c.json({ ok: true, baseURL: sim.baseURL }));
  app.get('/_sim/state', (c) => c.json(sim.snapshot()));
  app.get('/_sim/requests', (c) => c.json({ counts: sim.requestCounts(), entries: sim.requestLog }));
  app.get('/_sim/webhooks', (c) =>
    c.json({
      events: sim.webhookEvents.map(({ body, ...e }) => ({ ...e, envelope: JSON.parse(body) as unknown })),
      deliveries: sim.deliveryLog,
    }),
  );
  app.post('/_sim/actions/:name', async (c) => {
    const name = c.req.param('name') as Action;
    if (!ACTIONS.includes(name)) throw new WhopApiError(404, `Unknown action: ${name}`);
    const text = await c.req.text();
    let args: unknown[] = [];
    if (text.trim()) {
      const body = JSON.parse(text) as { args?: unknown };
      if (body.args !== undefined && !Array.isArray(body.args))
        throw badRequest('args must be an array', 'args');
      args = (body.args as unknown[] | undefined) ?? [];
    }
    const method = sim[name] as (...a: unknown[]) => unknown;
    const result = await method.apply(sim, args);
    return c.json({ result: result ?? null });
  });
}
