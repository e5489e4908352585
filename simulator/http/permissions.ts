/**
 * Which permissions each simulated route needs. Copied from the "Required permissions" list in the
 * doc comment of the @whop/sdk 0.0.42 method that calls the route
 * (`node_modules/@whop/sdk/src/resources/<file>`; test/simulator/permissions.test.ts re-reads those
 * comments and fails if this table drifts from them). A key that lacks any one of them gets 403
 * before the route runs (WHOP-REFERENCE.md: "a key without one gets 403"; `disputes.retrieve` itself
 * needs the `member:*` read scopes).
 *
 * The SDK also calls some response fields "null if not authorized" (`user.email` without
 * `member:email:read`; a payment's `disputes` / `resolutions` without `payment:dispute:read` /
 * `payment:resolution_center_case:read`). Every route here that returns such a field already lists
 * that permission, so through the API the 403 comes first and the field is never nulled; webhook
 * payloads are where it shows (see `redactUnauthorizedFields`).
 */

export interface RoutePermissions {
  /** The SDK call, e.g. `disputes.retrieve`. */
  sdkMethod: string;
  /** Source of the list, under `node_modules/@whop/sdk/src/`. */
  source: string;
  permissions: readonly string[];
}

const DISPUTE_READ = [
  'payment:dispute:read',
  'plan:basic:read',
  'access_pass:basic:read',
  'company:basic:read',
  'payment:basic:read',
] as const;
const MEMBER_READ = ['member:email:read', 'member:basic:read', 'member:phone:read'] as const;
const DISPUTE_WRITE = [
  'payment:dispute',
  'plan:basic:read',
  'access_pass:basic:read',
  'company:basic:read',
  'payment:basic:read',
  ...MEMBER_READ,
] as const;
const PAYMENT_LIST = [
  'payment:basic:read',
  'plan:basic:read',
  'access_pass:basic:read',
  ...MEMBER_READ,
  'promo_code:basic:read',
] as const;

/** Keyed by the normalized route (`GET /disputes/:id`), as the request log names it. */
export const ROUTE_PERMISSIONS: Readonly<Record<string, RoutePermissions>> = {
  'GET /disputes': {
    sdkMethod: 'disputes.list',
    source: 'resources/disputes.ts',
    permissions: DISPUTE_READ,
  },
  'GET /disputes/:id': {
    sdkMethod: 'disputes.retrieve',
    source: 'resources/disputes.ts',
    permissions: [...DISPUTE_READ, ...MEMBER_READ],
  },
  'POST /disputes/:id/update_evidence': {
    sdkMethod: 'disputes.updateEvidence',
    source: 'resources/disputes.ts',
    permissions: DISPUTE_WRITE,
  },
  'POST /disputes/:id/submit_evidence': {
    sdkMethod: 'disputes.submitEvidence',
    source: 'resources/disputes.ts',
    permissions: DISPUTE_WRITE,
  },
  'GET /dispute_alerts': {
    sdkMethod: 'disputeAlerts.list',
    source: 'resources/dispute-alerts.ts',
    permissions: ['payment:dispute_alert:read', 'payment:basic:read', 'payment:dispute:read'],
  },
  'GET /dispute_alerts/:id': {
    sdkMethod: 'disputeAlerts.retrieve',
    source: 'resources/dispute-alerts.ts',
    permissions: ['payment:dispute_alert:read', 'payment:basic:read', ...MEMBER_READ, 'payment:dispute:read'],
  },
  'GET /refunds': {
    sdkMethod: 'refunds.list',
    source: 'resources/refunds.ts',
    permissions: ['payment:basic:read'],
  },
  'GET /refunds/:id': {
    sdkMethod: 'refunds.retrieve',
    source: 'resources/refunds.ts',
    permissions: ['payment:basic:read', 'plan:basic:read', 'access_pass:basic:read', ...MEMBER_READ],
  },
  'GET /resolution_center_cases': {
    sdkMethod: 'resolutionCenterCases.list',
    source: 'resources/resolution-center-cases.ts',
    permissions: ['payment:resolution_center_case:read'],
  },
  'GET /resolution_center_cases/:id': {
    sdkMethod: 'resolutionCenterCases.retrieve',
    source: 'resources/resolution-center-cases.ts',
    permissions: ['payment:resolution_center_case:read'],
  },
  'GET /payments': {
    sdkMethod: 'payments.list',
    source: 'resources/payments.ts',
    permissions: PAYMENT_LIST,
  },
  'GET /payments/:id': {
    sdkMethod: 'payments.retrieve',
    source: 'resources/payments.ts',
    permissions: [...PAYMENT_LIST, 'payment:dispute:read', 'payment:resolution_center_case:read'],
  },
  'POST /payments/:id/refund': {
    sdkMethod: 'payments.refund',
    source: 'resources/payments.ts',
    permissions: [
      'payment:manage',
      ...PAYMENT_LIST.slice(1),
      'payment:dispute:read',
      'payment:resolution_center_case:read',
    ],
  },
  'GET /memberships/:id': {
    sdkMethod: 'memberships.retrieve',
    source: 'resources/memberships.ts',
    permissions: ['member:basic:read', 'member:email:read'],
  },
  'POST /memberships/:id/cancel': {
    sdkMethod: 'memberships.cancel',
    source: 'resources/memberships.ts',
    permissions: ['membership:cancel', 'member:email:read', 'member:basic:read'],
  },
  'GET /members/:id': {
    sdkMethod: 'members.retrieve',
    source: 'resources/members.ts',
    permissions: ['member:basic:read', 'member:email:read', 'member:phone:read'],
  },
  // A user's public profile: the SDK lists no permission.
  'GET /users/:id': { sdkMethod: 'users.retrieve', source: 'resources/users.ts', permissions: [] },
  // The SDK lists none for files either.
  'POST /files': { sdkMethod: 'files.create', source: 'resources/files.ts', permissions: [] },
  'GET /files/:id': { sdkMethod: 'files.retrieve', source: 'resources/files.ts', permissions: [] },
  'POST /notifications': {
    sdkMethod: 'notifications.create',
    source: 'resources/notifications.ts',
    permissions: ['notification:create'],
  },
};

