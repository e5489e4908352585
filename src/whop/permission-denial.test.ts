import { APIError, PermissionDeniedError } from '@whop/sdk';
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import {
  grantedBy,
  isPermissionDenied,
  permissionAdvice,
  permissionDenial,
  primaryCall,
  WhopPermissionError,
} from './permission-denial.js';
import { classifyWhopError, whopJobError } from './whop-errors.js';

/** A 403 as the SDK raises it from Whop's `{"error": {...}}` body. */
const forbidden = (message: string) =>
  APIError.generate(403, { error: { type: 'forbidden', message } }, undefined, new Headers());
const missing = (perm: string) =>
  forbidden(`You do not have permission to perform this action. Required permission: ${perm}`);

describe('permissionDenial', () => {
  it('reads the permission Whop named, then the call’s others no successful call proved', () => {
    const err = missing('promo_code:basic:read');
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(isPermissionDenied(err)).toBe(true);
    const d = permissionDenial('payments.retrieve', 'pay_1', err, grantedBy(['disputes.retrieve']));
    expect(d).toEqual({
      call: 'payments.retrieve',
      objectId: 'pay_1',
      named: 'promo_code:basic:read',
      permissions: ['promo_code:basic:read', 'payment:resolution_center_case:read'],
      whopMessage:
        'You do not have permission to perform this action. Required permission: promo_code:basic:read',
    });
    // Nothing proved: every other permission of the call may be missing too.
    expect(
      permissionDenial('memberships.retrieve', 'mem_1', missing('member:email:read')).permissions,
    ).toEqual(['member:email:read', 'member:basic:read']);
  });

  it('a 403 naming no permission (no access to the company) says so', () => {
    const err = forbidden('This API key does not have access to company biz_x.');
    const d = permissionDenial('disputes.retrieve', 'dp_1', err, grantedBy(['disputes.retrieve']));
    expect(d.named).toBeNull();
    expect(d.permissions).toEqual([]);
    expect(permissionAdvice(d)).toMatch(/belongs to \(or is installed on\) the company/);
    expect(new WhopPermissionError(d).message).toBe(
      'whop answered 403 to disputes.retrieve on dp_1: This API key does not have access to company biz_x. (the API key may lack access to this company)',
    );
  });

  it('is no denial for other statuses', () => {
    expect(
      isPermissionDenied(APIError.generate(401, { error: { message: 'bad key' } }, undefined, new Headers())),
    ).toBe(false);
    expect(isPermissionDenied(new Error('x'))).toBe(false);
  });
});

describe('primaryCall / WhopPermissionError', () => {
  it('turns a 403 on the job’s own object into a final failure that keeps the denial', async () => {
    const err = await primaryCall(
      'disputes.updateEvidence',
      'dp_1',
      () => Promise.reject(missing('payment:dispute')),
      grantedBy(['disputes.retrieve']),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhopPermissionError);
    expect(err).toBeInstanceOf(UnrecoverableError);
    const e = err as WhopPermissionError;
    // BullMQ and job-worker.ts recognise a final failure by this name.
    expect(e.name).toBe('UnrecoverableError');
    expect(e.message).toBe(
      'whop answered 403 to disputes.updateEvidence on dp_1: the API key lacks payment:dispute',
    );
    expect(e.denial.permissions).toEqual(['payment:dispute']);
    // Kept whole by the job-error mapping, and never retried.
    expect(whopJobError(e)).toBe(e);
    expect(classifyWhopError(e).kind).toBe('permanent');
  });

  it('lets everything else through untouched', async () => {
    const notFound = APIError.generate(404, { error: { message: 'nope' } }, undefined, new Headers());
    await expect(primaryCall('disputes.retrieve', 'dp_1', () => Promise.reject(notFound))).rejects.toBe(
      notFound,
    );
    await expect(primaryCall('disputes.retrieve', 'dp_1', async () => 42)).resolves.toBe(42);
  });

  it('advises the permission to grant, and the others to check', () => {
    const d = permissionDenial(
      'disputes.retrieve',
      'dp_1',
      missing('member:phone:read'),
      grantedBy(['disputes.list']),
    );
    expect(permissionAdvice(d)).toBe(
      "Give the API key the permission member:phone:read in Whop's developer settings (and check it has member:email:read, member:basic:read, which disputes.retrieve also needs)",
    );
  });
});
