/**
 * The Whop API calls this service makes and the permissions each needs, copied from the doc comments of
 * `@whop/sdk` 0.0.42 (`src/resources/<resource>.ts`, "Required permissions"). A key without one of them
 * gets 403 on that call. `permissions.test.ts` re-reads the SDK source, so an SDK upgrade that changes a
 * list fails the suite instead of production.
 */
export const CALL_PERMISSIONS = {
  'disputes.list': [
    'payment:dispute:read',
    'plan:basic:read',
    'access_pass:basic:read',
    'company:basic:read',
    'payment:basic:read',
  ],
  'disputes.retrieve': [
    'payment:dispute:read',
    'plan:basic:read',
    'access_pass:basic:read',
    'company:basic:read',
    'payment:basic:read',
    'member:email:read',
    'member:basic:read',
    'member:phone:read',
  ],
  'disputes.updateEvidence': [
    'payment:dispute',
    'plan:basic:read',
    'access_pass:basic:read',
    'company:basic:read',
    'payment:basic:read',
    'member:email:read',
    'member:basic:read',
    'member:phone:read',
  ],
  'disputes.submitEvidence': [
    'payment:dispute',
    'plan:basic:read',
    'access_pass:basic:read',
    'company:basic:read',
    'payment:basic:read',
    'member:email:read',
    'member:basic:read',
    'member:phone:read',
  ],
  'disputeAlerts.list': ['payment:dispute_alert:read', 'payment:basic:read', 'payment:dispute:read'],
  'disputeAlerts.retrieve': [
    'payment:dispute_alert:read',
    'payment:basic:read',
    'member:email:read',
    'member:basic:read',
    'member:phone:read',
    'payment:dispute:read',
  ],
  'refunds.list': ['payment:basic:read'],
  'refunds.retrieve': [
    'payment:basic:read',
    'plan:basic:read',
    'access_pass:basic:read',
    'member:email:read',
    'member:basic:read',
    'member:phone:read',
  ],
  'resolutionCenterCases.list': ['payment:resolution_center_case:read'],
  'resolutionCenterCases.retrieve': ['payment:resolution_center_case:read'],
  'payments.list': [
    'payment:basic:read',
    'plan:basic:read',
    'access_pass:basic:read',
    'member:email:read',
    'member:basic:read',
    'member:phone:read',
    'promo_code:basic:read',
  ],
  'payments.retrieve': [
    'payment:basic:read',
    'plan:basic:read',
    'access_pass:basic:read',
    'member:email:read',
    'member:basic:read',
    'member:phone:read',
    'promo_code:basic:read',
    'payment:dispute:read',
    'payment:resolution_center_case:read',
  ],
  'payments.refund': [
    'payment:manage',
    'plan:basic:read',
    'access_pass:basic:read',
    'member:email:read',
    'member:basic:read',
    'member:phone:read',
    'promo_code:basic:read',
    'payment:dispute:read',
    'payment:resolution_center_case:read',
  ],
  'memberships.retrieve': ['member:basic:read', 'member:email:read'],
  'memberships.cancel': ['membership:cancel', 'member:email:read', 'member:basic:read'],
  'members.retrieve': ['member:basic:read', 'member:email:read', 'member:phone:read'],
  // The SDK lists none for users and files: any valid key may call them.
  'users.retrieve': [],
  'files.create': [],
  'files.retrieve': [],
} as const satisfies Record<string, readonly string[]>;

export type WhopCall = keyof typeof CALL_PERMISSIONS;

/** A feature of this service, and the calls it makes. `required` calls stop the feature; others degrade. */
export interface FeatureCalls {
  /** What a merchant sees of it, for the README and `doctor`. */
  label: string;
  /** Without these the feature does not work at all (a visible failure with an alert). */
  required: readonly WhopCall[];
  /** Without these the feature works with fewer facts (said in the draft or the alert). */
  optional: readonly WhopCall[];
}

/** What each feature calls (grep `whop.` under src/ to check). */
export const FEATURE_CALLS = {
  reconcile: {
    label: 'Reconciliation and sweep (every webhook re-read; missed ones recovered)',
    required: [
      'disputes.retrieve',
      'disputes.list',
      'disputeAlerts.retrieve',
      'disputeAlerts.list',
      'refunds.retrieve',
      'refunds.list',
      'resolutionCenterCases.retrieve',
      'resolutionCenterCases.list',
    ],
    // Refunds and dispute alerts name no company: their payment does (WHOP-REFERENCE.md).
    optional: ['payments.retrieve'],
  },
  evidence: {
    label: 'Evidence autopilot (stage and submit dispute evidence, case briefs)',
    required: [
      'disputes.retrieve',
      'disputes.updateEvidence',
      'disputes.submitEvidence',
      // A case brief starts from the case itself.
      'resolutionCenterCases.retrieve',
    ],
    optional: [
      'payments.retrieve',
      'payments.list',
      'memberships.retrieve',
      'members.retrieve',
      'users.retrieve',
      'files.create',
      'files.retrieve',
    ],
  },
  alerts: {
    label: 'Alerts (dispute-rate watch)',
    required: [],
    optional: ['payments.list', 'payments.retrieve'],
  },
  refunds: {
    label: 'Auto-refund of dispute alerts',
    required: ['payments.retrieve', 'payments.refund'],
    optional: ['memberships.cancel'],
  },
} as const satisfies Record<string, FeatureCalls>;

export type Feature = keyof typeof FEATURE_CALLS;

/** The permissions a call needs that `granted` lacks, in the SDK's order. */
export function missingFor(call: WhopCall, granted: ReadonlySet<string>): string[] {
  return CALL_PERMISSIONS[call].filter((p) => !granted.has(p));
}

/** Every permission a feature's calls need (required and optional), deduplicated, sorted. */
export function featurePermissions(feature: Feature): string[] {
  const f: FeatureCalls = FEATURE_CALLS[feature];
  return [...new Set([...f.required, ...f.optional].flatMap((c) => CALL_PERMISSIONS[c]))].sort();
}
