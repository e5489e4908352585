import { Hono } from 'hono';
import { durationWords } from '../../alerts/wording.js';
import { HttpError } from '../../errors/http-error.js';
import { CsrfField, Layout, Notice } from '../components/layout.js';
import type { DashboardContext, DashboardEnv } from '../dashboard-deps.js';
import { LoginLinks } from '../login-links.js';
import { render } from '../render.js';
import { safeEqual } from '../session.js';

/** Where to go after login: a path on this site only (never `//host` or a full URL). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

function LoginPage(props: { csrf: string; next: string; error?: string; signedOut?: boolean }) {
  return (
    <Layout title="Log in">
      <div class="login card">
        <h1>Log in</h1>
        {props.error && <Notice kind="error">{props.error}</Notice>}
        {props.signedOut && <Notice kind="ok">You are logged out.</Notice>}
        <form method="post" action="/login">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <p>
            <label for="token">Admin token</label>
            <input
              id="token"
              name="token"
              type="password"
              autocomplete="current-password"
              required
              aria-describedby="token-help"
            />
            <span id="token-help" class="small muted">
              The ADMIN_TOKEN this service was started with.
            </span>
          </p>
          <button type="submit">Log in</button>
        </form>
      </div>
    </Layout>
  );
}

/**
 * `GET /login` (the form), `POST /login` (field `token` = ADMIN_TOKEN, compared in constant time; failed
 * attempts counted per address and refused past the limit), `GET /login/<code>` (a single-use login
 * link, where enabled: login-links.ts) and `POST /logout`.
 */
export function loginRoutes(ctx: DashboardContext, adminToken: string) {
  const app = new Hono<DashboardEnv>();

  app.get('/login', async (c) => {
    const next = safeNext(c.req.query('next'));
    if (await ctx.sessions.current(c)) return c.redirect(next, 302);
    const csrf = await ctx.sessions.loginCsrfToken(c);
    return render(c, <LoginPage csrf={csrf} next={next} signedOut={c.req.query('out') === '1'} />);
  });

  app.post('/login', async (c) => {
    const ip = ctx.clientIp(c);
    const wait = await ctx.limiter.waitMs(ip);
    if (wait > 0) {
      throw new HttpError(
        'too_many_login_attempts',
        `Too many failed logins from your address. Try again in ${durationWords(wait)}.`,
      );
    }
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    if (!(await ctx.sessions.checkLoginCsrf(c, typeof form.csrf === 'string' ? form.csrf : undefined))) {
      throw new HttpError(
        'csrf_failed',
        'The login form has expired or did not come from this page: reload it and try again.',
      );
    }
    const token = typeof form.token === 'string' ? form.token : '';
    if (!safeEqual(token, adminToken)) {
      await ctx.limiter.recordFailure(ip);
      const csrf = await ctx.sessions.loginCsrfToken(c);
      return render(c, <LoginPage csrf={csrf} next={next} error="That is not the admin token." />, 401);
    }
    await ctx.limiter.reset(ip);
    await ctx.sessions.start(c);
    return c.redirect(next, 303);
  });

  // Single-use links (the demo's banner): a failed one counts as a failed login, like a wrong token.
  if (ctx.loginLinks) {
    const links = new LoginLinks(ctx.redis);
    app.get('/login/:code', async (c) => {
      const ip = ctx.clientIp(c);
      const wait = await ctx.limiter.waitMs(ip);
      if (wait > 0) {
        throw new HttpError(
          'too_many_login_attempts',
          `Too many failed logins from your address. Try again in ${durationWords(wait)}.`,
        );
      }
      if (!(await links.redeem(c.req.param('code')))) {
        await ctx.limiter.recordFailure(ip);
        const csrf = await ctx.sessions.loginCsrfToken(c);
        const error = 'This login link has expired or was already used: log in with the admin token.';
        return render(c, <LoginPage csrf={csrf} next="/" error={error} />, 401);
      }
      await ctx.limiter.reset(ip);
      await ctx.sessions.start(c);
      return c.redirect('/', 302);
    });
  }

  app.post('/logout', async (c) => {
    await ctx.sessions.end(c, c.get('session'));
    return c.redirect('/login?out=1', 303);
  });

  return app;
}
