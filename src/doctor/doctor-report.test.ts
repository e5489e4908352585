import { APIError } from '@whop/sdk';
import { describe, expect, it } from 'vitest';
import type { RedisInspection } from '../redis/redis-checks.js';
import { CALL_PERMISSIONS, type FEATURE_CALLS, type WhopCall } from '../whop/permissions.js';
import { callChecks, doctorReport, featureChecks, formatDoctorReport, redisCheck } from './doctor-report.js';
import type { ProbeOutcome } from './permission-probes.js';

const forbidden = (message: string): ProbeOutcome => ({
  status: 'forbidden',
  message,
  error: APIError.generate(403, { error: { type: 'forbidden', message } }, undefined, new Headers()),
});
const lacks = (perm: string) => forbidden(`You do not have permission. Required permission: ${perm}`);

const FINE_REDIS: RedisInspection = {
  reachable: true,
  writable: true,
  evictionPolicy: 'noeviction',
  usedMemoryBytes: 1,
  maxMemoryBytes: 0,
  version: '7.2.0',
  error: null,
};

/** Every probed call OK, except those given. */
function outcomes(overrides: Partial<Record<WhopCall, ProbeOutcome>> = {}): Map<WhopCall, ProbeOutcome> {
  return new Map(
    (Object.keys(CALL_PERMISSIONS) as WhopCall[]).map((call) => [
      call,
      overrides[call] ??
        (CALL_PERMISSIONS[call].length ? { status: 'ok', answered: 404 } : { status: 'not_needed' }),
    ]),
  );
}

const feature = (o: Map<WhopCall, ProbeOutcome>, name: keyof typeof FEATURE_CALLS) =>
  featureChecks(callChecks(o)).find((f) => f.feature === name)!;

describe('doctor verdicts', () => {
  it('all present: every feature OK, the report ok', () => {
    const r = doctorReport({ outcomes: outcomes(), redis: FINE_REDIS, companyId: 'biz_1', now: new Date(0) });
    expect(r.ok).toBe(true);
    expect(r.features.every((f) => f.status === 'ok')).toBe(true);
    expect(formatDoctorReport(r)).toContain('Ready: every permission present, Redis fit.');
  });

  it('narrows what a refused call may lack by what the calls that went through prove', () => {
    const o = outcomes({
      'payments.refund': lacks('payment:manage'),
      // Refused too, so its permissions prove nothing.
      'payments.retrieve': lacks('promo_code:basic:read'),
      'payments.list': lacks('promo_code:basic:read'),
    });
    const refunds = feature(o, 'refunds');
    expect(refunds.status).toBe('missing');
    expect(refunds.missing).toEqual(['promo_code:basic:read', 'payment:manage']);
    // Both refused calls need payment:resolution_center_case:read… but resolutionCenterCases.list proved it.
    expect(refunds.mayLack).toEqual([]);
    // An optional call refused: the feature still works.
    expect(feature(o, 'alerts')).toMatchObject({
      status: 'degraded',
      degradedWithout: ['promo_code:basic:read'],
    });
  });

  it('a refusal naming no permission (no access to the company) is a failure with Whop’s words', () => {
    const o = outcomes({ 'disputes.list': forbidden('This API key does not have access to company biz_1.') });
    const reconcile = feature(o, 'reconcile');
    expect(reconcile).toMatchObject({
      status: 'missing',
      missing: [],
      refusals: ['disputes.list: This API key does not have access to company biz_1.'],
    });
    const text = formatDoctorReport(
      doctorReport({ outcomes: o, redis: FINE_REDIS, companyId: 'biz_1', now: new Date(0) }),
    );
    expect(text).toContain('refused disputes.list: This API key does not have access to company biz_1.');
    expect(text).toContain("Not ready: check the API key's access to the company.");
  });

  it('a required call that could not be probed leaves the feature unchecked, the report not ok', () => {
    const o = outcomes({
      'disputes.retrieve': { status: 'unchecked', reason: 'could not reach Whop: timeout' },
    });
    expect(feature(o, 'evidence').status).toBe('unchecked');
    const r = doctorReport({ outcomes: o, redis: FINE_REDIS, companyId: null, now: new Date(0) });
    expect(r.ok).toBe(false);
    expect(formatDoctorReport(r)).toMatch(
      /COULD NOT CHECK +Evidence autopilot .*: could not reach Whop: timeout/,
    );
  });
});

describe('redisCheck', () => {
  it('names each problem: unreachable, refusing writes, evicting', () => {
    expect(redisCheck(FINE_REDIS)).toMatchObject({ status: 'ok', problems: [] });
    expect(redisCheck({ ...FINE_REDIS, reachable: false, error: 'ECONNREFUSED' }).problems).toEqual([
      'Redis is unreachable at REDIS_URL: ECONNREFUSED',
    ]);
    expect(redisCheck({ ...FINE_REDIS, writable: false, error: 'OOM' }).problems).toEqual([
      'Redis refuses writes: OOM',
    ]);
    expect(redisCheck({ ...FINE_REDIS, evictionPolicy: 'volatile-lru' }).problems[0]).toMatch(
      /^Redis maxmemory-policy is volatile-lru/,
    );
  });
});
