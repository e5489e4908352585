import type { Queue } from 'bullmq';
import type { Context } from 'hono';
import type { Redis } from 'ioredis';
import type { AccessEventStore } from '../access-events/access-event-store.js';
import type { AlertStore } from '../alerts/alert-store.js';
import type { DoctorReport } from '../doctor/doctor-report.js';
import type { DoctorStore } from '../doctor/doctor-store.js';
import type { EvidenceJob } from '../evidence/evidence-queue.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import type { RequestLoggerVariables } from '../http/middleware/request-logger/index.js';
import type { RefundService } from '../refunds/refund-service.js';
import type { CaseStore } from '../store/case-store.js';
import type { LoginLimiter } from './login-limiter.js';
import type { DashboardSessions, Session } from './session.js';

/** What the dashboard reads and where it queues work; `compose-app.ts` wires the production ones. */
export interface DashboardDeps {
  /** Signs sessions and guards every page; without it the dashboard answers `dashboard_disabled`. */
  adminToken: string | undefined;
  /** Sessions, the login limiter and the health page's Redis inspection. */
  redis: Redis;
  store: CaseStore;
  evidence: EvidenceStore;
  alerts: AlertStore;
  accessEvents: AccessEventStore;
  /** "Submit evidence now" queues here, for the evidence worker (the dashboard never calls Whop). */
  evidenceQueue: Queue<EvidenceJob>;
  /** Every BullMQ queue of the service: the health page and the queue UI show them all. */
  queues: Queue[];
  /** DISPUTE_RATE_MIN_PAYMENTS: below it the insights page gives counts, not a rate (default 0). */
  disputeRateMinPayments?: number;
  /** REMINDER_OFFSETS, for the next reminder of each item. */
  reminderOffsetsMs: readonly number[];
  /**
   * Auto-refund decisions stored for a case (src/refunds), when that feature provides them; each is
   * shown as its fields.
   */
  refundDecisions?: (caseId: string) => Promise<Record<string, unknown>[]>;
  /** The one refund path ("Refund" on the case page); without it the button says refunds are off. */
  refunds?: RefundService;
  /**
   * `doctor` on demand from the health page (`run` calls Whop: only when asked), and where its last
   * report is kept; without it the page points to `npm run cli -- doctor`.
   */
  doctor?: { run: () => Promise<DoctorReport>; store: DoctorStore };
  /** Accept single-use login links (`GET /login/<code>`, src/dashboard/login-links.ts): the demo's. */
  loginLinks?: boolean;
  /** The client address failed logins are counted by; default: the socket's remote address. */
  clientIp?: (c: Context) => string;
  now?: () => Date;
}

/** What every page's routes get: the deps plus the session machinery, with defaults filled in. */
export interface DashboardContext extends DashboardDeps {
  sessions: DashboardSessions;
  limiter: LoginLimiter;
  clientIp: (c: Context) => string;
  now: () => Date;
}

/** `log` is the request's logger (the app's request-logger middleware runs before the dashboard). */
export type DashboardEnv = { Variables: { session: Session } & Partial<RequestLoggerVariables> };
