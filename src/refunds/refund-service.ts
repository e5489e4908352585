/**
 * The one path by which the service moves money: a dispute alert's auto-refund (`onDisputeAlert`) and a
 * refund a person asks for (`refundOnRequest`) both decide with pure functions (decide-refund.ts,
 * decide-manual-refund.ts) on the payment as Whop shows it now, then act **exactly once**:
 *
 * 1. under the payment's lock (refund-store.ts), so two refunds of one payment never overlap;
 * 2. first settle an earlier attempt on the payment with no known outcome (a timeout, a 5xx, a worker
 *    that died): re-read the payment's `refunds[]` and `refunded_amount` to learn what really happened;
 * 3. store the attempt marker (and, for an auto-refund, its place in the company's daily cap) before
 *    the call;
 * 4. `payments.refund(id, { partial_amount }, { maxRetries: 0 })`: the SDK sends no idempotency key and
 *    would resend a refund on its own (WHOP-REFERENCE "SDK retries"); the amount leaves minor units only
 *    here (`toDecimal`);
 * 5. store the outcome; when the answer was lost, re-read and decide from what the payment shows;
 * 6. then, if the rule says so, cancel the membership, with its own attempt marker and re-read.
 *
 * Every decision and outcome lands in the alert's case timeline and goes to `onRecorded` (alerts).
 * Errors: `RefundBusy` (another refund of the payment is running), `RefundInDoubt` (an answer was lost
 * and the payment does not show the refund yet: try later), `RefundNotRecorded` (Whop refunded but Redis
 * could not record it), Whop's SDK errors from reads, Redis errors.
 */
import type Whop from '@whop/sdk';
import { APIError } from '@whop/sdk';
import type { Payment } from '@whop/sdk/resources/shared';
import type { TimelineAction } from '../cases/case-record.js';
import { objectCompanyId } from '../cases/company.js';
import { faultPoint } from '../faults/fault-point.js';
import type { Logger } from '../logger/logger.js';
import { formatMinor, toDecimal } from '../money/money.js';
import type { RefundRules } from '../policy/refund-rules.js';
import type { CaseStore } from '../store/case-store.js';
import { RetryableWhopError, retryAfterMs, whopMessage } from '../whop/whop-errors.js';
import { decideManualRefund } from './decide-manual-refund.js';
import { type AlertFacts, decideRefund, type RefundDecision, type RefundedToday } from './decide-refund.js';
import {
  alertDecisionId,
  findAttemptedRefund,
  MONEY_MOVED,
  manualDecisionId,
  type RefundDecisionRecord,
  type RefundOutcomeCode,
  recordAmount,
  refundsBefore,
  utcDay,
} from './refund-record.js';
import type { RefundStore } from './refund-store.js';

/**
 * After an attempt whose answer was lost, how long a re-read that shows no refund is not yet trusted to
 * mean none was made: twice the Whop client's 30 s timeout (src/whop/whop-client.ts), so a request Whop
 * was still working on when the client gave up has finished.
 */
export const DEFAULT_SETTLE_MS = 60_000;

/** Whop answered and refused: nothing was refunded (the SDK's 400, 401, 403, 404 and 422 errors). */
const REFUSED_STATUSES = new Set([400, 401, 403, 404, 422]);

/** Membership statuses after which there is nothing left to cancel (SDK shared.ts `MembershipStatus`). */
const ENDED_MEMBERSHIP = new Set(['canceled', 'expired', 'completed']);

/** A refund call's answer was lost and the payment does not show the refund (yet). Retry later. */
export class RefundInDoubt extends Error {
  readonly code = 'refund_in_doubt';
  constructor(
    readonly paymentId: string,
    readonly decisionId: string,
    /** When a re-read may settle it (ms); undefined: as soon as Whop answers again. */
    readonly retryAfterMs: number | undefined,
    /** True when the call in doubt was made just now; false for an earlier attempt still unsettled. */
    readonly sentNow: boolean,
  ) {
    super(`the refund of payment ${paymentId} (${decisionId}) was sent but Whop has not confirmed it yet`);
    this.name = 'RefundInDoubt';
  }
}

/** Whop confirmed the refund but Redis could not record it; the attempt marker makes a re-run find it. */
export class RefundNotRecorded extends Error {
  readonly code = 'refund_not_recorded';
  constructor(
    readonly record: RefundDecisionRecord,
    cause: unknown,
  ) {
    super(`refund ${record.id} went through but could not be recorded: ${(cause as Error)?.message}`);
    this.name = 'RefundNotRecorded';
  }
}

