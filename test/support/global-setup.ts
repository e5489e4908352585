import { hasRedisServerBinary, REDIS_SERVER_MISSING } from './redis-server.js';

/**
 * Vitest global setup: before any test file runs, check that the tests can get a Redis. Without the
 * `redis-server` binary (and no REDIS_URL to fall back on) every Redis-backed file would fail with its own
 * stack trace; instead the run stops with one line that names the binary and how to install it.
 */
export default function setup(): void {
  if (hasRedisServerBinary() || process.env.REDIS_URL) return;
  console.error(REDIS_SERVER_MISSING);
  // Exit rather than throw: a thrown error is reported as an "Unhandled Error" block, not one line.
  process.exit(1);
}
