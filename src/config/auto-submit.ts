/**
 * When the evidence autopilot submits a dispute's evidence to Whop: `never` (the merchant submits in
 * Whop), `immediately`, or `before_deadline`. Set by `AUTO_SUBMIT` and, per company, the policy file's
 * `auto_submit`.
 */
export const AUTO_SUBMIT_MODES = ['never', 'immediately', 'before_deadline'] as const;

export type AutoSubmitMode = (typeof AUTO_SUBMIT_MODES)[number];