export interface RefundServiceDeps {
  whop: Whop;
  store: RefundStore;
  /** Dispute alert records: their company, and their timeline. */
  cases: CaseStore;
  log: Logger;
  /** The company's auto-refund rules (src/policy/resolve-policy.ts): needed for dispute alerts only. */
  rulesFor?: (companyId: string) => RefundRules;
  /** Told each time a decision or an outcome is stored (the alerts). Must be idempotent. */
  onRecorded?: (record: RefundDecisionRecord) => Promise<void>;
  /** Told each outcome once it is stored (metrics); must not throw. */
  onOutcome?: (code: RefundOutcomeCode) => void;
  now?: () => Date;
  settleMs?: number;
}

/** What a person asked for: a decimal string in the payment's currency (all that is left when absent). */
export interface RefundRequest {
  amount?: string | null;
  reason?: string | null;
}

type Outcome = NonNullable<RefundDecisionRecord['outcome']>;

/** A settled decision needs no call to Whop any more (perhaps still its membership step). */
function isSettled(record: RefundDecisionRecord): boolean {
  if (record.decision.action !== 'refund') return true;
  return record.outcome !== null && record.outcome.code !== 'not_refunded';
}

/**
 * Which daily cap a refund that `reachesDailyCap` uses up: the count, else the amount in its currency.
 * `used` includes this refund.
 */
function capUsedUp(
  rules: RefundRules,
  today: RefundedToday,
  { currency, amountMinor }: { currency: string; amountMinor: number },
): NonNullable<RefundDecisionRecord['dailyCap']> {
  const { count, amount } = rules.daily_cap;
  if (today.count + 1 >= count) {
    return { rule: 'daily_cap.count', limit: count, used: today.count + 1, currency: null };
  }
  return {
    rule: 'daily_cap.amount',
    limit: amount[currency] ?? 0,
    used: (today.amountMinor[currency] ?? 0) + amountMinor,
    currency,
  };
}

export class RefundService {
  private readonly now: () => Date;
  private readonly settleMs: number;

  constructor(private readonly deps: RefundServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.settleMs = deps.settleMs ?? DEFAULT_SETTLE_MS;
  }

  /**
   * Decides and acts on one dispute alert, once however often it is called (a redelivered webhook, a
   * retried or taken-over job): a settled decision is only completed (membership, timeline, alerts).
   * Re-reads the alert and its payment from Whop. Returns the decision record.
   */
  async onDisputeAlert(alertId: string): Promise<RefundDecisionRecord> {
    const id = alertDecisionId(alertId);
    const known = await this.deps.store.get(id);
    if (known?.paymentId && isSettled(known)) {
      return this.deps.store.withPaymentLock(known.paymentId, () => this.complete(known));
    }
    const alert = await this.deps.whop.disputeAlerts.retrieve(alertId);
    const paymentId = alert.payment?.id;
    if (!paymentId) {
      return this.saveDecision(this.baseRecord(id, 'alert', alertId, null, null, 1), {
        action: 'skip',
        code: 'no_payment',
        rule: 'guard',
        reason: 'The alert names no payment: nothing to refund.',
      });
    }
    return this.deps.store.withPaymentLock(paymentId, async () => {
      await this.settlePending(paymentId);
      let current = await this.deps.store.get(id);
      // An attempt of ours without an outcome is always the payment's pending one (both are written
      // together), so settlePending has settled it; should the marker ever be missing, settle it here
      // rather than decide again on top of it.
      if (current?.attempt && !current.outcome) {
        current = await this.settle(current, await this.deps.whop.payments.retrieve(paymentId), false);
      }
      if (current && isSettled(current)) return this.complete(current);
      return this.decideAlert(alert, paymentId, (current?.round ?? 0) + 1);
    });
  }

