import type { AlertDispatcher } from '../src/alerts/alert-dispatcher.js';
import type { EvidenceAutopilot } from '../src/evidence/evidence-autopilot.js';
import type { Logger } from '../src/logger/logger.js';
import type { CaseStore } from '../src/store/case-store.js';

/** Records read per round trip. */
const PAGE = 100;

/**
 * The sweep's check that every promise has its job: for each open record, a dispute's scheduled
 * submission and its pending evidence alerts (the evidence autopilot), and each item's due-date
 * reminders (the alert dispatcher). A missing job is re-created; an existing one is left alone (job ids
 * come from what the job is for, so adding it again is a no-op). Returns what it re-created.
 */
export function promisedWorkCheck(deps: {
  store: Pick<CaseStore, 'openIds' | 'getMany'>;
  autopilot: Pick<EvidenceAutopilot, 'ensurePromised'>;
  dispatcher: Pick<AlertDispatcher, 'ensureReminders'>;
  log: Logger;
}) {
  return async () => {
    const counts = { submissions: 0, evidenceAlerts: 0, reminders: 0 };
    const ids = await deps.store.openIds();
    for (let i = 0; i < ids.length; i += PAGE) {
      for (const record of await deps.store.getMany(ids.slice(i, i + PAGE))) {
        if (!record) continue;
        try {
          if (record.kind === 'dispute') {
            const evidence = await deps.autopilot.ensurePromised(record.id);
            counts.submissions += evidence.submission ? 1 : 0;
            counts.evidenceAlerts += evidence.alerts;
          }
          counts.reminders += await deps.dispatcher.ensureReminders(record);
        } catch (err) {
          deps.log.warn(
            { caseId: record.id, err: (err as Error).message },
            'could not check the promised work of a case; the next sweep tries again',
          );
        }
      }
    }
    return counts;
  };
}
