/**
 * Every Redis key the service writes, in one registry: its name, its type, and the one module that owns
 * it (reads and writes it; everything else goes through that module). A new feature adds its keys here,
 * under a `da:<feature>` name of its own. The names are stored data: renaming one strands what Redis
 * already holds under the old name.
 *
 * Not listed: BullMQ's own keys (`bull:<queue>:…`; each queue's name sits beside its feature, e.g.
 * `src/alerts/alerts-queue.ts`), and the stream consumer groups, which are named where each relay is
 * built (`workers/*-worker.ts`).
 */

// ── Intake (owner: src/intake/event-inbox.ts) ──────────────────────────────────────────────────────────

/**
 * Stream of verified webhook deliveries (field `e`: the InboxEntry as JSON), written by the HTTP intake;
 * the inbox relay (group `relay`) moves each into the `whop-events` queue and deletes it.
 */
export const INBOX_STREAM = 'da:inbox';
/**
 * `da:seen:<webhookId>`: string `1`, expiring after 7 days; a delivery whose id is here is a duplicate.
 * A prefix because the intake's Lua script appends the id itself.
 */
export const WEBHOOK_SEEN_PREFIX = 'da:seen:';

// ── Redis checks (owner: src/redis/redis-checks.ts) ────────────────────────────────────────────────────

/** `da:probe:<uuid>`: string `1` living 10 s, written and deleted to prove Redis takes writes. */
export const REDIS_PROBE_PREFIX = 'da:probe:';
/**
 * String (a timestamp) living 10 s, overwritten by every `/readyz` and by a relay unsure whether a failed
 * add was its entry's fault: one fixed key, so frequent probes leave nothing behind.
 */
export const REDIS_WRITE_PROBE = `${REDIS_PROBE_PREFIX}write`;

// ── Dead letters (owner: src/dead-letters/dead-letter-store.ts; written by workers/stream-relay.ts) ────

/**
 * `<stream>:dead`: stream of entries a relay could not turn into a job (fields `id` = the entry's id,
 * `e` = its payload, `group` = the consumer group, `reason`), capped at about 10,000, kept for an operator.
 */
export const deadLetterStream = (stream: string) => `${stream}:dead`;

// ── Cases (owner: src/store/case-store.ts) ─────────────────────────────────────────────────────────────

/**
 * `da:case:<caseId>`: hash, `v` = version (compare-and-set), `d` = the CaseRecord as JSON. A prefix
 * because the store's Lua script cuts the id back out of the key.
 */
export const CASE_KEY_PREFIX = 'da:case:';
export const caseKey = (caseId: string) => `${CASE_KEY_PREFIX}${caseId}`;
/** List of the case's TimelineEntry JSON, oldest first. */
export const caseTimelineKey = (caseId: string) => `${CASE_KEY_PREFIX}${caseId}:timeline`;
/**
 * Set of the transition keys already fired for the case: each case event is appended once; and of the
 * `action:`-prefixed keys of automation timeline entries already appended (each once).
 */
export const caseFiredKey = (caseId: string) => `${CASE_KEY_PREFIX}${caseId}:fired`;
/** Sorted set of every case id, score = due date (ms; undated ones after every date). */
export const CASES_BY_DUE = 'da:cases:by-due';
/** Sorted set of the open case ids, scored as `CASES_BY_DUE`. */
export const OPEN_CASES_BY_DUE = 'da:cases:open-by-due';
/**
 * Set of the company ids Whop has confirmed (an object re-read from Whop named it, or a listing for it
 * succeeded): what the sweep and the digest walk. A company Whop refuses (403/404 on every listing) leaves.
 */
export const COMPANIES = 'da:companies';
/**
 * Set of company ids only an event's envelope named (Whop never confirmed them): the next sweep tries to
 * list each once, then moves it into `COMPANIES` (a listing succeeded) or drops it (Whop refused it).
 */
export const UNCONFIRMED_COMPANIES = 'da:companies:unconfirmed';
/**
 * Stream of case events (field `e`: the CaseEvent as JSON), capped at about a million entries. Every
 * automation subscribes with a consumer group of its own (`evidence`, `alerts`); entries stay for the others.
 */
export const CASE_EVENTS_STREAM = 'da:case-events';
/**
 * `da:cases:by-email:<email>`: set of the case ids whose payment's customer has this email (trimmed,
 * lower case; see `customerEmail` in src/cases/customer-email.ts), for the dashboard's search. An entry
 * may outlive an email change: readers re-check the record.
 */