  /**
   * A refund a person asked for (`POST /api/payments/:id/refund`): the same guards and the same
   * exactly-once path, no auto-refund rule. Returns the record: `decision.action` `refuse` (a guard
   * refused; nothing sent) or `refund` with its outcome (`refused` when Whop refused).
   */
  async refundOnRequest(paymentId: string, request: RefundRequest): Promise<RefundDecisionRecord> {
    return this.deps.store.withPaymentLock(paymentId, async () => {
      await this.settlePending(paymentId);
      const payment = await this.deps.whop.payments.retrieve(paymentId);
      const now = this.now();
      const decision = decideManualRefund({ payment, amount: request.amount ?? null });
      const record = this.baseRecord(
        manualDecisionId(paymentId, now),
        'manual',
        null,
        paymentId,
        objectCompanyId(payment),
        1,
      );
      record.requestReason = request.reason?.trim() || null;
      if (decision.action === 'refuse') {
        return this.saveDecision(record, {
          action: 'refuse',
          code: decision.code,
          rule: null,
          reason: decision.reason,
        });
      }
      record.decision = { action: 'refund', code: 'refund', rule: 'manual', reason: decision.reason };
      record.amount = recordAmount(decision.amountMinor, decision.currency);
      record.doneReason = decision.doneReason;
      record.attempt = { at: now.toISOString(), day: utcDay(now), before: refundsBefore(payment) };
      await this.deps.store.startAttempt(record);
      return this.send(record);
    });
  }

  private async decideAlert(
    alert: AlertFacts,
    paymentId: string,
    round: number,
  ): Promise<RefundDecisionRecord> {
    const { whop, store, cases } = this.deps;
    const payment = await whop.payments.retrieve(paymentId);
    // Alerts carry no company. The payment just re-read names it (Whop's answer now, as the company
    // resolver ranks it above an envelope's hint); else the alert's record (src/reconcile/company-resolver.ts).
    const companyId = objectCompanyId(payment) ?? (await cases.get(alert.id))?.companyId ?? null;
    const id = alertDecisionId(alert.id);
    const base = () => this.baseRecord(id, 'alert', alert.id, paymentId, companyId, round);
    if (!companyId) {
      return this.saveDecision(base(), {
        action: 'skip',
        code: 'company_unknown',
        rule: 'guard',
        reason:
          'Neither the alert nor its payment names a company, so no company’s rules or daily cap apply: not refunded.',
      });
    }
    if (!this.deps.rulesFor)
      throw new Error('RefundService was built without rulesFor: cannot decide alerts');
    const rules = this.deps.rulesFor(companyId);
    // A reservation the cap refused means the fresh count now says "cap reached": one more try decides so.
    for (let tries = 0; tries < 3; tries++) {
      const now = this.now();
      const day = utcDay(now);
      const today = await store.refundedToday(companyId, day);
      const decision = decideRefund({ alert, payment, rules, alreadyRefunded: today, now: now.getTime() });
      const record = base();
      this.describe(record, decision);
      if (decision.action !== 'refund') return this.saveDecision(record, record.decision);
      if (decision.reachesDailyCap) record.dailyCap = capUsedUp(rules, today, decision);
      record.attempt = { at: now.toISOString(), day, before: refundsBefore(payment) };
      const cap = { count: rules.daily_cap.count, amountMinor: rules.daily_cap.amount[decision.currency] };
      if (await store.startAttempt(record, cap)) return this.send(record);
    }
    throw new Error(`the daily cap of ${companyId} kept changing while deciding alert ${alert.id}`);
  }

  /** Copies a decision of decide-refund.ts into the record. */
  private describe(record: RefundDecisionRecord, decision: RefundDecision): void {
    record.decision = {
      action: decision.action,
      code: decision.code,
      rule: decision.rule,
      reason: decision.reason,
    };
    if ('amountMinor' in decision) record.amount = recordAmount(decision.amountMinor, decision.currency);
    if (decision.action === 'refund') {
      record.doneReason = decision.doneReason;
      record.reachesDailyCap = decision.reachesDailyCap;
    }
    if ('membershipId' in decision && decision.cancelMembership && decision.membershipId) {
      record.membership = { id: decision.membershipId, attemptedAt: null, outcome: null };
    }
    if (decision.action === 'skip' && decision.code === 'daily_cap_reached') {
      record.dailyCap = { rule: decision.rule, ...decision.dailyCap };
    }
  }

  /** The refund call itself, the attempt marker already stored. */
  private async send(record: RefundDecisionRecord): Promise<RefundDecisionRecord> {
    const paymentId = record.paymentId!;
    const amount = record.amount!;
    faultPoint('refund.before_call');
    let after: Payment;
    try {
      after = await this.deps.whop.payments.refund(
        paymentId,
        // Whop's decimal, at the edge only (money.ts: exact for every amount we hold).
        { partial_amount: toDecimal(amount.minor, amount.currency) },
        { maxRetries: 0 },
      );
    } catch (err) {
      return this.onCallFailed(record, err);
    }
    faultPoint('refund.after_call');
    const found = findAttemptedRefund(after, record.attempt!, amount.minor);
    const outcome = found?.failed
      ? this.outcome(record, 'failed', found.refundId)
      : this.outcome(record, 'refunded', found?.refundId ?? null);
    try {
      await this.finishAttempt(record, outcome.code === 'failed');
    } catch (err) {
      throw new RefundNotRecorded(record, err);
    }
    return this.complete(record);
  }

