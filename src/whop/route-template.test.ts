import { describe, expect, it } from 'vitest';
import { whopRouteTemplate } from './route-template.js';

const base = 'https://api.whop.com/api/v1';

describe('whopRouteTemplate', () => {
  it('replaces ids with :id and keeps the collection and the action', () => {
    expect(whopRouteTemplate('get', `${base}/disputes/dp_123`, base)).toBe('GET /disputes/:id');
    expect(whopRouteTemplate('POST', `${base}/disputes/dp_9/submit_evidence`, base)).toBe(
      'POST /disputes/:id/submit_evidence',
    );
    expect(whopRouteTemplate('GET', `${base}/payments?company_id=biz_1&first=1`, base)).toBe('GET /payments');
    expect(whopRouteTemplate('GET', `${base}/users/me`, base)).toBe('GET /users/me');
    expect(whopRouteTemplate('GET', `${base}/users/user_1`, base)).toBe('GET /users/:id');
  });

  it('cuts off whatever path the base URL has (the simulator’s, a proxy’s)', () => {
    const sim = 'http://127.0.0.1:4010/api/v1/';
    expect(whopRouteTemplate('POST', 'http://127.0.0.1:4010/api/v1/payments/pay_1/refund', sim)).toBe(
      'POST /payments/:id/refund',
    );
    expect(whopRouteTemplate('GET', 'http://h/refunds/r_1', 'http://h')).toBe('GET /refunds/:id');
  });

  it('answers other for anything outside the SDK’s routes, so label values stay bounded', () => {
    expect(whopRouteTemplate('GET', `${base}/dp_123`, base)).toBe('other');
    expect(whopRouteTemplate('GET', `${base}/disputes/dp_1/dp_2`, base)).toBe('other');
    expect(whopRouteTemplate('GET', `${base}/disputes/a/update_evidence/b`, base)).toBe('other');
    expect(whopRouteTemplate('BREW', `${base}/disputes`, base)).toBe('other');
    expect(whopRouteTemplate('GET', 'not a url', base)).toBe('other');
    expect(whopRouteTemplate('GET', `${base}/`, base)).toBe('other');
  });
});