export const caseEmailIndexKey = (email: string) => `da:cases:by-email:${email}`;
/** `da:sweep:<companyId>:<kind>`: string, when the sweep last listed that company's objects of that kind (ISO). */
export const sweepWatermarkKey = (companyId: string, kind: string) => `da:sweep:${companyId}:${kind}`;

// ── Sweep runs (owner: src/reconcile/sweep-runs.ts) ────────────────────────────────────────────────────

/**
 * `da:sweep-run:<runId>:recovered`: set of the case ids a sweep run recovered, written as it goes and
 * expiring after a day, so the run's retry after a crash still reports what the first try recovered.
 */
export const sweepRunRecoveredKey = (runId: string) => `da:sweep-run:${runId}:recovered`;

// ── Evidence (owner: src/evidence/evidence-store.ts) ───────────────────────────────────────────────────

/** `da:evidence:<disputeId>`: string, the dispute's EvidenceState as JSON. */
export const evidenceKey = (disputeId: string) => `da:evidence:${disputeId}`;
/** String holding a job's random token, with a PX expiry it renews: staging and submission never interleave. */
export const evidenceLockKey = (disputeId: string) => `da:evidence:${disputeId}:lock`;
/** Set of the open dispute ids with evidence for this customer key (`u:`, `m:` or `e:` ref). */
export const evidenceByCustomerKey = (customerKey: string) => `da:evidence:by-customer:${customerKey}`;
/** `da:brief:<caseId>`: string, a Resolution Center case's brief as JSON. */
export const caseBriefKey = (caseId: string) => `da:brief:${caseId}`;

// ── Access events (owner: src/access-events/access-event-store.ts, which documents the layout) ───────

/**
 * Under this prefix, per customer ref (`u:<userId>`, `m:<membershipId>`, `e:<email>`): `<ref>` a sorted
 * set of events by time, `ua:<ref>` a hash of user agents, `alias:<ref>` a set of linked refs; all expire.
 */
export const ACCESS_KEY_PREFIX = 'da:access:';

// ── Whop (owner: src/whop/rate-limiter.ts) ─────────────────────────────────────────────────────────────

/** String: the shared rate limiter's theoretical arrival time (ms), with a PX expiry. */
export const WHOP_RATE_LIMIT = 'da:ratelimit:whop';

// ── Alerts (owner: src/alerts/alert-store.ts) ────────────────────────────────────────────────────

/** `da:alert-sent:<alertId>:<destination>`: string, when it was sent (ISO), expiring after 90 days. */
export const ALERT_SENT_PREFIX = 'da:alert-sent:';
export const alertSentKey = (alertId: string, destination: string) =>
  `${ALERT_SENT_PREFIX}${alertId}:${destination}`;
/**
 * `da:alert-attempt:<alertId>:<destination>`: string, `sending` from just before a send until its
 * outcome is known (then deleted, or the sent marker is written), `uncertain` when it never will be
 * (a timeout after the request went out, a worker that died mid-send): that delivery is not tried
 * again. Expires after 90 days, like the sent marker.
 */
export const ALERT_ATTEMPT_PREFIX = 'da:alert-attempt:';
export const alertAttemptKey = (alertId: string, destination: string) =>
  `${ALERT_ATTEMPT_PREFIX}${alertId}:${destination}`;
/** List of the last 1,000 deliveries (JSON: id, kind, destination, at), newest first. */
export const ALERTS_SENT = 'da:alerts:sent';
/** List of the last 1,000 deliveries whose outcome is unknown (JSON: … and reason), newest first. */
export const ALERTS_UNCERTAIN = 'da:alerts:uncertain';
/** List of the last 1,000 deliveries that failed for good (JSON: … and reason), newest first. */
export const ALERTS_FAILED = 'da:alerts:failed';
/** Sorted set of the company's dispute ids, score = when the dispute was created (ms): the rate watch. */
export const companyDisputesKey = (companyId: string) => `da:company:${companyId}:disputes`;
/** String: the company's payment count over the last 30 days, cached for an hour. */
export const companyPayments30dKey = (companyId: string) => `da:company:${companyId}:payments30d`;
/**
 * String, present while the dispute-rate level is announced: a message named this level (or a higher
 * one). Deleted when the rate falls below it, which re-arms it. (Older versions wrote a crossing as
 * JSON or the bare rate here: read as announced.)
 */
