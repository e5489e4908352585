/**
 * Named crash points for the kill tests (issue 10): a worker process started with
 * `DA_FAULT_POINT=<name>[,<name>…]` kills itself with SIGKILL — no cleanup, no `finally`, no lock
 * released, exactly what an OOM kill or a lost machine does — the first time it reaches that point.
 * Unset (always, outside those tests) every call is a no-op. docs/EFFECTS.md lists the points in order,
 * job kind by job kind, and says what a retry does after each.
 */

/** Every fault point, named `<job kind>.<where>`; a typo in a test is a type error, not a silent no-op. */
export const FAULT_POINTS = [
  'reconcile.after_apply',
  'evidence.after_update_evidence',
  'evidence.after_state_write',
  'evidence.after_submission_record',
  'alerts.after_case_alert',
  'alerts.after_rate_claim',
  'alerts.after_send',
  'alerts.after_reminder_alert',
  'sweep.after_reconcile',
  // The refund pipeline's (i11-refund-pipeline, merged separately): around its one refund call.
  'refund.before_call',
  'refund.after_call',
] as const;

export type FaultPoint = (typeof FAULT_POINTS)[number];

const armed = new Set(
  (process.env.DA_FAULT_POINT ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Kills this process on the spot if `point` is armed (see the module comment); otherwise nothing. */
export function faultPoint(point: FaultPoint): void {
  if (armed.size === 0 || !armed.has(point)) return;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL to ourselves ends the process before this line matters; block anyway so no more JS runs.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}
