import { createHash } from 'node:crypto';
import type Whop from '@whop/sdk';
import { APIError } from '@whop/sdk';
import type { Dispute } from '@whop/sdk/resources/disputes';
import { type AccessEvent, type CustomerIdentifiers, customerKeys } from '../access-events/access-event.js';
import type { AccessEventStore } from '../access-events/access-event-store.js';
import { objectCompanyId } from '../cases/company.js';
import { faultPoint } from '../faults/fault-point.js';
import type { Logger } from '../logger/logger.js';
import type { Policy } from '../policy/policy-file.js';
import { resolvePolicy } from '../policy/resolve-policy.js';
import { listItems } from '../whop/pagination.js';
import {
  grantedBy,
  isPermissionDenied,
  type PermissionDenial,
  permissionDenial,
  primaryCall,
} from '../whop/permission-denial.js';
import type { WhopCall } from '../whop/permissions.js';
import { uploadFile } from '../whop/upload-file.js';
import { classifyWhopError } from '../whop/whop-errors.js';
import { renderAccessLogPdf } from './access-log-pdf.js';
import { buildEvidence } from './build-evidence.js';
import { buildCaseBrief } from './case-brief.js';
import { assessCaseStrength, type CaseStrengthOptions } from './case-strength.js';
import type { PriorPayment } from './evidence-facts.js';
import { EvidenceBusy, type EvidenceState, EvidenceStore } from './evidence-store.js';
import { missingFact } from './missing-facts.js';
import {
  type AutoSubmit,
  NEEDS_RESPONSE,
  planEvidenceUpdate,
  submissionTime,
} from './plan-evidence-update.js';

type Obj = Record<string, unknown>;

/** What a key that read the dispute holds: a later 403 on the dispute names only what is beyond it. */
const AFTER_DISPUTE_READ = grantedBy(['disputes.retrieve']);
const AFTER_CASE_READ = grantedBy(['resolutionCenterCases.retrieve']);

/** The secondary lookups of one job that Whop refused (403), with what the key proved it holds. */
interface Refusals {
  granted: ReadonlySet<string>;
  denials: PermissionDenial[];
}

export interface EvidenceAutopilotOptions {
  /** AUTO_SUBMIT and SUBMIT_LEAD from the environment; the policy file may override them per company. */
  defaultMode: AutoSubmit;
  defaultLeadMs: number;
  policy: Policy;
  /** MIN_FIGHT_AMOUNT, for the case strength stored with each draft (for the merchant, never Whop). */
  caseStrength: CaseStrengthOptions;
  /**
   * Puts a submission job on the queue to run at `at`: one job per (dispute, submission number, time),
   * however often asked. Resolves true when it had to create the job (it was missing).
   */
  scheduleSubmission: (disputeId: string, at: Date, submissionNumber: number) => Promise<boolean>;
  /**
   * Queues the alert that evidence was first staged, or submitted (alerts). A failure is logged and the
   * alert stays pending in the evidence state, for the next run or the sweep to queue.
   */
  onEvidence?: (what: 'staged' | 'submitted', state: EvidenceState) => Promise<void>;
  now?: () => Date;
}

export type StageOutcome = 'staged' | 'unchanged' | 'not_needed';
export type SubmitOutcome =
  | 'submitted'
  | 'found_submitted'
  | 'not_editable'
  | 'past_deadline'
  | 'already'
  | 'superseded';

/**
 * The evidence autopilot's I/O: gathers the facts (Whop API, access events, policy), lets the pure
 * builders decide, and applies the result to Whop — staging evidence, attaching the access-log PDF,
 * submitting once. Every step can be run again; what was done is recorded in the evidence store.
 * A promise the state makes (a submission at `scheduledFor`, an alert) has its job queued before or in
 * the write that records it, so a crash between two steps never leaves a promise without its work
 * (docs/EFFECTS.md walks through each step).
 */
export class EvidenceAutopilot {
  private readonly now: () => Date;

