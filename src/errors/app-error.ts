import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error we answer on purpose: a stable machine `code` for clients and scripts, an HTTP status, and a
 * message safe to show (never a secret, never a hint that helps forge a signature).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: ContentfulStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  toJSON() {
    return { error: { code: this.code, message: this.message } };
  }
}