/** Every permission some simulated route needs, sorted: what a default (full) key holds. */
export const SIMULATED_PERMISSIONS: readonly string[] = [
  ...new Set(Object.values(ROUTE_PERMISSIONS).flatMap((r) => r.permissions)),
].sort();

/** The permissions a route needs (none for routes outside the table, e.g. the upload PUT). */
export function permissionsFor(route: string): readonly string[] {
  return ROUTE_PERMISSIONS[route]?.permissions ?? [];
}

/** A key's permissions: `null` = every permission (the default key). */
export type PermissionSet = ReadonlySet<string> | null;

export function hasPermission(set: PermissionSet, permission: string): boolean {
  return set === null || set.has(permission);
}

/** The first permission of `route` the set lacks, or null. */
export function firstMissingPermission(set: PermissionSet, route: string): string | null {
  if (set === null) return null;
  return permissionsFor(route).find((p) => !set.has(p)) ?? null;
}

/**
 * Nulls what the SDK documents as "null if not authorized", in place, anywhere in a JSON value:
 * `user.email` without `member:email:read` (disputes.ts, dispute-alerts.ts, refunds.ts, payments.ts,
 * memberships.ts, shared.ts: "The user's email address. Requires the member:email:read permission
 * to access. Null if not authorized."), and on a payment `disputes` without `payment:dispute:read`,
 * `resolutions` without `payment:resolution_center_case:read` (shared.ts `Payment`).
 */
export function redactUnauthorizedFields<T>(value: T, set: PermissionSet): T {
  if (set === null) return value;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const item of v) walk(item);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    const user = o.user as Record<string, unknown> | null | undefined;
    if (user && typeof user === 'object' && 'email' in user && !set.has('member:email:read')) {
      user.email = null;
    }
    // Only a full Payment carries refunds[] next to disputes[] / resolutions[].
    if (Array.isArray(o.refunds) && 'substatus' in o) {
      if ('disputes' in o && !set.has('payment:dispute:read')) o.disputes = null;
      if ('resolutions' in o && !set.has('payment:resolution_center_case:read')) o.resolutions = null;
    }
    for (const child of Object.values(o)) walk(child);
  };
  walk(value);
  return value;
}
