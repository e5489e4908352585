import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { onError } from '../../error-answer.js';
import { bearerToken } from './index.js';

const TOKEN = 'bearer-token-test-0123456789';

/** A route behind the middleware that says it was reached, answered as the service answers errors. */
function app(token: string | undefined) {
  const a = new Hono();
  a.use('*', bearerToken(token, 'SOME_TOKEN'));
  a.get('/thing', (c) => c.text('reached'));
  a.onError(onError);
  return a;
}

const request = (token: string | undefined, authorization?: string) =>
  app(token).request('/thing', authorization === undefined ? {} : { headers: { authorization } });

describe('bearerToken', () => {
  it.each([
    ['the exact header', `Bearer ${TOKEN}`],
    ['a lower-case scheme', `bearer ${TOKEN}`],
    ['an upper-case scheme', `BEARER ${TOKEN}`],
    ['several spaces after the scheme', `Bearer   ${TOKEN}`],
    ['trailing whitespace', `Bearer ${TOKEN}  `],
  ])('lets %s through', async (_label, authorization) => {
    const res = await request(TOKEN, authorization);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('reached');
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a wrong token', 'Bearer wrong-token-wrong-token-00'],
    ['the token with one more character', `Bearer ${TOKEN}x`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['another scheme', `Basic ${TOKEN}`],
    ['the token without a scheme', TOKEN],
    ['the scheme without a token', 'Bearer '],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
    ['a no-break space after the scheme', `Bearer\u00a0${TOKEN}`],
    ['a no-break space after the token', `Bearer ${TOKEN}\u00a0`],
  ])('answers 401 unauthorized with WWW-Authenticate for %s, never reaching the route', async (_l, auth) => {
    const res = await request(TOKEN, auth);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({
      error: { code: 'unauthorized', message: 'missing or invalid bearer token' },
    });
  });

  it.each([
    ['not configured', undefined],
    ['configured empty', ''],
  ])(
    'answers 503 api_disabled naming the variable when the token is %s, whatever is sent',
    async (_l, token) => {
      for (const auth of [undefined, `Bearer ${TOKEN}`, 'Bearer ']) {
        const res = await request(token, auth);
        expect(res.status).toBe(503);
        expect(res.headers.get('www-authenticate')).toBeNull();
        expect(await res.json()).toEqual({
          error: { code: 'api_disabled', message: 'set SOME_TOKEN to enable this API' },
        });
      }
    },
  );
});
