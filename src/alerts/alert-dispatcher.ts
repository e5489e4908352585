import type Whop from '@whop/sdk';
import type { Queue } from 'bullmq';
import type { CaseEvent, CaseRecord } from '../cases/case-record.js';
import { financedProvider } from '../cases/financed.js';
import type { EvidenceState, EvidenceStore } from '../evidence/evidence-store.js';
import { faultPoint } from '../faults/fault-point.js';
import type { Logger } from '../logger/logger.js';
import { toMinor } from '../money/money.js';
import { alertDecisionId, MONEY_MOVED, type RefundDecisionRecord } from '../refunds/refund-record.js';
import type { RefundStore } from '../refunds/refund-store.js';
import type { CaseStore } from '../store/case-store.js';
import { listItems } from '../whop/pagination.js';
import { isPermissionDenied } from '../whop/permission-denial.js';
import type { PermissionDenial } from '../whop/whop-errors.js';
import type { Alert } from './alert.js';
import { type AlertPolicy, routeAlert } from './alert-routing.js';
import type { AlertStore } from './alert-store.js';
import {
  type AlertDestination,
  type AlertJob,
  deliveryJob,
  openingJob,
  reminderJob,
} from './alerts-queue.js';
import { ChannelError, type NamedChannel } from './channels/index.js';
import { composeCaseEventAlert } from './compose-case-event.js';
import { type ActivityEntry, composeDigest } from './compose-digest.js';
import {
  composeDeadLetters,
  composeDisputeRate,
  composeEvidenceStaged,
  composeEvidenceSubmitted,
  composeJobFailed,
  composeSweepRecovered,
} from './compose-operations.js';
import { eventAlertId, evidenceStatusLine, openingEvidenceStatus } from './compose-parts.js';
import {
  composeRefundAlert,
  composeRefundCapReached,
  FOLDED_REFUND_KINDS,
  refundForOpening,
} from './compose-refund.js';
import { composeReminder } from './compose-reminder.js';
import { digestPeriodKey } from './digest-schedule.js';
import { COUNTED_PAYMENT_STATUSES, disputeRate, rateLevel } from './dispute-rate.js';
import { reminderTimes, shouldRemind } from './reminder-schedule.js';

const DAY = 86_400_000;

/**
 * Transitions that open something needing the merchant (a dispute or inquiry to answer, a case awaiting
 * them, a dispute alert to refund or not): their alert is the opening message, composed after the
 * coalescing window (`onOpening`).
 */
const OPENING_EVENTS = new Set(['dispute.needs_response', 'case.awaiting_merchant', 'dispute_alert.opened']);

/** Outcomes the digest reports as won or lost. */
const OUTCOMES: Record<string, 'won' | 'lost'> = {
  'dispute.won': 'won',
  'dispute.lost': 'lost',
  'case.decided:merchant_won': 'won',
  'case.decided:customer_won': 'lost',
};

/** Transitions after which a deadline (new or moved) needs reminders. */
const REMINDER_TRIGGERS = new Set([
  'dispute.needs_response',
  'dispute.due_changed',
  'case.awaiting_merchant',
]);

export interface AlertDispatcherOptions {
  channels: NamedChannel[];
  /** The `alerts` section for a company (its own, else the policy's default), parsed. */
  alertPolicyFor: (companyId: string | null) => AlertPolicy | null;
  reminderOffsetsMs: number[];
  /** Dispute-rate thresholds, lowest first (e.g. 0.0075 and 0.015). */
  rateThresholds: number[];
  /** Below this many payments in 30 days the rate message gives counts (default 0: always a rate). */
  rateMinPayments?: number;
  /** How long a new item's opening message waits to carry what is known by then (ms; default 0). */
  coalesceMs?: number;
  /** `TZ`: the zone whose calendar days the daily digest is for. Default UTC. */
  timeZone?: string;
  /** Told each delivery's end once it is recorded (metrics); must not throw. */
  onDelivery?: (destination: AlertDestination, outcome: 'sent' | 'failed' | 'uncertain') => void;
  now?: () => Date;
}