export const rateThresholdKey = (companyId: string, threshold: number) => `da:rate:${companyId}:${threshold}`;
/**
 * `da:rate-day:<companyId>:<YYYY-MM-DD>`: string, the UTC day's one dispute-rate message as JSON
 * (`RateCrossing`: level, when, counts, whether queued), set only if absent; expires after 2 days.
 */
export const rateDayKey = (companyId: string, day: string) => `da:rate-day:${companyId}:${day}`;
/**
 * `da:opening:<caseId>`: hash, the coalesced opening message of a dispute, inquiry, case or dispute
 * alert: `state` (`pending` while an opening job waits, `evidence_waiting` when evidence was staged
 * meanwhile and is folded in, `refund_waiting` when auto-refund decided meanwhile, `opened` once
 * composed), one field per opening (its alert id → `with_evidence`, `without_evidence` or
 * `with_refund`), `refund:<refund-alert-id>` → `folded` for a refund decision the opening carries, and
 * `covered:<due-ms>` → when the opening for that due date went out (ms): the
 * reminders already passed then are covered by it. Expires 90 days after the last write.
 */
export const openingKey = (caseId: string) => `da:opening:${caseId}`;
/**
 * `da:activity:<companyId>`: sorted set of what the autopilot did and what was decided (JSON
 * `ActivityEntry`, one member per thing), score = when (ms); the digest reads it. Trimmed to 35 days.
 */
export const companyActivityKey = (companyId: string) => `da:activity:${companyId}`;
/** `da:digest-last:<companyId>`: string, when the company's last digest was composed (ms). */
export const digestLastKey = (companyId: string) => `da:digest-last:${companyId}`;

// ── Refunds (owner: src/refunds/refund-store.ts) ───────────────────────────────────────────────────────

/** `da:refund:decision:<decisionId>`: string, a RefundDecisionRecord as JSON (kept, like case records). */
export const refundDecisionKey = (decisionId: string) => `da:refund:decision:${decisionId}`;
/**
 * `da:refund:pending:<paymentId>`: string, the id of the decision whose refund call on this payment has
 * no known outcome yet (the attempt marker's index). Set with the attempt, deleted with its outcome.
 */
export const refundPendingKey = (paymentId: string) => `da:refund:pending:${paymentId}`;
/** String holding a refund's random token, with a PX expiry it renews: one refund at a time per payment. */
export const refundLockKey = (paymentId: string) => `da:refund:lock:${paymentId}`;
/**
 * `da:refund:daily:<companyId>:<YYYY-MM-DD>`: hash, the auto-refunds reserved that UTC day: `count`, and
 * minor units per upper-case currency code; expires after 3 days.
 */
export const refundDailyKey = (companyId: string, day: string) => `da:refund:daily:${companyId}:${day}`;
/** Sorted set of the company's decision ids, score = when decided (ms): what the insights read. */
export const refundsByCompanyKey = (companyId: string) => `da:refunds:by-company:${companyId}`;
/** Sorted set of the payment's decision ids, score = when decided (ms): every refund traced to its decision. */
export const refundsByPaymentKey = (paymentId: string) => `da:refunds:by-payment:${paymentId}`;

// ── Doctor (owner: src/doctor/doctor-store.ts) ────────────────────────────────────────────────────────

/** String, the last DoctorReport run from the dashboard's health page, as JSON; expires after 30 days. */
export const DOCTOR_LAST_REPORT = 'da:doctor:last-report';

// ── Dashboard (owner: src/dashboard/session.ts, login-limiter.ts and login-links.ts) ──────────────────

/** `da:dashboard:session:<sessionId>`: string `1` expiring with the session; logout deletes it. */
export const dashboardSessionKey = (sessionId: string) => `da:dashboard:session:${sessionId}`;
/** `da:dashboard:login-failures:<ip>`: integer, failed logins from that address in the current window. */
export const loginFailuresKey = (ip: string) => `da:dashboard:login-failures:${ip}`;
/**
 * `da:dashboard:login-link:<sha256 of the code, hex>`: string `1`, a single-use login link (minted by
 * the demo), expiring with it; taken with GETDEL when used. The code itself is never stored.
 */
export const loginLinkKey = (codeHash: string) => `da:dashboard:login-link:${codeHash}`;
