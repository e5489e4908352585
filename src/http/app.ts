import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Redis } from 'ioredis';
import { dashboardRoutes } from '../dashboard/dashboard-app.js';
import type { DashboardDeps } from '../dashboard/dashboard-deps.js';
import type { EventInbox } from '../intake/event-inbox.js';
import type { Logger } from '../logger/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { WebhookSignatureVerifier } from '../webhooks/verify-signature.js';
import { notFound, onError } from './error-answer.js';
import { bearerToken } from './middleware/bearer-token/index.js';
import { type RequestLoggerVariables, requestLogger } from './middleware/request-logger/index.js';
import { type AccessEventRouteDeps, accessEventRoutes } from './routes/access-events.js';
import { type AlertRouteDeps, alertRoutes } from './routes/alerts.js';
import { type CaseRouteDeps, caseRoutes } from './routes/cases.js';
import { type DeadLetterRouteDeps, deadLetterRoutes } from './routes/dead-letters.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { type PaymentRouteDeps, paymentRoutes } from './routes/payments.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  /** METRICS_TOKEN: guards `GET /metrics` when set. */
  metricsToken?: string | undefined;
  verifier: WebhookSignatureVerifier;
  inbox: EventInbox;
  /** The intake's fail-fast connection; `/readyz` pings it. */
  redis: Redis;
  /** Names of the configured alert channels, for `/readyz`. */
  alertChannels?: string[];
  /**
   * The read API; without it `/api` is not mounted. Without `deadLetters`, `/api/dead-letters` is not
   * either; with it, `/readyz` counts them too.
   */
  cases?: CaseRouteDeps & AlertRouteDeps & PaymentRouteDeps & Partial<DeadLetterRouteDeps>;
  /** The merchant's access-event intake; without it `/access-events` is not mounted. */
  accessEvents?: AccessEventRouteDeps;
  /** The merchant dashboard (pages at `/`, `/cases/:id`, …); without it none is mounted. */
  dashboard?: DashboardDeps;
}

/** Builds the HTTP app from its dependencies; `serve.ts` binds it to a port, tests call `app.request()`. */
export function createApp(deps: AppDeps) {
  const app = new Hono<{ Variables: RequestLoggerVariables }>();

  app.use(requestId());
  app.use(requestLogger(deps.logger));

  app.route('/', healthRoutes({ ...deps, deadLetters: deps.cases?.deadLetters }));
  app.route('/webhooks', webhookRoutes(deps));
  if (deps.cases) {
    // One token check for all of /api, so an unknown /api path is refused (401/503) before it is a 404.
    app.use('/api/*', bearerToken(deps.cases.adminToken, 'ADMIN_TOKEN'));
    app.route('/api', caseRoutes(deps.cases));
    app.route('/api', alertRoutes(deps.cases));
    app.route('/api', paymentRoutes(deps.cases));
    const { deadLetters } = deps.cases;
    if (deadLetters) app.route('/api', deadLetterRoutes({ deadLetters }));
  }
  if (deps.accessEvents) app.route('/access-events', accessEventRoutes(deps.accessEvents));
  if (deps.dashboard) app.route('/', dashboardRoutes(deps.dashboard));
  app.route('/', metricsRoutes(deps));

  // Routes and middleware throw HttpError; these two render every error answer.
  app.notFound(notFound);
  app.onError(onError);

  return app;
}

export type App = ReturnType<typeof createApp>;