/**
 * Decides who hears about what, and when: alerts for case transitions, reminders before deadlines,
 * the dispute-rate watch and the daily digest; then one delivery job per (alert, channel). The wording
 * and the timing rules are pure (compose.ts, reminder-schedule.ts, alert-routing.ts beside it); this
 * class reads the facts and queues the work.
 */
export class AlertDispatcher {
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      whop: Whop;
      store: CaseStore;
      evidence: EvidenceStore;
      /** Refund decisions: what auto-refund decided about a dispute alert, for its opening message. */
      refunds: Pick<RefundStore, 'get'>;
      /** Sent markers, delivery logs, the dispute-rate watch's counts: every Redis key of the alerts. */
      alerts: AlertStore;
      queue: Queue<AlertJob>;
      log: Logger;
    },
    private readonly options: AlertDispatcherOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  get destinations(): AlertDestination[] {
    return this.options.channels.length ? this.options.channels.map((c) => c.name) : ['log'];
  }

  /**
   * A case transition: its alert, or for a new dispute, inquiry or case (`OPENING_EVENTS`) the opening
   * job that composes it after the coalescing window; reminders; the dispute-rate watch; the digest's
   * record of outcomes.
   */
  async onCaseEvent(event: CaseEvent): Promise<'done'> {
    const record = await this.deps.store.get(event.caseId);
    if (!record) return 'done';
    await this.recordOutcome(event, record);
    // A backfill loads history the merchant already lived through: no alert per old item, but what
    // still awaits them gets its reminders.
    if (OPENING_EVENTS.has(event.type) && event.source !== 'backfill') {
      // The job before the marker that promises it (docs/EFFECTS.md): a retry adds it again (a no-op).
      await this.deps.queue.addBulk([openingJob(event, this.options.coalesceMs ?? 0)]);
      await this.deps.alerts.markOpeningPending(record.id, eventAlertId(event));
    } else {
      const paymentMethodType = await this.paymentMethodType(record);
      const caseBrief = await this.briefText(record);
      const alert = composeCaseEventAlert(event, record, {
        now: this.now(),
        evidenceStatus: await this.evidenceStatus(record),
        ...(caseBrief ? { caseBrief } : {}),
        paymentMethodType,
      });
      if (alert && event.source !== 'backfill') await this.notify(alert);
      // A retry queues the same alert again (its jobs' ids come from the alert id): a no-op.
      faultPoint('alerts.after_case_alert');
      const financed = record.kind === 'resolution_case' && financedProvider(paymentMethodType) !== null;
      if (REMINDER_TRIGGERS.has(event.type)) await this.scheduleReminders(record, financed);
    }
    if (event.type === 'dispute.opened' && record.companyId) await this.watchDisputeRate(record);
    return 'done';
  }

  /**
   * The opening message of a new dispute, inquiry or case, once its coalescing window is over: one
   * message with everything known by now — amount, reason, deadline and time left, the case strength,
   * and the evidence when it was staged in the window (its own "evidence ready" message is then not
   * sent). It covers the reminders already due: only later offsets are scheduled. Returns
   * 'wait_for_brief' when a case's brief (built by the evidence worker) is not written yet: the caller
   * tries again shortly, so the message carries it.
   */
  async onOpening(
    event: CaseEvent,
    opts: { briefWaitOver?: boolean } = {},
  ): Promise<'done' | 'wait_for_brief'> {
    const record = await this.deps.store.get(event.caseId);
    if (!record) return 'done';
    const caseBrief = await this.briefText(record);
    if (event.type === 'case.awaiting_merchant' && !caseBrief && !opts.briefWaitOver) return 'wait_for_brief';
    const now = this.now();
    const claim = await this.deps.alerts.claimOpening(
      record.id,
      eventAlertId(event),
      record.dueAt,
      now.getTime(),
    );
    const evidence = record.kind === 'dispute' ? await this.deps.evidence.get(record.id) : undefined;
    const paymentMethodType = await this.paymentMethodType(record);
    const strength = evidence?.draft?.strength;
    const folded = claim === 'with_evidence';
    // Submitted by the autopilot within the window: the opening says so, as the one message.
    const submittedAt = folded ? evidence?.submission.submittedAt : null;
    // A dispute alert auto-refund decided within the window: the opening carries the decision.
    const decided =
      claim === 'with_refund' ? await this.deps.refunds.get(alertDecisionId(record.id)) : undefined;
    const refund = decided ? refundForOpening(decided) : null;
    // The deadline as it is now: Whop may have moved it while the message waited (same id: the event's).
    const alert = composeCaseEventAlert({ ...event, dueAt: record.dueAt ?? event.dueAt }, record, {
      now,
      evidenceStatus: openingEvidenceStatus(record, evidence, folded),
      ...(caseBrief ? { caseBrief } : {}),
      ...(strength ? { strength } : {}),
      ...(submittedAt ? { submittedAt } : {}),
      ...(refund ? { refund } : {}),
      paymentMethodType,
    });
    if (alert) await this.notify(alert);
    // A retry composes the same message (the claim keeps its answer) under the same id: a no-op.
    faultPoint('alerts.after_case_alert');
    const financed = record.kind === 'resolution_case' && financedProvider(paymentMethodType) !== null;
    await this.scheduleReminders(record, financed);
    return 'done';
  }

  /** A reminder whose moment came: sent only if the item still awaits the merchant with that due date. */
  async onReminder(job: { caseId: string; offsetMs: number; dueAt: string }): Promise<void> {
    const record = await this.deps.store.get(job.caseId);
    if (!record || record.dueAt !== job.dueAt) {
      this.deps.log.info({ caseId: job.caseId, offsetMs: job.offsetMs }, 'reminder skipped: due date moved');
      return;
    }
    const financed =
      record.kind === 'resolution_case' && financedProvider(await this.paymentMethodType(record)) !== null;
    const alert = composeReminder({
      record,
      offsetMs: job.offsetMs,
      dueAt: job.dueAt,
      now: this.now(),
      financed,
      evidenceStatus: await this.evidenceStatus(record),
    });
    if (alert) {
      await this.notify(alert);
      faultPoint('alerts.after_reminder_alert');
    }
    // Answered, decided, or too late to help: skipped on purpose, but never silently.
    else
      this.deps.log.info(
        { caseId: record.id, offsetMs: job.offsetMs, status: record.status },
        'reminder skipped',
      );
  }

  /** One delivery job per destination the policy routes this alert to. */
  async notify(alert: Alert): Promise<void> {
    const configured = this.options.channels.map((c) => c.name);
    const targets: AlertDestination[] = configured.length
      ? routeAlert(alert, this.options.alertPolicyFor(alert.companyId), configured)
      : ['log'];
    if (targets.length === 0) return;
    await this.deps.queue.addBulk(targets.map((channel) => deliveryJob(alert, channel)));
  }

  /**
   * Sends one alert to one destination, at most once. The attempt is recorded before the send and its
   * end after it, so a re-run (a retry, a restart, the same alert queued twice) either finds it sent, or
   * finds an attempt that never ended — the worker died mid-send — and does not send again: that
   * delivery is `uncertain`, listed by `GET /api/alerts`. So is a send that failed after the message
   * went out (a timeout waiting for the answer, a reset: `ChannelError.maybeDelivered`). A send that
   * failed before anything went out (connection refused, DNS, TLS) or that the receiver refused throws,
   * and the worker retries it (ChannelError says how long to wait).
   */
  async deliver(alert: Alert, destination: AlertDestination): Promise<'sent' | 'already_sent' | 'uncertain'> {
    const channel = this.options.channels.find((c) => c.name === destination);
    if (destination !== 'log' && !channel) throw new Error(`channel ${destination} is not configured`);
    const start = await this.deps.alerts.beginAttempt(alert.id, destination);
    if (start === 'already_sent') return 'already_sent';
    if (start === 'uncertain') return 'uncertain';
    if (start === 'in_doubt') {
      return this.uncertain(alert, destination, 'the worker stopped while sending; not sent again');
    }
    try {
      if (channel) await channel.channel.send(alert);
      else this.deps.log.info({ alert }, `alert: ${alert.title}`);
    } catch (err) {
      if (err instanceof ChannelError && err.maybeDelivered) {
        return this.uncertain(alert, destination, `${err.message}; it may have arrived, not sent again`);
      }
      await this.deps.alerts.attemptFailed(alert.id, destination);
      throw err;
    }
    faultPoint('alerts.after_send');
    await this.deps.alerts.recordSent(alert, destination, this.now());
    this.options.onDelivery?.(destination, 'sent');
    return 'sent';
  }

  private async uncertain(alert: Alert, destination: AlertDestination, reason: string) {
    this.deps.log.warn({ alertId: alert.id, destination, reason }, 'alert delivery uncertain');
    await this.deps.alerts.recordUncertain(alert, destination, reason, this.now());
    this.options.onDelivery?.(destination, 'uncertain');
    return 'uncertain' as const;
  }

  /** Evidence staged for the first time, or submitted: the merchant hears once each. */
  async onEvidence(what: 'staged' | 'submitted', state: EvidenceState): Promise<void> {
    const record = await this.deps.store.get(state.disputeId);
    if (!record) return;
    const at = what === 'staged' ? state.staged?.stagedAt : state.submission.submittedAt;
    await this.recordActivity(record, what === 'staged' ? 'evidence_staged' : 'evidence_submitted', at);
    // Staged (or submitted) while the opening message waits: that message carries it (`onOpening`).
    if ((await this.deps.alerts.evidenceReady(record.id)) === 'folded') {
      this.deps.log.info({ disputeId: record.id, what }, 'evidence alert folded into the opening message');
      return;
    }
    const fields = Object.keys(state.staged?.fields ?? {});
    const attachments = state.staged?.attachmentFileId ? 1 : 0;
    const alert =
      what === 'staged'
        ? composeEvidenceStaged({
            record,
            now: this.now(),
            stagedAt: state.staged?.stagedAt ?? this.now(),
            fieldsFilled: fields,
            attachments,
            autoSubmitAt: state.submission.scheduledFor,
            missingFacts: state.draft?.missingFacts?.map((f) => f.note) ?? [],
          })
        : composeEvidenceSubmitted({
            record,
            submittedAt: state.submission.submittedAt ?? this.now(),
            fieldsSubmitted: fields,
            attachments,
            submissionNumber: (state.previousSubmissions?.length ?? 0) + 1,
          });
    await this.notify(alert);
  }

  /**
   * A refund decision or outcome was stored (src/refunds/refund-service.ts): the refund sent or refused,
   * an alert not refunded and why, and once per company and UTC day, the daily cap used up. Alert ids
   * come from the record, so calling this again for the same state sends nothing twice. A dispute
   * alert's decision (refunded, or not and why) made while its opening message waits is folded into
   * that message instead (`refundReady` keeps the answer, so a retry folds it again); a refund that
   * failed, and the cap, keep their own messages.
   */
  async onRefund(record: RefundDecisionRecord): Promise<void> {
    if (
      record.trigger === 'alert' &&
      record.companyId &&
      record.outcome &&
      MONEY_MOVED.has(record.outcome.code)
    ) {
      await this.deps.alerts.recordActivity(record.companyId, {
        kind: 'refunded',
        caseId: record.alertId ?? record.id,
        amount: record.amount?.minor ?? null,
        currency: record.amount?.currency ?? null,
        at: record.outcome.at,
      });
    }
    const decision = composeRefundAlert(record);
    if (decision && record.trigger === 'alert' && record.alertId && FOLDED_REFUND_KINDS.has(decision.kind)) {
      if ((await this.deps.alerts.refundReady(record.alertId, decision.id)) === 'folded') {
        this.deps.log.info(
          { alertId: record.alertId, refundAlert: decision.id },
          'refund decision folded into the dispute alert message',
        );
      } else await this.notify(decision);
    } else if (decision) await this.notify(decision);
    const cap = composeRefundCapReached(record);
    if (cap) await this.notify(cap);
  }

  /** What a sweep recovered (created or changed without a webhook), one alert per company. */
  async onSweepRecovered(runId: string, caseIds: string[]): Promise<void> {
    const records = (await this.deps.store.getMany(caseIds)).filter((r): r is CaseRecord => Boolean(r));
    const byCompany = new Map<string | null, CaseRecord[]>();
    for (const r of records) byCompany.set(r.companyId, [...(byCompany.get(r.companyId) ?? []), r]);
    for (const [companyId, recovered] of byCompany) {
      const alert = composeSweepRecovered({ runId, companyId, recovered, now: this.now() });
      if (alert) await this.notify(alert);
    }
  }

  /**
   * Calls Whop refused a sweep for want of a permission: one alert per call and day (the sweep runs
   * every SWEEP_INTERVAL and would otherwise repeat it), naming the permission.
   */
  async onSweepRefused(denials: PermissionDenial[]): Promise<void> {
    const day = this.now().toISOString().slice(0, 10);
    const byCall = new Map(denials.map((d) => [d.call, d]));
    for (const denial of byCall.values()) {
      await this.notify(
        composeJobFailed({
          queue: 'sweeps',
          jobId: `${denial.call}.${day}`,
          jobName: 'sweep',
          attempts: 1,
          reason: denial.whopMessage,
          companyId: null,
          permission: denial,
          nextStep: 'the next sweep tries again',
        }),
      );
    }
  }

  /** A job that failed for good (not an alert delivery: that would loop). */
  async onJobFailed(input: Omit<Parameters<typeof composeJobFailed>[0], 'companyId'>) {
    const record = input.caseId ? await this.deps.store.get(input.caseId) : undefined;
    await this.notify(composeJobFailed({ ...input, companyId: record?.companyId ?? null }));
  }

  /** Stream entries a relay moved aside (workers/stream-relay.ts): one alert per batch. */
  async onDeadLetters(batch: Parameters<typeof composeDeadLetters>[0]): Promise<void> {
    await this.notify(composeDeadLetters(batch));
  }

  /** A delivery that failed for good, kept for `GET /api/alerts` (the last 1,000). */
  async recordFailure(alert: Alert, destination: AlertDestination, reason: string): Promise<void> {
    await this.deps.alerts.recordFailure(alert, destination, reason, this.now());
    this.options.onDelivery?.(destination, 'failed');
  }

  /**
   * The daily digest, one per company with something open or done since its last digest: open items by
   * deadline with their case strength, the money at stake, and what the autopilot did and what was won
   * or lost since the last digest (or the last 24 hours, for the first). `scheduledFor` (Unix ms) is the
   * moment its scheduler set it for, so a digest that runs late still counts for its own day
   * (`digestPeriodKey`).
   */
  async digest(scheduledFor?: number): Promise<number> {
    const now = this.now();
    const periodKey = digestPeriodKey(scheduledFor ?? now, this.options.timeZone ?? 'UTC');
    let sent = 0;
    for (const companyId of await this.deps.store.companies()) {
      const open = await this.deps.store.list({ companyId, openOnly: true, limit: 200 });
      const strengths = new Map<string, NonNullable<NonNullable<EvidenceState['draft']>['strength']>>();
      for (const r of open.items) {
        if (r.kind !== 'dispute' || !shouldRemind(r, false)) continue;
        const strength = (await this.deps.evidence.get(r.id))?.draft?.strength;
        if (strength) strengths.set(r.id, strength);
      }
      const since = (await this.deps.alerts.lastDigestAt(companyId)) ?? now.getTime() - DAY;
      const activity = await this.deps.alerts.activityBetween(companyId, since, now.getTime());
      const alert = composeDigest({ companyId, periodKey, records: open.items, now, strengths, activity });
      if (alert) {
        await this.notify(alert);
        sent++;
      }
      // After the alert is queued: a retry composes it from the same start (and its id is the day's).
      await this.deps.alerts.setLastDigestAt(companyId, now.getTime());
    }
    return sent;
  }

  /**
   * For the sweep: the reminders an open record is owed, queued again (a no-op for each whose job
   * exists: the job id is the reminder's key). Returns how many were missing and are queued now.
   */
  async ensureReminders(record: CaseRecord): Promise<number> {
    if (!record.dueAt || !shouldRemind(record, false)) return 0;
    const financed =
      record.kind === 'resolution_case' && financedProvider(await this.paymentMethodType(record)) !== null;
    return this.scheduleReminders(record, financed, { countMissing: true });
  }

  /** Queues the record's reminders; with `countMissing`, returns how many jobs were not there before. */
  private async scheduleReminders(
    record: CaseRecord,
    financed: boolean,
    opts: { countMissing?: boolean } = {},
  ): Promise<number> {
    if (!record.dueAt || !shouldRemind(record, financed)) return 0;
    // An opening message still to go out schedules them itself, covering what is due by then.
    if (await this.deps.alerts.openingPending(record.id)) return 0;
    const times = reminderTimes({
      dueAt: record.dueAt,
      offsetsMs: this.options.reminderOffsetsMs,
      now: this.now(),
      firstSeenAt: record.firstSeenAt,
      coveredUntil: await this.deps.alerts.openingCovered(record.id, record.dueAt),
    });
    if (times.length === 0) return 0;
    const dueAt = record.dueAt;
    const jobs = times.map((t) => reminderJob(record.id, t.offsetMs, dueAt, t.delayMs));
    let missing = 0;
    if (opts.countMissing) {
      const existing = await Promise.all(jobs.map((j) => this.deps.queue.getJob(j.opts.jobId)));
      missing = existing.filter((j) => !j).length;
      if (missing === 0) return 0;
    }
    await this.deps.queue.addBulk(jobs);
    return missing;
  }

  /**
   * Disputes in the last 30 days ÷ payments in the last 30 days, per company. A crossing gives one
   * message naming the highest level reached (never one per level), at most one per company and UTC
   * day: a higher level reached later that day is told by the first dispute of a later day. A level
   * re-arms when the rate falls back below it. The day's message is recorded before it is queued, as a
   * promise: a run that finds it not yet queued (this job's retry after a crash, or any later
   * dispute's that day) queues it, under the id the record fixes.
   */
  private async watchDisputeRate(record: CaseRecord): Promise<void> {
    const companyId = record.companyId!;
    const now = this.now().getTime();
    const { alerts } = this.deps;
    await alerts.recordDispute(companyId, record.id, Date.parse(record.createdAt ?? record.firstSeenAt));
    const disputes30d = await alerts.disputesSince(companyId, now - 30 * DAY);
    let payments30d: number;
    try {
      payments30d = await this.payments30d(companyId);
    } catch (err) {
      // Without payments.list's permissions there is no rate to watch: the rest of the alerts still
      // go out (retrying would not help). `npm run cli -- doctor` names the missing permission.
      if (!isPermissionDenied(err)) throw err;
      this.deps.log.warn(
        { companyId, err: err.message },
        'dispute-rate watch skipped: Whop refused payments.list',
      );
      return;
    }
    const rate = disputeRate({ disputes30d, payments30d });
    const thresholds = this.options.rateThresholds;
    for (const t of thresholds) {
      if (rate === null || rate < t) await alerts.clearThresholdCrossed(companyId, t);
    }
    const level = rateLevel(rate, thresholds);
    if (level === null || rate === null || (await alerts.levelAnnounced(companyId, level))) return;
    const day = new Date(now).toISOString().slice(0, 10);
    const crossing = await alerts.claimRateDay(companyId, day, {
      level,
      at: now,
      disputeId: record.id,
      rate,
      disputes30d,
      payments30d,
    });
    if (crossing.queued) {
      this.deps.log.info({ companyId, level }, 'dispute-rate message held: one went out today already');
      return;
    }
    faultPoint('alerts.after_rate_claim');
    await this.notify(
      composeDisputeRate({
        companyId,
        rate: crossing.rate,
        threshold: crossing.level,
        disputes30d: crossing.disputes30d,
        payments30d: crossing.payments30d,
        asOf: new Date(crossing.at),
        minPayments: this.options.rateMinPayments ?? 0,
      }),
    );
    await alerts.announceLevels(
      companyId,
      thresholds.filter((t) => t <= crossing.level),
    );
    await alerts.markRateDayQueued(companyId, day, crossing.at);
  }

  /** Successful payments in the last 30 days (`COUNTED_PAYMENT_STATUSES`), counted through the API and kept for an hour. */
  private async payments30d(companyId: string): Promise<number> {
    const cached = await this.deps.alerts.cachedPayments30d(companyId);
    if (cached !== null) return cached;
    let count = 0;
    const since = new Date(this.now().getTime() - 30 * DAY).toISOString();
    const payments = this.deps.whop.payments.list({
      company_id: companyId,
      created_after: since,
      statuses: [...COUNTED_PAYMENT_STATUSES],
      first: 100,
    });
    for await (const _ of listItems(payments)) count++;
    await this.deps.alerts.cachePayments30d(companyId, count);
    return count;
  }

  private async paymentMethodType(record: CaseRecord): Promise<string | null> {
    const embedded = (record.whop.payment as { payment_method_type?: string } | null | undefined)
      ?.payment_method_type;
    if (embedded || record.kind !== 'resolution_case' || !record.paymentId) return embedded ?? null;
    try {
      const payment = await this.deps.whop.payments.retrieve(record.paymentId);
      return (payment as { payment_method_type?: string | null }).payment_method_type ?? null;
    } catch {
      // Unknown is treated as not financed: the merchant is reminded rather than left silent.
      return null;
    }
  }

  private async evidenceStatus(record: CaseRecord): Promise<string | undefined> {
    if (record.kind !== 'dispute') return undefined;
    return evidenceStatusLine(record, await this.deps.evidence.get(record.id));
  }

  /** A dispute won or lost, a case decided: for the digest. */
  private async recordOutcome(event: CaseEvent, record: CaseRecord): Promise<void> {
    const outcome = OUTCOMES[event.type] ?? OUTCOMES[`${event.type}:${event.status}`];
    if (outcome) await this.recordActivity(record, outcome, event.at);
  }

  private async recordActivity(
    record: CaseRecord,
    kind: ActivityEntry['kind'],
    at: string | null | undefined,
  ) {
    if (!record.companyId || !at) return;
    let amount: number | null = null;
    try {
      if (record.amount !== null && record.currency) amount = toMinor(record.amount, record.currency);
    } catch {
      // An amount that cannot be sized exactly is left out of the digest's sums.
    }
    await this.deps.alerts.recordActivity(record.companyId, {
      kind,
      caseId: record.id,
      amount,
      currency: amount === null ? null : (record.currency?.toUpperCase() ?? null),
      at,
    });
  }

  private async briefText(record: CaseRecord): Promise<string | undefined> {
    if (record.kind !== 'resolution_case') return undefined;
    const brief = (await this.deps.evidence.getBrief(record.id)) as { text?: string } | undefined;
    return brief?.text;
  }
}