  /** Whop refused (nothing refunded), rate-limited (nothing sent), or the answer was lost (re-read). */
  private async onCallFailed(record: RefundDecisionRecord, err: unknown): Promise<RefundDecisionRecord> {
    const paymentId = record.paymentId!;
    if (err instanceof APIError && err.status !== undefined && REFUSED_STATUSES.has(err.status)) {
      this.outcome(record, 'refused', null, whopMessage(err));
      await this.finishAttempt(record, true);
      return this.complete(record);
    }
    if (err instanceof APIError && err.status === 429) {
      // Turned away before Whop looked at it: nothing was sent. An alert is decided again later.
      this.outcome(record, 'not_refunded', null, 'Whop asked to slow down (429) before refunding');
      await this.finishAttempt(record, true);
      throw new RetryableWhopError('whop answered 429 to the refund', retryAfterMs(err.headers));
    }
    this.deps.log.warn(
      { decisionId: record.id, paymentId, err: (err as Error)?.message },
      'refund call without an answer: re-reading the payment',
    );
    let payment: Payment;
    try {
      payment = await this.deps.whop.payments.retrieve(paymentId);
    } catch {
      throw new RefundInDoubt(paymentId, record.id, undefined, true);
    }
    return this.settle(record, payment, true);
  }

  /** Settles the payment's attempt with no known outcome, if there is one (re-reading the payment). */
  private async settlePending(paymentId: string): Promise<void> {
    const pending = await this.deps.store.pending(paymentId);
    if (!pending?.attempt || pending.outcome) return;
    const payment = await this.deps.whop.payments.retrieve(paymentId);
    await this.settle(pending, payment, false);
  }

  /**
   * What the payment, read after an attempt, says about it: the refund is there (or listed as failed),
   * or — once no late refund can appear (`settleMs` after the attempt) — it is not and nothing was
   * refunded. Throws RefundInDoubt before that.
   */
  private async settle(
    record: RefundDecisionRecord,
    payment: Payment,
    sentNow: boolean,
  ): Promise<RefundDecisionRecord> {
    const attempt = record.attempt!;
    const found = findAttemptedRefund(payment, attempt, record.amount!.minor);
    if (found) {
      this.outcome(record, found.failed ? 'failed' : 'found_refunded', found.refundId);
    } else {
      const waited = this.now().getTime() - Date.parse(attempt.at);
      if (waited < this.settleMs) {
        throw new RefundInDoubt(record.paymentId!, record.id, this.settleMs - waited, sentNow);
      }
      this.outcome(record, 'not_refunded', null);
    }
    await this.finishAttempt(record, !MONEY_MOVED.has(record.outcome!.code));
    this.deps.log.info(
      { decisionId: record.id, outcome: record.outcome },
      'refund attempt settled by re-reading the payment',
    );
    return this.complete(record);
  }

  /** Stores the attempt's outcome (`releaseCap`: give back the daily cap), then counts it. */
  private async finishAttempt(record: RefundDecisionRecord, releaseCap: boolean): Promise<void> {
    await this.deps.store.finishAttempt(record, releaseCap);
    if (record.outcome) this.deps.onOutcome?.(record.outcome.code);
  }

  private outcome(
    record: RefundDecisionRecord,
    code: RefundOutcomeCode,
    refundId: string | null,
    whopSaid?: string,
  ): Outcome {
    const what = record.amount ? formatMinor(record.amount.minor, record.amount.currency) : 'the refund';
    const done = record.doneReason ?? `Refunded ${what}.`;
    const reason = {
      refunded: done,
      found_refunded: `${done.replace(/\.$/, '')} (Whop’s answer was lost; the payment shows the refund).`,
      failed: `Whop lists the refund of ${what} as failed: the customer was not refunded.`,
      refused: `Whop refused the refund of ${what}${whopSaid ? ` (“${whopSaid}”)` : ''}: nothing was refunded.`,
      not_refunded: `Whop never confirmed the refund of ${what}${whopSaid ? ` (${whopSaid})` : ''} and the payment shows none: nothing was refunded.`,
    }[code];
    record.outcome = { code, at: this.now().toISOString(), refundId, reason };
    return record.outcome;
  }

