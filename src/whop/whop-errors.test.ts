import {
  APIConnectionError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '@whop/sdk';
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  classifyWhopError,
  RetryableWhopError,
  retryAfterMs,
  whopJobError,
  whopMessage,
  whopRetryAfterMs,
} from './whop-errors.js';

const h = (init: Record<string, string> = {}) => new Headers(init);
const body = (message: string) => ({ error: { type: 'invalid_request_error', message } });

describe('classifyWhopError', () => {
  it('retries 429 with its Retry-After, 5xx and network errors', () => {
    expect(
      classifyWhopError(new RateLimitError(429, body('slow down'), undefined, h({ 'retry-after': '3' }))),
    ).toEqual({
      kind: 'retry',
      retryAfterMs: 3000,
      reason: 'whop answered 429',
    });
    expect(classifyWhopError(new InternalServerError(503, body('down'), undefined, h())).kind).toBe('retry');
    expect(classifyWhopError(new APIConnectionError({ message: 'ECONNRESET' })).kind).toBe('retry');
  });

  it('treats 404 apart: the caller retries it a few times for Whop’s lag', () => {
    expect(classifyWhopError(new NotFoundError(404, body('nope'), undefined, h())).kind).toBe('not_found');
  });

  it('fails 401, 403 and 422 for good, with Whop’s own message', () => {
    expect(classifyWhopError(new AuthenticationError(401, body('bad key'), undefined, h()))).toEqual({
      kind: 'permanent',
      reason: 'whop answered 401: bad key',
    });
    expect(classifyWhopError(new PermissionDeniedError(403, body('no'), undefined, h())).kind).toBe(
      'permanent',
    );
    const disputed = new UnprocessableEntityError(
      422,
      body('This payment has been disputed. Therefore, it cannot be refunded.'),
      undefined,
      h(),
    );
    expect(whopMessage(disputed)).toBe('This payment has been disputed. Therefore, it cannot be refunded.');
    expect(classifyWhopError(disputed).kind).toBe('permanent');
  });
});

describe('whopJobError', () => {
  const notFound = new NotFoundError(404, body('nope'), undefined, h());

  it('retries what may get better, carrying Retry-After to the backoff', () => {
    const limited = whopJobError(new RateLimitError(429, body('slow'), undefined, h({ 'retry-after': '2' })));
    expect(limited).toBeInstanceOf(RetryableWhopError);
    expect(limited.message).toBe('whop answered 429');
    expect(whopRetryAfterMs(limited)).toBe(2000);
    const down = whopJobError(new InternalServerError(502, body('down'), undefined, h()));
    expect(down).toBeInstanceOf(RetryableWhopError);
    expect(whopRetryAfterMs(down)).toBeUndefined();
    expect(whopJobError(new Error('redis hiccup'))).toBeInstanceOf(RetryableWhopError);
    expect(whopRetryAfterMs(new Error('other'))).toBeUndefined();
  });

  it('gives up at once on what waiting will not fix, with Whop’s message', () => {
    const denied = whopJobError(new AuthenticationError(401, body('bad key'), undefined, h()));
    expect(denied).toBeInstanceOf(UnrecoverableError);
    expect(denied.message).toBe('whop answered 401: bad key');
  });

  it('gives up on a 404 at once unless told Whop may lag, then after the last try', () => {
    const now = whopJobError(notFound);
    expect(now).toBeInstanceOf(UnrecoverableError);
    expect(now.message).toBe('whop answered 404');
    const lag = { tries: 3, what: 'dispute dspt_1' };
    expect(whopJobError(notFound, { ...lag, attemptsMade: 0 })).toBeInstanceOf(RetryableWhopError);
    expect(whopJobError(notFound, { ...lag, attemptsMade: 1 })).toBeInstanceOf(RetryableWhopError);
    const last = whopJobError(notFound, { ...lag, attemptsMade: 2 });
    expect(last).toBeInstanceOf(UnrecoverableError);
    expect(last.message).toBe('dispute dspt_1 still not found after 3 tries');
  });
});

describe('retryAfterMs', () => {
  it('reads retry-after-ms, seconds (also fractional) and HTTP dates', () => {
    expect(retryAfterMs(h({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(h({ 'retry-after': '0.5' }))).toBe(500);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const ms = retryAfterMs(h({ 'retry-after': inTenSeconds }))!;
    expect(ms).toBeGreaterThan(8_000);
    expect(ms).toBeLessThanOrEqual(10_000);
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('grows exponentially with jitter within [half, full] of the step, capped', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const step = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      for (let i = 0; i < 20; i++) {
        const d = backoffMs(attempt, undefined, 1000, 60_000);
        expect(d).toBeGreaterThanOrEqual(step / 2);
        expect(d).toBeLessThanOrEqual(step);
      }
    }
  });
  it('never waits less than Whop asked', () => {
    expect(backoffMs(1, 30_000, 1000)).toBe(30_000);
  });
});
