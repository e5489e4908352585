import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { Redis } from 'ioredis';
import { dashboardSessionKey } from '../redis/keys.js';

/** The session cookie: `<sessionId>.<expiresAtMs>`, signed (HMAC-SHA256, Hono's signed cookies). */
export const SESSION_COOKIE = 'da_session';
/** Before login: a signed random nonce the login form's CSRF token is bound to. */
export const LOGIN_COOKIE = 'da_login';
/** How long a login lasts (ms). The expiry is inside the signed value, so a kept cookie cannot outlive it. */
export const SESSION_TTL_MS = 12 * 3_600_000;
/** How long the login form stays usable (ms). */
const LOGIN_NONCE_TTL_MS = 3_600_000;

export interface Session {
  id: string;
  /** Unix ms. */
  expiresAt: number;
  /** The token every form of this session carries (`csrf` field). */
  csrfToken: string;
}

/**
 * Whether the request reached us over TLS: an `https:` URL, or `X-Forwarded-Proto: https` from the
 * proxy that terminated TLS (its first value, the client-facing hop). Decides the cookies' `Secure`.
 */
export function cameOverTls(url: string, forwardedProto: string | undefined): boolean {
  if (new URL(url).protocol === 'https:') return true;
  return forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** The origin the browser sees, for comparing with `Origin` (behind a TLS proxy the scheme is https). */
export function publicOrigin(url: string, forwardedProto: string | undefined): string {
  const u = new URL(url);
  if (cameOverTls(url, forwardedProto)) u.protocol = 'https:';
  return u.origin;
}

/** Reads `<id>.<expiresAtMs>`; null for anything else. */
export function parseSessionValue(value: string): { id: string; expiresAt: number } | null {
  const m = /^([A-Za-z0-9_-]{16,64})\.(\d{1,16})$/.exec(value);
  return m ? { id: m[1]!, expiresAt: Number(m[2]) } : null;
}

/** Equal strings, compared in constant time (over their hashes, so lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/**
 * Dashboard logins: a signed, HttpOnly, SameSite=Lax cookie naming a session that also lives in Redis
 * (so logging out ends it everywhere at once), and a CSRF token per session. The signing key is derived
 * from ADMIN_TOKEN: changing the token signs everyone out.
 */
export class DashboardSessions {
  private readonly key: Buffer;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    adminToken: string,
    options: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.key = createHmac('sha256', adminToken).update('dispute-autopilot dashboard session v1').digest();
    this.ttlMs = options.ttlMs ?? SESSION_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  readonly ttlMs: number;

  /** Starts a session after a good login and sets its cookie. */
  async start(c: Context): Promise<Session> {
    const id = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    await this.redis.set(dashboardSessionKey(id), '1', 'PX', this.ttlMs);
    await setSignedCookie(c, SESSION_COOKIE, `${id}.${expiresAt}`, this.key, {
      ...cookieOptions(c),
      maxAge: Math.floor(this.ttlMs / 1000),
      expires: new Date(expiresAt),
    });
    deleteCookie(c, LOGIN_COOKIE, cookieOptions(c));
    return { id, expiresAt, csrfToken: this.csrfToken(id) };
  }

  /** The request's session, or null: no cookie, a bad signature, past its expiry, or logged out. */
  async current(c: Context): Promise<Session | null> {
    const value = await getSignedCookie(c, this.key, SESSION_COOKIE);
    if (!value) return null;
    const parsed = parseSessionValue(value);
    if (!parsed || parsed.expiresAt <= this.now()) return null;
    if (!(await this.redis.exists(dashboardSessionKey(parsed.id)))) return null;
    return { ...parsed, csrfToken: this.csrfToken(parsed.id) };
  }

  /** Logs out: the session stops working for every copy of the cookie. */
  async end(c: Context, session: Session): Promise<void> {
    await this.redis.del(dashboardSessionKey(session.id));
    deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
  }

  csrfToken(sessionId: string): string {
    return this.mac(`csrf:${sessionId}`);
  }

  /**
   * The login form's CSRF token, bound to a signed nonce cookie set here if missing: a login cannot be
   * forged from another site either (login CSRF would sign the merchant into someone else's session).
   */
  async loginCsrfToken(c: Context): Promise<string> {
    let nonce = await getSignedCookie(c, this.key, LOGIN_COOKIE);
    if (!nonce) {
      nonce = randomBytes(16).toString('base64url');
      await setSignedCookie(c, LOGIN_COOKIE, nonce, this.key, {
        ...cookieOptions(c),
        maxAge: LOGIN_NONCE_TTL_MS / 1000,
      });
    }
    return this.mac(`login:${nonce}`);
  }

  /** Whether a posted login form carries the token of this browser's login nonce. */
  async checkLoginCsrf(c: Context, token: string | undefined): Promise<boolean> {
    const nonce = await getSignedCookie(c, this.key, LOGIN_COOKIE);
    return Boolean(nonce && token && safeEqual(token, this.mac(`login:${nonce}`)));
  }

  private mac(what: string): string {
    return createHmac('sha256', this.key).update(what).digest('base64url');
  }
}

function cookieOptions(c: Context): CookieOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: cameOverTls(c.req.url, c.req.header('x-forwarded-proto')),
  };
}
