import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { SimContext } from '../context.js';
import { injectedError, missingPermission, rateLimited, unauthorized, WhopApiError } from '../errors.js';
import { registerDisputeAlertRoutes } from '../routes/dispute-alerts.js';
import { registerDisputeRoutes } from '../routes/disputes.js';
import { registerFileRoutes, registerUploadRoutes } from '../routes/files.js';
import { registerMemberRoutes } from '../routes/members.js';
import { registerMembershipRoutes } from '../routes/memberships.js';
import { registerNotificationRoutes } from '../routes/notifications.js';
import { registerPaymentRoutes } from '../routes/payments.js';
import { registerRefundRoutes } from '../routes/refunds.js';
import { registerResolutionCenterCaseRoutes } from '../routes/resolution-center-cases.js';
import { registerUserRoutes } from '../routes/users.js';
import type { ApiKeys } from './api-keys.js';
import { firstMissingPermission } from './permissions.js';
import { normalizeRoute, type RequestLog } from './request-log.js';
import type { SimEnv } from './types.js';

export const API_BASE_PATH = '/api/v1';

function errorResponse(err: unknown): Response {
  const e =
    err instanceof WhopApiError
      ? err
      : new WhopApiError(500, `Internal server error: ${err instanceof Error ? err.message : String(err)}`);
  return new Response(JSON.stringify(e.toBody()), {
    status: e.status as ContentfulStatusCode,
    headers: { 'content-type': 'application/json', ...e.headers },
  });
}

export interface BuildAppDeps {
  keys: ApiKeys;
  log: RequestLog;
  /** Extra routes outside the API (the `/_sim` control surface). */
  extraRoutes?: (app: Hono<SimEnv>) => void;
}

/**
 * Middleware order for API routes: request log → latency → Bearer auth → faults → permissions →
 * handler. Unauthenticated requests are never rate limited or faulted; a rate-limited request is
 * answered 429 whatever its key may do; a key lacking a permission the route's SDK method lists gets
 * 403 before the route looks anything up (so a narrow key learns nothing about which ids exist).
 * Every request, faulted or not, lands in the request log.
 */
export function buildApp(sim: SimContext, deps: BuildAppDeps): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  app.onError((err) => errorResponse(err));
  app.notFound((c) =>
    errorResponse(
      new WhopApiError(404, `No route matches ${c.req.method} ${c.req.path}`, { code: 'route_not_found' }),
    ),
  );

  app.use('*', async (c, next) => {
    const startedAt = Date.now();
    const path = c.req.path;
    c.set('route', normalizeRoute(c.req.method, path));
    c.set('fault', null);
    if (!path.startsWith('/_sim')) deps.log.arrive(c.get('route'));
    await next();
    if (path.startsWith('/_sim')) return;
    const url = new URL(c.req.url);
    deps.log.record({
      method: c.req.method,
      path,
      route: c.get('route'),
      query: url.search,
      status: c.res.status,
      fault: c.get('fault'),
      apiVersionDate: c.req.header('api-version-date') ?? null,
      startedAt,
      durationMs: Date.now() - startedAt,
    });
  });

  const api = new Hono<SimEnv>();
  api.onError((err) => errorResponse(err));
  api.use('*', async (c, next) => {
    const latency = sim.faults.latencyMs(c.get('route'));
    if (latency > 0) await sleep(latency);

    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (!m) throw unauthorized('Missing API key: send "Authorization: Bearer <API key>".');
    const key = m[1] as string;
    const scope = deps.keys.scopeOf(key);
    if (scope === undefined) throw unauthorized('Invalid API key.');
    c.set('apiKey', key);
    c.set('companyScope', scope.companies);
    c.set('permissions', scope.permissions);

    const fault = sim.faults.decideApi(c.get('route'), key);
    if (fault?.kind === 'rate_limit') {
      c.set('fault', 'rate_limit');
      throw rateLimited(fault.retryAfterSeconds);
    }
    if (fault?.kind === 'server_error' && fault.phase === 'before') {
      c.set('fault', 'server_error');
      throw injectedError(fault.status);
    }
    const missing = firstMissingPermission(scope.permissions, c.get('route'));
    if (missing) throw missingPermission(missing);
    await next();
    if (fault?.kind === 'server_error' && fault.phase === 'after') {
      // The change is committed; only the response is lost.
      c.set('fault', 'server_error_after');
      c.res = errorResponse(injectedError(fault.status));
    }
  });

  registerDisputeRoutes(api, sim);
  registerDisputeAlertRoutes(api, sim);
  registerRefundRoutes(api, sim);
  registerResolutionCenterCaseRoutes(api, sim);
  registerPaymentRoutes(api, sim);
  registerMembershipRoutes(api, sim);
  registerMemberRoutes(api, sim);
  registerUserRoutes(api, sim);
  registerFileRoutes(api, sim);
  registerNotificationRoutes(api, sim);
  app.route(API_BASE_PATH, api);

  registerUploadRoutes(app, sim);
  deps.extraRoutes?.(app);
  return app;
}
