/**
 * A browser's part in dashboard tests without a browser: a cookie jar over `app.request()`, form posts
 * with the page's CSRF token and this origin's `Origin` header, and the token read off a page.
 */

type Fetcher = { request(path: string, init?: RequestInit): Response | Promise<Response> };

export const DASHBOARD_ORIGIN = 'http://localhost';

/** The `csrf` hidden field's value in a page, or throws. */
export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no csrf field in the page');
  return m[1]!;
}

/** Set-Cookie lines of a response, by cookie name. */
export function setCookies(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) out.set(line.slice(0, line.indexOf('=')), line);
  return out;
}

export class DashboardClient {
  readonly jar = new Map<string, string>();

  constructor(
    private readonly app: Fetcher,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.extraHeaders)) if (!headers.has(k)) headers.set(k, v);
    if (this.jar.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const res = await this.app.request(path, { ...init, headers, redirect: 'manual' });
    for (const [name, line] of setCookies(res)) {
      const value = line.slice(name.length + 1).split(';')[0]!;
      if (/max-age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** A form post as a browser sends it from one of our pages. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: DASHBOARD_ORIGIN, ...headers },
    });
  }

  /** Logs in with `token`; returns the POST's response. */
  async login(token: string, extra: Record<string, string> = {}): Promise<Response> {
    const page = await this.get('/login');
    return this.post('/login', { token, csrf: csrfOf(await page.text()), ...extra });
  }

  /** The session's CSRF token, read off the home page. */
  async csrf(): Promise<string> {
    return csrfOf(await (await this.get('/')).text());
  }
}
