import { type Job, UnrecoverableError } from 'bullmq';
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
 * A webhook is a hint: the handler re-reads the object it names and reconciles the store. Errors are
 * sorted by whopJobError: permanent ones (401/403/400/422, or a 404 that outlasted Whop's lag) fail the
 * job at once and stay in the failed set; the rest retry with backoff.
 */
export function createWhopEventHandler(deps: { reconciler: CaseReconciler; store: CaseStore; log: Logger }) {
  return async (job: Job<WhopEventJob>) => {
    const { event, webhookId } = job.data;
    const kind = EVENT_KINDS[event.type];
    const id = typeof event.data?.id === 'string' ? event.data.id : undefined;
    if (!kind || !id) throw new UnrecoverableError(`event ${event.type} names no object id`);
    if (event.company_id) await deps.store.addCompanies([event.company_id]);
    try {
      const result = await deps.reconciler.reconcile(kind, id, 'webhook', {
        webhookId,
        companyId: event.company_id ?? undefined,
      });
      // Written: a retry re-reads Whop and finds nothing new (each transition fires once).
      faultPoint('reconcile.after_apply');
      return result;
    } catch (err) {
      throw whopJobError(err, {
        tries: NOT_FOUND_ATTEMPTS,
        attemptsMade: job.attemptsMade,
        what: `${kind} ${id}`,
      });
    }
  };
}
