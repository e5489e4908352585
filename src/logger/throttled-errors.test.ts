import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../../test/support/intake.js';
import { logErrors, routeConsoleToLog, Throttle } from './throttled-errors.js';

describe('logErrors', () => {
  it('logs an error once per interval and message, then says how many it held back', async () => {
    const { logger, lines } = captureLogger();
    const a = new EventEmitter();
    const b = new EventEmitter();
    const throttle = new Throttle(200);
    logErrors(a, logger, 'redis', { throttle });
    logErrors(b, logger, 'redis', { throttle });
    for (let i = 0; i < 50; i++) (i % 2 ? a : b).emit('error', new Error('connect ECONNREFUSED'));
    a.emit('error', new Error('Connection is closed.'));
    await new Promise((r) => setTimeout(r, 250));
    a.emit('error', new Error('connect ECONNREFUSED'));
    expect(lines.map(({ level, err, msg, repeated }) => ({ level, err, msg, repeated }))).toEqual([
      { level: 40, err: 'connect ECONNREFUSED', msg: 'redis error', repeated: undefined },
      { level: 40, err: 'Connection is closed.', msg: 'redis error', repeated: undefined },
      { level: 40, err: 'connect ECONNREFUSED', msg: 'redis error', repeated: 49 },
    ]);
  });
});

describe('routeConsoleToLog', () => {
  const saved = { ...console };
  afterEach(() => {
    Object.assign(console, saved);
  });

  it('turns what libraries print into JSON log lines, an error by its message, throttled', () => {
    const { logger, lines } = captureLogger();
    routeConsoleToLog(logger);
    console.warn('IMPORTANT! Eviction policy is %s. It should be "noeviction"', 'allkeys-lru');
    console.warn('IMPORTANT! Eviction policy is %s. It should be "noeviction"', 'allkeys-lru');
    console.error(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    Object.assign(console, saved);
    expect(lines.map(({ level, msg, source }) => ({ level, msg, source }))).toEqual([
      {
        level: 40,
        msg: 'IMPORTANT! Eviction policy is allkeys-lru. It should be "noeviction"',
        source: 'console',
      },
      { level: 50, msg: 'connect ECONNREFUSED 127.0.0.1:6379', source: 'console' },
    ]);
  });
});
