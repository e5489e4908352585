import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loginLinkKey } from '../redis/keys.js';

/** Where a login link points: `/login/<code>`. */
export const LOGIN_LINK_PATH = '/login';
/** How long a minted link works (ms) unless the minter says otherwise. */
export const LOGIN_LINK_TTL_MS = 3_600_000;

const hash = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * Single-use, short-lived login links (`GET /login/<code>` → a session), for the demo's banner: one
 * click instead of pasting the admin token, and no token in a URL, a terminal's scrollback or a log.
 * A code is 32 random bytes (base64url); Redis keeps only its hash, with the link's expiry, and the
 * first use deletes it (GETDEL, Redis 6.2+), so a code seen later in a log or a history is dead.
 * Accepted only where the dashboard is built with `loginLinks` (the demo); production never mints any.
 */
export class LoginLinks {
  constructor(private readonly redis: Redis) {}

  /** Mints a code valid for `ttlMs` (ms) or until used; returns it (never stored as is). */
  async mint(ttlMs = LOGIN_LINK_TTL_MS): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    await this.redis.set(loginLinkKey(hash(code)), '1', 'PX', ttlMs);
    return code;
  }

  /** Whether `code` is a live link; true once at most (it is used up by this call). */
  async redeem(code: string): Promise<boolean> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(code)) return false;
    return (await this.redis.getdel(loginLinkKey(hash(code)))) !== null;
  }
}
