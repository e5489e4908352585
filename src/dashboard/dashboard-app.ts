import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { HttpError } from '../errors/http-error.js';
import { assetRoutes } from './assets/assets.js';
import type { DashboardContext, DashboardDeps, DashboardEnv } from './dashboard-deps.js';
import { LoginLimiter } from './login-limiter.js';
import { caseRoutes } from './pages/case.js';
import { caseActionRoutes } from './pages/case-actions.js';
import { healthRoutes } from './pages/health.js';
import { homeRoutes } from './pages/home.js';
import { insightsRoutes } from './pages/insights.js';
import { loginRoutes } from './pages/login.js';
import { QUEUE_BOARD_PATH, queueBoardRoutes } from './queue-board.js';
import { dashboardOnError } from './render.js';
import { DashboardSessions, publicOrigin, safeEqual } from './session.js';

/** Pages a session is needed for (every path the dashboard answers but the login and its stylesheet). */
const PROTECTED = [
  '/',
  '/logout',
  '/cases/*',
  '/insights',
  '/health',
  '/health/doctor',
  QUEUE_BOARD_PATH,
  `${QUEUE_BOARD_PATH}/*`,
];
const PAGES = ['/login', '/login/*', ...PROTECTED];

/**
 * Strict CSP for our pages: nothing but this origin's stylesheet and inline SVG; no script at all, no
 * framing, forms only to ourselves. The queue UI (Bull Board) runs its own scripts and styles from this
 * origin, so it gets `'self'` for them.
 */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: 'same-origin',
});
const boardHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
  },
  referrerPolicy: 'same-origin',
});

/**
 * Refuses a state-changing request sent from another origin (Hono's `csrf`: `Origin` or
 * `Sec-Fetch-Site`), comparing with the origin the browser sees, which behind a TLS proxy is https.
 */
const sameOrigin = csrf({
  origin: (origin, c) => origin === publicOrigin(c.req.url, c.req.header('x-forwarded-proto')),
});

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // No socket (app.request in tests, other runtimes): one shared bucket.
    return 'unknown';
  }
}

/** The request's session, or a redirect to the login page (for any method: nothing is done without one). */
function requireSession(ctx: DashboardContext): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const session = await ctx.sessions.current(c);
    if (!session) {
      const url = new URL(c.req.url);
      const back =
        c.req.method === 'GET' && url.pathname !== '/'
          ? `?next=${encodeURIComponent(url.pathname + url.search)}`
          : '';
      return c.redirect(`/login${back}`, c.req.method === 'GET' ? 302 : 303);
    }
    c.set('session', session);
    await next();
  };
}

/**
 * Every form post carries the session's CSRF token in `csrf`. The queue UI's own API calls (JSON from
 * its script) cannot: they rely on the origin check and the SameSite cookie.
 */
const requireCsrfToken: MiddlewareHandler<DashboardEnv> = async (c, next) => {
  if (
    c.req.method === 'GET' ||
    c.req.method === 'HEAD' ||
    c.req.path.startsWith(`${QUEUE_BOARD_PATH}/api/`)
  ) {
    return next();
  }
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const token = typeof form.csrf === 'string' ? form.csrf : '';
  if (!safeEqual(token, c.get('session').csrfToken)) {
    throw new HttpError(
      'csrf_failed',
      'This form is missing its security token or it has expired: reload the page and try again.',
    );
  }
  await next();
};

/**
 * The merchant dashboard, mounted at `/` by the app factory: login, the pages, the stylesheet and the
 * queue UI. Every page but the login needs a session; without ADMIN_TOKEN every page says the dashboard
 * is disabled (the read API's rule).
 */
export function dashboardRoutes(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  app.onError(dashboardOnError);
  app.route('/', assetRoutes());
  for (const path of PAGES) app.use(path, path.startsWith(QUEUE_BOARD_PATH) ? boardHeaders : pageHeaders);

  const token = deps.adminToken;
  if (!token) {
    for (const path of PAGES) {
      app.all(path, () => {
        throw new HttpError('dashboard_disabled', 'The dashboard is disabled: set ADMIN_TOKEN to enable it.');
      });
    }
    return app;
  }

  const ctx: DashboardContext = {
    ...deps,
    sessions: new DashboardSessions(deps.redis, token),
    limiter: new LoginLimiter(deps.redis),
    clientIp: deps.clientIp ?? socketAddress,
    now: deps.now ?? (() => new Date()),
  };
  // Middleware before routes: Hono runs handlers in the order they were added.
  for (const path of PAGES) app.use(path, sameOrigin);
  for (const path of PROTECTED) app.use(path, requireSession(ctx), requireCsrfToken);
  app.route('/', loginRoutes(ctx, token));
  app.route('/', homeRoutes(ctx));
  app.route('/', caseRoutes(ctx));
  app.route('/', caseActionRoutes(ctx));
  app.route('/', insightsRoutes(ctx));
  app.route('/', healthRoutes(ctx));
  app.route(QUEUE_BOARD_PATH, queueBoardRoutes(ctx.queues));
  return app;
}
