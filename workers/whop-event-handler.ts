import { type Job, UnrecoverableError } from 'bullmq';
import type { CaseKind } from '../src/cases/case-record.js';
import { envelopeCompanyId } from '../src/cases/company.js';
import { faultPoint } from '../src/faults/fault-point.js';
import type { Logger } from '../src/logger/logger.js';
import type { CaseReconciler } from '../src/reconcile/case-reconciler.js';
import type { WhopEventJob } from '../src/reconcile/whop-events-queue.js';
import type { CaseStore } from '../src/store/case-store.js';
import { EVENT_KINDS } from '../src/webhooks/envelope.js';
import { whopJobError } from '../src/whop/whop-errors.js';

/** Whop may 404 an object for a moment after announcing it; this many tries before giving up. */
export const NOT_FOUND_ATTEMPTS = 4;

/**
 * A webhook is a hint: the handler re-reads the object it names and reconciles the store (a dispute
 * alert, the dispute it names too; each re-read is idempotent, so a retried job repeats both). Errors are
 * sorted by whopJobError: permanent ones (401/403/400/422, or a 404 that outlasted Whop's lag) fail the
 * job at once and stay in the failed set; the rest retry with backoff.
 */
export function createWhopEventHandler(deps: { reconciler: CaseReconciler; store: CaseStore; log: Logger }) {
  return async (job: Job<WhopEventJob>) => {
    const { event, webhookId } = job.data;
    const kind = EVENT_KINDS[event.type];
    const id = typeof event.data?.id === 'string' ? event.data.id : undefined;
    if (!kind || !id) throw new UnrecoverableError(`event ${event.type} names no object id`);
    // A hint only: the reconciler keeps a company for the sweep once Whop confirms it.
    const meta = { webhookId, companyHint: envelopeCompanyId(event) ?? undefined };
    const reconcile = async (objectKind: CaseKind, objectId: string) => {
      try {
        return await deps.reconciler.reconcile(objectKind, objectId, 'webhook', meta);
      } catch (err) {
        throw whopJobError(err, {
          tries: NOT_FOUND_ATTEMPTS,
          attemptsMade: job.attemptsMade,
          what: `${objectKind} ${objectId}`,
        });
      }
    };
    const result = await reconcile(kind, id);
    // Written: a retry re-reads Whop and finds nothing new (each transition fires once).
    faultPoint('reconcile.after_apply');
    // The dispute (or inquiry) an alert names is stored now, not when its own webhook or the sweep comes.
    const disputeId = kind === 'dispute_alert' ? (await deps.store.get(id))?.details.disputeId : undefined;
    if (typeof disputeId === 'string') await reconcile('dispute', disputeId);
    return result;
  };
}
