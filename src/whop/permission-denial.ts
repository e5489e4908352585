/**
 * A 403 from Whop, read as a missing permission. Whop's message names one permission, the first the key
 * lacks ("… Required permission: <perm>", as the simulator answers it from field reports); the others a
 * call needs (`CALL_PERMISSIONS`, from the SDK's doc comments) may be missing too, unless another call
 * that needs them succeeded. Callers decide what the denial means: a missing fact (a secondary lookup)
 * or a visible failure (`WhopPermissionError`, the object a job is about).
 */
import { APIError } from '@whop/sdk';
import { CALL_PERMISSIONS, missingFor, type WhopCall } from './permissions.js';
import { type PermissionDenial, WhopPermissionError, whopMessage } from './whop-errors.js';

export type { PermissionDenial };
export { WhopPermissionError };

const NAMED_PERMISSION = /Required permission:\s*([a-z_]+(?::[a-z_]+)+)/;

/** Whether Whop refused a call with 403 (a missing permission, or no access to the company). */
export function isPermissionDenied(err: unknown): err is APIError {
  return err instanceof APIError && err.status === 403;
}

/** Every permission the calls need: what a key that made them all successfully holds. */
export function grantedBy(calls: Iterable<WhopCall>): Set<string> {
  return new Set([...calls].flatMap((c) => CALL_PERMISSIONS[c]));
}

/**
 * What a 403 (`err`) on `call` tells: the permission Whop named, then the call's other permissions that
 * `granted` (permissions some successful call needed) does not cover.
 */
export function permissionDenial(
  call: WhopCall,
  objectId: string | null,
  err: APIError,
  granted: ReadonlySet<string> = new Set(),
): PermissionDenial {
  const message = whopMessage(err);
  const named = NAMED_PERMISSION.exec(message)?.[1] ?? null;
  const rest = missingFor(call, granted).filter((p) => p !== named);
  return { call, objectId, named, permissions: named ? [named, ...rest] : rest, whopMessage: message };
}

/** Runs a call on the object a job is about: a 403 becomes a `WhopPermissionError` (the job fails visibly). */
export async function primaryCall<T>(
  call: WhopCall,
  objectId: string,
  run: () => Promise<T>,
  granted?: ReadonlySet<string>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isPermissionDenied(err))
      throw new WhopPermissionError(permissionDenial(call, objectId, err, granted));
    throw err;
  }
}

/** "Give the API key the permission X in Whop's developer settings" (what the operator does about it). */
export function permissionAdvice(d: PermissionDenial): string {
  if (!d.named && d.permissions.length === 0) {
    return 'Check that the API key belongs to (or is installed on) the company this object is in';
  }
  const perms = d.named ? [d.named] : d.permissions;
  const word = perms.length === 1 ? 'the permission' : 'the permissions';
  const others = d.named ? d.permissions.filter((p) => p !== d.named) : [];
  return (
    `Give the API key ${word} ${perms.join(', ')} in Whop's developer settings` +
    (others.length ? ` (and check it has ${others.join(', ')}, which ${d.call} also needs)` : '')
  );
}
