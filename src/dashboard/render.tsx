import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HttpError } from '../errors/http-error.js';
import type { RequestLog } from '../http/middleware/request-logger/index.js';
import { Layout } from './components/layout.js';

/** Sends a page: an HTML5 document, never cached (it shows the merchant's data). */
export async function render(c: Context, page: JSX.Element, status: ContentfulStatusCode = 200) {
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${await page.toString()}`, status);
}

const TITLES: Partial<Record<string, string>> = {
  dashboard_disabled: 'Dashboard disabled',
  csrf_failed: 'Form refused',
  too_many_login_attempts: 'Too many attempts',
  action_not_allowed: 'Not possible now',
  not_found: 'Not found',
  invalid_query: 'Bad filter',
  internal_error: 'Something went wrong',
};

/**
 * The dashboard's `onError`: the same HttpError codes, statuses and headers as the JSON APIs (see
 * src/errors/http-error.ts), rendered as a page a person can act on. Hono's CSRF middleware refuses a
 * cross-origin form with a 403 HTTPException: that is `csrf_failed`. Anything else is a bug: logged and
 * answered 500.
 */
export const dashboardOnError: ErrorHandler = (err, c) => {
  let error: HttpError;
  if (err instanceof HttpError) error = err;
  else if (err instanceof HTTPException && err.status === 403) {
    error = new HttpError('csrf_failed', 'This form was sent from another site, so it was refused.');
  } else {
    (c.get('log') as RequestLog | undefined)?.error({ err }, 'unhandled error');
    error = new HttpError('internal_error', 'internal error');
  }
  const { headers } = error;
  if (headers) for (const name in headers) c.header(name, headers[name]);
  const back =
    error.code === 'too_many_login_attempts' || error.code === 'dashboard_disabled' ? '/login' : '/';
  return render(
    c,
    <Layout title={TITLES[error.code] ?? 'Error'}>
      <h1>{TITLES[error.code] ?? 'Error'}</h1>
      <div class="notice error" role="alert">
        <p>{error.message}</p>
        <p class="small">
          Code: <span class="mono">{error.code}</span>
        </p>
      </div>
      {error.code !== 'dashboard_disabled' && (
        <p>
          <a href={back}>{back === '/login' ? 'Back to the login page' : 'Back to the dashboard'}</a>
        </p>
      )}
    </Layout>,
    error.status,
  );
};
