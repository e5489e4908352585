import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../../../test/support/intake.js';
import { type RequestLoggerVariables, requestLogger } from './index.js';

describe('requestLogger', () => {
  it('puts the request id on every line a request logs, and redacts secrets', async () => {
    const { logger, lines } = captureLogger('debug');
    const app = new Hono<{ Variables: RequestLoggerVariables }>();
    app.use(requestId());
    app.use(requestLogger(logger));
    app.get('/x', (c) => {
      c.get('log').info(
        { headers: { authorization: 'Bearer sk_live_123' }, apiKey: 'sk_live_456' },
        'inside',
      );
      return c.text('ok');
    });
    const res = await app.request('/x', { headers: { 'x-request-id': 'req-abc' } });
    expect(res.headers.get('x-request-id')).toBe('req-abc');
    expect(lines.map((l) => l.msg)).toEqual(['inside', 'request']);
    for (const line of lines) expect(line.reqId).toBe('req-abc');
    expect(JSON.stringify(lines)).not.toContain('sk_live');
    expect(lines[0]).toMatchObject({ headers: { authorization: '[redacted]' }, apiKey: '[redacted]' });
    expect(lines[1]).toMatchObject({ method: 'GET', path: '/x', status: 200 });
  });

  it('gives each request its own id when none is sent', async () => {
    const { logger, lines } = captureLogger('debug');
    const app = new Hono<{ Variables: RequestLoggerVariables }>();
    app.use(requestId());
    app.use(requestLogger(logger));
    app.get('/x', (c) => c.text('ok'));
    await app.request('/x');
    await app.request('/x');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.reqId).toBeTruthy();
    expect(lines[0]!.reqId).not.toBe(lines[1]!.reqId);
  });

  it('never logs the code of a login link, whether a route serves it or not', async () => {
    const { logger, lines } = captureLogger('debug');
    const app = new Hono<{ Variables: RequestLoggerVariables }>();
    app.use(requestId());
    app.use(requestLogger(logger));
    app.get('/login/:code', (c) => c.text('expired', 401));
    const code = 'u5iV8XpiGVADnd-0123456789abcdefghijklmnopq';
    await app.request(`/login/${code}`);
    await app.request(`/LOGIN/${code}`);
    await app.request('/login');
    expect(JSON.stringify(lines)).not.toContain(code);
    expect(lines.map((l) => [l.path, l.status])).toEqual([
      ['/login/[redacted]', 401],
      ['/LOGIN/[redacted]', 404],
      ['/login', 404],
    ]);
  });
});