  constructor(
    private readonly whop: Whop,
    private readonly evidence: EvidenceStore,
    private readonly accessEvents: AccessEventStore,
    private readonly log: Logger,
    private readonly options: EvidenceAutopilotOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Builds the draft and stages it in Whop; schedules the submission. Safe to run any number of times. */
  async stage(disputeId: string): Promise<StageOutcome> {
    return this.evidence.withLock(disputeId, async () => {
      const dispute = await this.readDispute(disputeId);
      return this.stageLocked(dispute);
    });
  }

  /** Submits the evidence if this is still the scheduled time and Whop still takes it. At most once. */
  async submit(disputeId: string, scheduledFor: string | null): Promise<SubmitOutcome> {
    return this.evidence.withLock(disputeId, async () => {
      const dispute = await this.readDispute(disputeId);
      let state = await this.stateFor(dispute, this.modeFor(dispute).mode);
      if (state.submission.submittedAt) {
        // A run that died after recording the submission may not have queued its alert.
        await this.queuePendingAlerts(state);
        return 'already';
      }
      if (scheduledFor && state.submission.scheduledFor !== scheduledFor) return 'superseded';
      if (!stillTakesEvidence(dispute)) {
        // After a submit we sent but never heard back from (crash, timeout), Whop shows it submitted.
        const outcome = state.submission.attemptedAt ? 'found_submitted' : 'not_editable';
        await this.recordSubmission(state, outcome, null);
        return outcome;
      }
      if (dispute.needs_response_by && Date.parse(dispute.needs_response_by) <= this.now().getTime()) {
        await this.recordSubmission(state, 'past_deadline', null);
        return 'past_deadline';
      }

      // Last refresh: access events that arrived since staging belong in what is submitted.
      await this.stageLocked(dispute, { submitting: true });
      state = (await this.evidence.get(disputeId))!;
      state.submission.attemptedAt = this.now().toISOString();
      state.submission.forStatus = dispute.status;
      await this.evidence.put(state);

      try {
        // No SDK retries: it sends no idempotency key, and a resend could double-submit.
        await primaryCall(
          'disputes.submitEvidence',
          disputeId,
          () => this.whop.disputes.submitEvidence(disputeId, { maxRetries: 0 }),
          AFTER_DISPUTE_READ,
        );
      } catch (err) {
        const after = await this.readDispute(disputeId);
        if (!stillTakesEvidence(after)) {
          await this.recordSubmission(state, 'found_submitted', null);
          return 'found_submitted';
        }
        await this.recordSubmission(state, null, (err as Error).message);
        throw err;
      }
      await this.recordSubmission(state, 'submitted', null);
      this.log.info({ disputeId }, 'evidence submitted');
      return 'submitted';
    });
  }

  /**
   * For the sweep: what the dispute's evidence state promises has its work queued — the scheduled
   * submission's job (added again: a no-op when it exists) and any alert still pending. Skips a dispute
   * another job holds (that job finishes the same work). Returns what was missing and is queued now.
   */
  async ensurePromised(disputeId: string): Promise<{ submission: boolean; alerts: number }> {
    const none = { submission: false, alerts: 0 };
    const stored = await this.evidence.get(disputeId);
    if (!stored) return none;
    let submission = false;
    const { scheduledFor, submittedAt, outcome } = stored.submission;
    if (scheduledFor && !submittedAt && !outcome) {
      submission =
        (await this.options.scheduleSubmission(
          disputeId,
          new Date(scheduledFor),
          submissionNumber(stored),
        )) === true;
    }
    if (stored.stagedAlert !== 'pending' && stored.submission.alert !== 'pending')
      return { ...none, submission };
    try {
      const alerts = await this.evidence.withLock(disputeId, async () => {
        const state = await this.evidence.get(disputeId);
        return state ? this.queuePendingAlerts(state) : 0;
      });
      return { submission, alerts };
    } catch (err) {
      if (err instanceof EvidenceBusy) return { ...none, submission };
      throw err;
    }
  }

  /** A Resolution Center case awaiting the merchant: the brief that goes to them (Whop's API cannot answer). */
  async brief(caseId: string) {
    const rcCase = await primaryCall('resolutionCenterCases.retrieve', caseId, () =>
      this.whop.resolutionCenterCases.retrieve(caseId),
    );
    const refused: Refusals = { granted: AFTER_CASE_READ, denials: [] };
    const payment = await this.optional('payments.retrieve', rcCase.payment.id, refused, () =>
      this.whop.payments.retrieve(rcCase.payment.id),
    );
    const membershipId = (payment?.membership as Obj | null)?.id as string | undefined;
    const memberId = rcCase.member?.id ?? ((payment?.member as Obj | null)?.id as string | undefined);
    const membership = membershipId
      ? await this.optional('memberships.retrieve', membershipId, refused, () =>
          this.whop.memberships.retrieve(membershipId),
        )
      : null;
    const member = memberId
      ? await this.optional('members.retrieve', memberId, refused, () => this.whop.members.retrieve(memberId))
      : null;
    const missingFacts = refused.denials.map((d) => missingFact(d, 'case brief'));
    const accessEvents = await this.accessEvents.forCustomer({
      userId: rcCase.user?.id ?? null,
      membershipId: membershipId ?? null,
      email: ((payment?.user as Obj | null)?.email as string | undefined) ?? null,
    });
    // A case's `company` may be null (SDK 0.0.42): its payment names the company.
    const companyId = objectCompanyId(rcCase) ?? objectCompanyId(payment);
    const productId = ((payment?.product as Obj | null)?.id as string | undefined) ?? null;
    const brief = buildCaseBrief({
      rcCase,
      payment,
      membership,
      member,
      accessEvents,
      policy: resolvePolicy(this.options.policy, companyId, productId),
      now: this.now(),
      missingFacts: missingFacts.map((f) => f.note),
    });
    await this.evidence.putBrief(caseId, { ...brief, missingFacts, builtAt: this.now().toISOString() });
    return brief;
  }

  /**
   * The dispute's evidence state; when an inquiry we answered has escalated into a chargeback, the
   * inquiry's submission is archived so the chargeback gets staged and submitted in its own right.
   */
  private async stateFor(dispute: Dispute, mode: AutoSubmit): Promise<EvidenceState> {
    const state =
      (await this.evidence.get(dispute.id)) ??
      EvidenceStore.empty(dispute.id, objectCompanyId(dispute), mode);
    const answered = state.submission.forStatus;
    if (
      state.submission.submittedAt &&
      answered?.startsWith('warning_') &&
      dispute.status === 'needs_response'
    ) {
      state.previousSubmissions = [...(state.previousSubmissions ?? []), state.submission];
      state.submission = EvidenceStore.empty(dispute.id, null, mode).submission;
    }
    return state;
  }

  /**
   * Stage with the dispute already read and the lock held. `submitting`: the submission's last refresh,
   * which leaves the schedule alone (the running submit job is the one it promised).
   */
  private async stageLocked(dispute: Dispute, opts: { submitting?: boolean } = {}): Promise<StageOutcome> {
    const disputeId = dispute.id;
    const { mode, leadMs } = this.modeFor(dispute);
    const state = await this.stateFor(dispute, mode);
    if (!stillTakesEvidence(dispute) || state.submission.submittedAt) {
      const stored = await this.evidence.get(disputeId);
      if (stored) await this.queuePendingAlerts(stored);
      return 'not_needed';
    }

    const facts = await this.gatherFacts(dispute);
    const draft = buildEvidence({ ...facts, now: this.now() });
    state.draft = {
      fields: draft.fields,
      category: draft.category,
      statements: draft.statements,
      accessEvents: facts.accessEvents.length,
      ce3: draft.ce3,
      // For the merchant (read API, staged alert); never part of what goes to Whop.
      missingFacts: facts.refused.map((d) => missingFact(d, 'evidence')),
      builtAt: this.now().toISOString(),
      warnings: draft.warnings,
      strength: assessCaseStrength(draft.caseFacts, this.options.caseStrength),
    };

    // An earlier run sent an update and died before recording it: if Whop took it, this run finds
    // nothing to send, and it is this run that records that staging (and its alert). Its PDF, uploaded
    // and sent, counts as the one staged: not uploaded and sent again.
    const resumed = Boolean(state.sending);
    // No PDF without use after the purchase: a log of no use argues for the cardholder (issue 12).
    const attachment = draft.attachAccessLog
      ? await this.attachment(dispute, facts.accessEvents, withSendingAttachment(state), facts.purchasedAt)
      : { fileId: null, hash: null, error: null };
    const plan = planEvidenceUpdate({
      whop: dispute as unknown as Obj,
      lastStaged: state.staged?.fields ?? null,
      whopDefaults: state.staged?.whopDefaults ?? null,
      lastAttachmentId: state.staged?.attachmentFileId ?? null,
      draft: draft.fields,
      attachmentId: attachment.fileId,
      sending: state.sending
        ? {
            fields: state.sending.fields,
            ...(state.sending.whopDefaults ? { whopDefaults: state.sending.whopDefaults } : {}),
            attachmentId: state.sending.attachmentFileId,
          }
        : null,
    });
    if (plan.update) {
      // Written ahead of the call, like a submission's attemptedAt: see EvidenceState.sending.
      state.sending = {
        fields: plan.staged,
        whopDefaults: plan.whopDefaults,
        attachmentFileId: plan.attachmentId,
        attachmentEventsHash: plan.attachmentId === attachment.fileId ? attachment.hash : null,
      };
      await this.evidence.put(state);
      const update = plan.update;
      try {
        await primaryCall(
          'disputes.updateEvidence',
          disputeId,
          () => this.whop.disputes.updateEvidence(disputeId, update),
          AFTER_DISPUTE_READ,
        );
      } catch (err) {
        // The dispute may have moved on while the facts were gathered (submitted by the merchant in Whop,
        // or closed): Whop then refuses the update (422 "can no longer be edited"). That is not a fault
        // to alert on: re-read, and if Whop no longer takes evidence there is nothing left to stage.
        if (!(err instanceof APIError && err.status !== undefined && [400, 409, 422].includes(err.status)))
          throw err;
        const now = await this.readDispute(disputeId);
        if (stillTakesEvidence(now)) throw err;
        state.sending = null;
        await this.evidence.put(state);
        this.log.info({ disputeId, status: now.status }, 'dispute no longer takes evidence: nothing staged');
        return 'not_needed';
      }
    }
    // A retry plans again from what Whop now shows: the same values, nothing to send.
    faultPoint('evidence.after_update_evidence');
    const stagedNow = plan.update !== null || resumed;
    state.merchantOwned = plan.merchantOwned;
    state.whopFilled = plan.whopFilled;
    state.sending = null;
    state.staged = {
      fields: plan.staged,
      whopDefaults: plan.whopDefaults,
      attachmentFileId: plan.attachmentId,
      attachmentEventsHash: attachment.hash,
      attachmentError: attachment.error,
      stagedAt: stagedNow ? this.now().toISOString() : (state.staged?.stagedAt ?? this.now().toISOString()),
      updates: (state.staged?.updates ?? 0) + (stagedNow ? 1 : 0),
    };
    state.submission.mode = mode;
    // The first staging's alert is decided in the same write that records the staging.
    if (stagedNow && state.staged.updates === 1) state.stagedAlert = 'pending';
    await this.evidence.trackCustomer(disputeId, facts.identifierKeys);

    const at = submissionTime({ mode, leadMs, dueAt: dispute.needs_response_by, now: this.now() });
    const scheduledFor = opts.submitting ? state.submission.scheduledFor : (at?.toISOString() ?? null);
    if (!opts.submitting) {
      state.submission.scheduledFor = scheduledFor;
      // The job before the state that promises it, on every run (its id makes a re-add a no-op): a
      // crash after the write below then leaves a promise whose job exists.
      if (at) await this.options.scheduleSubmission(disputeId, at, submissionNumber(state));
    }
    await this.evidence.put(state);
    faultPoint('evidence.after_state_write');
    await this.queuePendingAlerts(state);
    this.log.info(
      {
        disputeId,
        sent: plan.update ? Object.keys(plan.update) : [],
        merchantOwned: plan.merchantOwned,
        whopFilled: plan.whopFilled,
        attachmentError: attachment.error,
        scheduledFor,
      },
      stagedNow ? 'evidence staged' : 'evidence already staged',
    );
    return stagedNow ? 'staged' : 'unchanged';
  }

  private modeFor(dispute: Dispute): { mode: AutoSubmit; leadMs: number } {
    const policy = resolvePolicy(this.options.policy, objectCompanyId(dispute), dispute.product?.id ?? null);
    return {
      mode: policy.auto_submit ?? this.options.defaultMode,
      leadMs: policy.submit_lead_ms ?? this.options.defaultLeadMs,
    };
  }

  private async gatherFacts(dispute: Dispute) {
    const refused: Refusals = { granted: AFTER_DISPUTE_READ, denials: [] };
    const paymentId = dispute.payment?.id;
    const payment = paymentId
      ? await this.optional('payments.retrieve', paymentId, refused, () =>
          this.whop.payments.retrieve(paymentId),
        )
      : null;
    // The dispute embeds the payment's user, membership and member: without the full payment (refused,
    // or not found) their own lookups still run.
    const embedded = dispute.payment;
    const buyer = (payment?.user ?? embedded?.user ?? null) as Obj | null;
    const userId = buyer?.id as string | undefined;
    const membershipId = ((payment?.membership ?? embedded?.membership) as Obj | null | undefined)?.id as
      | string
      | undefined;
    const memberId = ((payment?.member ?? embedded?.member) as Obj | null | undefined)?.id as
      | string
      | undefined;
    const [membership, member, user] = await Promise.all([
      membershipId
        ? this.optional('memberships.retrieve', membershipId, refused, () =>
            this.whop.memberships.retrieve(membershipId),
          )
        : null,
      memberId
        ? this.optional('members.retrieve', memberId, refused, () => this.whop.members.retrieve(memberId))
        : null,
      userId
        ? this.optional('users.retrieve', userId, refused, () => this.whop.users.retrieve(userId))
        : null,
    ]);
    const email = (buyer?.email as string | undefined) ?? null;
    const identifiers: CustomerIdentifiers = {
      userId: userId ?? null,
      membershipId: membershipId ?? null,
      email,
    };
    const accessEvents = await this.accessEvents.forCustomer(identifiers);
    const priorPayments = await this.priorPayments(dispute, userId, paymentId, refused);
    const companyId = objectCompanyId(dispute);
    return {
      dispute,
      payment,
      membership,
      member,
      user,
      accessEvents,
      priorPayments,
      policy: resolvePolicy(this.options.policy, companyId, dispute.product?.id ?? null),
      purchasedAt:
        (payment?.paid_at as string | null | undefined) ??
        (payment?.created_at as string | undefined) ??
        null,
      identifierKeys: customerKeys(identifiers),
      refused: refused.denials,
    };
  }

  /** The customer's other payments with this company (for Visa Compelling Evidence 3.0). */
  private async priorPayments(
    dispute: Dispute,
    userId: string | undefined,
    paymentId: string | undefined,
    refused: Refusals,
  ) {
    const companyId = objectCompanyId(dispute);
    if (!userId || !companyId) return [];
    const out: PriorPayment[] = [];
    try {
      for await (const payment of listItems(
        this.whop.payments.list({ company_id: companyId, query: userId, first: 100 }),
      )) {
        if (payment.id === paymentId) continue;
        // The search also matches names and emails: keep only this customer's payments.
        if (payment.user?.id && payment.user.id !== userId) continue;
        // Visa CE 3.0 counts only transactions never disputed nor reported as fraud. A list item has no
        // `disputes[]` (retrieve only): its substatus tells a dispute, `dispute_alerted_at` any dispute
        // alert (fraud reports included; the list does not say which kind, so any alert excludes it).
        const substatus = String(payment.substatus ?? '');
        const disputed =
          substatus.startsWith('dispute') ||
          Boolean(payment.dispute_alerted_at) ||
          (((payment as unknown as Obj).disputes as unknown[] | undefined) ?? []).length > 0;
        out.push({ payment, disputed });
        if (out.length >= 200) break;
      }
    } catch (err) {
      // Prior payments only strengthen a fraud argument; without them the evidence still stands.
      if (isPermissionDenied(err)) {
        refused.denials.push(permissionDenial('payments.list', null, err, refused.granted));
        return [];
      }
      this.log.warn({ disputeId: dispute.id, err: (err as Error).message }, 'could not list prior payments');
    }
    return out;
  }

  /**
   * Uploads the access-log PDF when its events changed since the last upload, as a private file (it
   * holds the customer's IPs and emails; see upload-file.ts). An upload that fails never stops the
   * staging: the evidence goes without a new PDF (our previous one stays attached, if any), `error` says
   * why, and the next run tries again (the events hash is not recorded as uploaded).
   */
  private async attachment(
    dispute: Dispute,
    events: AccessEvent[],
    state: EvidenceState,
    purchasedAt: string | null,
  ): Promise<{ fileId: string | null; hash: string | null; error: string | null }> {
    const hash = createHash('sha256')
      .update(events.map((e) => e.eventId).join('\n'))
      .digest('hex')
      .slice(0, 32);
    const previous = {
      fileId: state.staged?.attachmentFileId ?? null,
      hash: state.staged?.attachmentEventsHash ?? null,
    };
    if (previous.fileId && previous.hash === hash) return { ...previous, error: null };
    const pdf = await renderAccessLogPdf({
      disputeId: dispute.id,
      merchant: dispute.company?.title ?? dispute.company?.id ?? 'the merchant',
      customer: customerLabel(dispute),
      purchasedAt,
      events,
      generatedAt: this.now(),
    });
    try {
      const file = await uploadFile(this.whop, {
        filename: `access-log-${dispute.id}.pdf`,
        bytes: new Uint8Array(pdf),
        visibility: 'private',
      });
      return { fileId: file.id, hash, error: null };
    } catch (err) {
      const error = `access-log PDF not uploaded: ${(err as Error).message}`;
      this.log.warn({ disputeId: dispute.id, err: (err as Error).message }, error);
      return { ...previous, error };
    }
  }

  private async recordSubmission(
    state: EvidenceState,
    outcome: EvidenceState['submission']['outcome'],
    error: string | null,
  ) {
    if (outcome === 'submitted' || outcome === 'found_submitted') {
      state.submission.submittedAt = this.now().toISOString();
      state.submission.alert = 'pending';
    }
    if (outcome) state.submission.outcome = outcome;
    state.submission.lastError = error;
    await this.evidence.put(state);
    faultPoint('evidence.after_submission_record');
    await this.queuePendingAlerts(state);
  }

  /**
   * Queues the alerts the state holds as pending, then records them queued. A crash in between queues
   * them again on the next run, under the same alert ids: one alert each. Returns how many it queued.
   */
  private async queuePendingAlerts(state: EvidenceState): Promise<number> {
    let queued = 0;
    if (state.stagedAlert === 'pending' && (await this.tell('staged', state))) {
      state.stagedAlert = 'queued';
      queued++;
    }
    if (state.submission.alert === 'pending' && (await this.tell('submitted', state))) {
      state.submission.alert = 'queued';
      queued++;
    }
    if (queued) await this.evidence.put(state);
    return queued;
  }

  /** False when the alert could not be queued: it stays pending (logged). */
  private async tell(what: 'staged' | 'submitted', state: EvidenceState): Promise<boolean> {
    try {
      await this.options.onEvidence?.(what, state);
      return true;
    } catch (err) {
      this.log.warn(
        { disputeId: state.disputeId, err: (err as Error).message },
        'could not queue evidence alert; it stays pending',
      );
      return false;
    }
  }

  /**
   * A related object Whop cannot show us is a missing fact, not a failure: a 404, or a 403 (the key
   * lacks a permission), which is recorded in `refused` for the merchant. Anything else propagates.
   */
  private async optional<T>(
    call: WhopCall,
    objectId: string,
    refused: Refusals,
    read: () => Promise<T>,
  ): Promise<T | null> {
    try {
      return await read();
    } catch (err) {
      if (classifyWhopError(err).kind === 'not_found') return null;
      if (isPermissionDenied(err)) {
        const denial = permissionDenial(call, objectId, err, refused.granted);
        refused.denials.push(denial);
        this.log.warn(
          { call, objectId, permissions: denial.permissions },
          'whop refused a lookup: built without it',
        );
        return null;
      }
      throw err;
    }
  }

  /** The dispute a job is about: a 403 fails the job visibly (see `primaryCall`). */
  private readDispute(disputeId: string): Promise<Dispute> {
    return primaryCall('disputes.retrieve', disputeId, () => this.whop.disputes.retrieve(disputeId));
  }
}

/** The state as `attachment()` should see it: a PDF an interrupted update was sending counts as staged. */
function withSendingAttachment(state: EvidenceState): EvidenceState {
  const { sending } = state;
  if (!sending?.attachmentFileId || !sending.attachmentEventsHash) return state;
  const staged = state.staged ?? { fields: {}, stagedAt: '', updates: 0 };
  return {
    ...state,
    staged: {
      ...staged,
      attachmentFileId: sending.attachmentFileId,
      attachmentEventsHash: sending.attachmentEventsHash,
    },
  };
}

/** 1 for a dispute's first submission, 2 for the chargeback's after an answered inquiry… */
function submissionNumber(state: EvidenceState): number {
  return (state.previousSubmissions?.length ?? 0) + 1;
}

function stillTakesEvidence(d: Dispute): boolean {
  return NEEDS_RESPONSE.has(d.status) && d.editable !== false;
}

function customerLabel(d: Dispute): string {
  const u = d.payment?.user as Obj | null | undefined;
  const parts = [u?.name, u?.username, u?.email, u?.id].filter((x) => typeof x === 'string' && x);
  return parts.length ? parts.join(', ') : 'unknown customer';
}
