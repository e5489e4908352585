import type { Queue } from 'bullmq';
import { type AccessEvent, customerKeys } from '../access-events/access-event.js';
import { type EvidenceJob, queueEvidenceRefresh } from './evidence-queue.js';
import type { EvidenceStore } from './evidence-store.js';

/**
 * New access events for a customer with an open dispute refresh that dispute's evidence draft before
 * it is submitted. Bounded in time: it runs on the intake's request path.
 */
export function evidenceRefresher(evidence: EvidenceStore, queue: Queue<EvidenceJob>, timeoutMs = 2000) {
  return async (events: AccessEvent[]) => {
    const keys = new Set<string>();
    for (const e of events) for (const k of customerKeys(e)) keys.add(k);
    const work = (async () => {
      const disputes = await evidence.disputesForCustomers([...keys]);
      if (disputes.length) await queueEvidenceRefresh(queue, disputes);
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('evidence refresh timed out')), timeoutMs);
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
