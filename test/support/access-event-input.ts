/**
 * What the access-event parsing tests share: a fixed "now", a minimal valid event as the merchant sends
 * it, and the body error a whole body or file fails with.
 */
import { AccessEventsBodyError } from '../../src/access-events/parse-access-events.js';

export const NOW = Date.parse('2026-06-01T12:00:00Z');
export const opts = { now: NOW };
/** A minimal valid event, as the merchant sends it. */
export const base = { user_id: 'user_abc123', occurred_at: '2026-05-31T10:00:00Z', action: 'login' };

/** The AccessEventsBodyError `fn` throws; fails if it throws nothing or something else. */
export function bodyError(fn: () => unknown): AccessEventsBodyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AccessEventsBodyError) return err;
    throw err;
  }
  throw new Error('expected an AccessEventsBodyError');
}