  /**
   * What follows a settled decision: the membership (rule `cancel_membership`, after money moved), then
   * the timeline and the alerts. Each step is done once however often this runs.
   */
  private async complete(record: RefundDecisionRecord): Promise<RefundDecisionRecord> {
    if (record.outcome && MONEY_MOVED.has(record.outcome.code)) await this.cancelMembership(record);
    try {
      await this.afterRecorded(record);
    } catch (err) {
      // A job retries (each step is once); a request is answered with what was done, which is recorded.
      if (record.trigger === 'alert') throw err;
      this.deps.log.error(
        { decisionId: record.id, err: (err as Error).message },
        'refund recorded, alert not queued',
      );
    }
    return record;
  }

  /**
   * Cancels the payment's membership at once (`cancellation_mode: 'immediate'`: the customer has their
   * money back), exactly once: a membership already ended is left alone; an attempt without an answer
   * is settled by re-reading the membership before anything is sent again.
   */
  private async cancelMembership(record: RefundDecisionRecord): Promise<void> {
    const m = record.membership;
    if (!m || m.outcome) return;
    const { whop, store } = this.deps;
    const at = () => this.now().toISOString();
    const status = (await whop.memberships.retrieve(m.id)).status;
    if (ENDED_MEMBERSHIP.has(status)) {
      m.outcome = m.attemptedAt
        ? {
            code: 'found_canceled',
            at: at(),
            reason: `Membership ${m.id} cancelled (rule cancel_membership).`,
          }
        : {
            code: 'already_ended',
            at: at(),
            reason: `Membership ${m.id} had already ended (${status}): nothing to cancel.`,
          };
      await store.save(record);
      return;
    }
    m.attemptedAt = at();
    await store.save(record);
    try {
      await whop.memberships.cancel(m.id, { cancellation_mode: 'immediate' }, { maxRetries: 0 });
      m.outcome = {
        code: 'canceled',
        at: at(),
        reason: `Membership ${m.id} cancelled (rule cancel_membership).`,
      };
    } catch (err) {
      // No answer: the next run re-reads the membership before sending anything again.
      if (!(err instanceof APIError && err.status !== undefined && REFUSED_STATUSES.has(err.status)))
        throw err;
      m.outcome = {
        code: 'refused',
        at: at(),
        reason: `Whop refused to cancel membership ${m.id} (“${whopMessage(err)}”): cancel it in Whop.`,
      };
    }
    await store.save(record);
  }

  /** Case timeline (alerts only) and the alerts: each entry and alert once per step. */
  private async afterRecorded(record: RefundDecisionRecord): Promise<void> {
    if (record.alertId) {
      const step = (key: string, at: string, code: string, rule: string | null, reason: string) =>
        this.deps.cases.appendAction(record.alertId!, `refund:${record.id}:${record.round}:${key}`, {
          at,
          source: 'refunds',
          change: 'action',
          action: { code, rule, reason, ref: record.id },
        } satisfies TimelineAction);
      const { decision, outcome, membership } = record;
      await step('decided', record.decidedAt, decision.code, decision.rule, decision.reason);
      if (outcome) await step('outcome', outcome.at, outcome.code, null, outcome.reason);
      if (membership?.outcome) {
        const o = membership.outcome;
        await step('membership', o.at, `membership_${o.code}`, 'cancel_membership', o.reason);
      }
    }
    await this.deps.onRecorded?.(record);
  }

  private async saveDecision(
    record: RefundDecisionRecord,
    decision: RefundDecisionRecord['decision'],
  ): Promise<RefundDecisionRecord> {
    record.decision = decision;
    await this.deps.store.save(record);
    await this.afterRecorded(record);
    return record;
  }

  private baseRecord(
    id: string,
    trigger: RefundDecisionRecord['trigger'],
    alertId: string | null,
    paymentId: string | null,
    companyId: string | null,
    round: number,
  ): RefundDecisionRecord {
    return {
      id,
      trigger,
      alertId,
      paymentId,
      companyId,
      decidedAt: this.now().toISOString(),
      round,
      decision: { action: 'skip', code: 'undecided', rule: null, reason: '' },
      amount: null,
      requestReason: null,
      doneReason: null,
      dailyCap: null,
      reachesDailyCap: false,
      attempt: null,
      outcome: null,
      membership: null,
    };
  }
}
