import type {
  ResolutionCenterCaseCustomerResponse,
  ResolutionCenterCaseIssueType,
  ResolutionCenterCaseMerchantResponse,
  ResolutionCenterCasePlatformResponse,
  ResolutionCenterCaseStatus,
} from '@whop/sdk/resources';
import { DAY_MS, toIso, toMs } from '../clock.js';
import { baseRecord, type EmitOptions, emit, type SimContext, touch } from '../context.js';
import { invalidParam, unprocessable } from '../errors.js';
import { newId } from '../ids.js';
import { serializeCase } from '../serializers.js';
import type { ResolutionCaseRecord, ResolutionEvent } from '../state.js';
import { requireRecord } from './catalog.js';
import { isCrypto, isFinanced } from './payment-methods.js';
import { derivePayment, OPEN_CASE_STATUSES } from './payment-status.js';
import { createRefund } from './refunds.js';

export const CASE_STATUSES: readonly ResolutionCenterCaseStatus[] = [
  'merchant_response_needed',
  'customer_response_needed',
  'merchant_info_needed',
  'customer_info_needed',
  'under_platform_review',
  'customer_won',
  'merchant_won',
  'customer_withdrew',
];

type When = Date | string | number;

/**
 * Whop's OpenAPI lists `platform_refund` among platform response actions; @whop/sdk 0.0.42's
 * `ResolutionCenterCasePlatformResponse` does not, so a client must expect a value outside the SDK's enum.
 */
export const PLATFORM_REFUND = 'platform_refund' as ResolutionCenterCasePlatformResponse;

export interface OpenCaseInput {
  paymentId: string;
  /** Default `item_not_received`. */
  issue?: ResolutionCenterCaseIssueType;
  /** Default `merchant_response_needed`. */
  status?: ResolutionCenterCaseStatus;
  /** Default: 7 days after opening (Whop decides if the merchant hasn't answered by then). */
  dueDate?: When | null;
  /** The customer's statement, recorded on the `created` event. */
  details?: string | null;
  createdAt?: When;
}

export interface MoveCaseChanges {
  merchantResponseActions?: ResolutionCenterCaseMerchantResponse[];
  customerResponseActions?: ResolutionCenterCaseCustomerResponse[];
  platformResponseActions?: ResolutionCenterCasePlatformResponse[];
  dueDate?: When | null;
  /** The resolution event to append; a sensible default is derived from the new status. */
  event?: {
    action: ResolutionEvent['action'];
    reporterType?: ResolutionEvent['reporter_type'];
    details?: string | null;
  };
}

export interface DecideCaseOptions {
  /** Refund what is left of the payment when the customer wins. Default true for customer_won. */
  refund?: boolean;
  /** Offer the losing side an `appeal` action (only if it has not appealed yet). Default true. */
  appealable?: boolean;
  details?: string | null;
}

function actionsFor(status: ResolutionCenterCaseStatus) {
  const merchant: ResolutionCenterCaseMerchantResponse[] = [];
  const customer: ResolutionCenterCaseCustomerResponse[] = [];
  const platform: ResolutionCenterCasePlatformResponse[] = [];
  switch (status) {
    case 'merchant_response_needed':
      merchant.push('accept', 'deny', 'request_more_info');
      break;
    case 'merchant_info_needed':
      merchant.push('respond', 'accept');
      break;
    case 'customer_response_needed':
    case 'customer_info_needed':
      customer.push('respond', 'withdraw');
      break;
    case 'under_platform_review':
      platform.push(
        'request_buyer_info',
        'request_merchant_info',
        'merchant_wins',
        'merchant_refund',
        PLATFORM_REFUND,
      );
      break;
    default:
      break;
  }
  return { merchant, customer, platform };
}

function defaultEvent(status: ResolutionCenterCaseStatus): MoveCaseChanges['event'] & object {
  switch (status) {
    case 'merchant_response_needed':
      return { action: 'responded', reporterType: 'customer' };
    case 'customer_response_needed':
      return { action: 'denied', reporterType: 'merchant' };
    case 'merchant_info_needed':
      return { action: 'requested_more_info', reporterType: 'platform' };
    case 'customer_info_needed':
      return { action: 'requested_more_info', reporterType: 'merchant' };
    case 'under_platform_review':
      return { action: 'escalated', reporterType: 'system' };
    case 'customer_withdrew':
      return { action: 'withdrew', reporterType: 'customer' };
    case 'customer_won':
      return { action: 'accepted', reporterType: 'platform' };
    case 'merchant_won':
      return { action: 'denied', reporterType: 'platform' };
  }
}

function addEvent(
  ctx: SimContext,
  c: ResolutionCaseRecord,
  action: ResolutionEvent['action'],
  reporter: ResolutionEvent['reporter_type'],
  details: string | null = null,
  at = ctx.clock.nowIso(),
): void {
  c.events.push({ id: newId('resolutionEvent'), action, reporter_type: reporter, details, created_at: at });
}

function touchCase(ctx: SimContext, c: ResolutionCaseRecord): void {
  touch(ctx, c, ctx.state.payments.get(c.payment_id));
}

/**
 * A customer opens a case. Whop's rules: one case per payment, within 120 days of the payment,
 * never on a refunded or crypto (Coinbase) payment (nor, inferred, on one already charged back).
 * "Refunded" is taken as fully refunded: a partial refund leaves money to claim (Whop does not say).
 * On a financed payment (Splitit, Sezzle, Klarna, Afterpay, Zip) Whop refunds the case itself: it is
 * opened (resolution_center_case.created), then at once refunded by Whop (refund.created, the payment
 * `auto_refunded`) and decided for the customer (resolution_center_case.decided, no appeal).
 */
export function openCase(ctx: SimContext, input: OpenCaseInput, opts?: EmitOptions): ResolutionCaseRecord {
  const payment = requireRecord(ctx.state.payments, input.paymentId, 'Payment', 'payment_id');
  const derived = derivePayment(ctx.state, payment);
  if (derived.cases.length > 0) {
    throw unprocessable('A resolution center case already exists for this payment.', 'case_already_exists');
  }
  const openedAt = input.createdAt === undefined ? ctx.clock.nowMs() : toMs(input.createdAt);
  const paidAt = toMs(payment.paid_at ?? payment.created_at);
  if (openedAt - paidAt > ctx.config.caseWindowDays * DAY_MS) {
    throw unprocessable(
      `Resolution center cases can only be opened within ${ctx.config.caseWindowDays} days of the payment.`,
      'case_window_expired',
    );
  }
  if (derived.refundedAmount > 0 && derived.remainingCents === 0) {
    throw unprocessable(
      'This payment has been refunded and cannot have a resolution center case.',
      'payment_refunded',
    );
  }
  if (isCrypto(payment)) {
    throw unprocessable('Crypto payments cannot have a resolution center case.', 'payment_not_eligible');
  }
  if (derived.disputes.length > 0) {
    throw unprocessable(
      'This payment has been disputed and cannot have a resolution center case.',
      'payment_disputed',
    );
  }
  if (!payment.user_id) throw unprocessable('This payment has no customer.', 'payment_not_eligible');

  const status = input.status ?? 'merchant_response_needed';
  const base = baseRecord(ctx, newId('resolutionCase'), input.createdAt);
  const actions = actionsFor(status);
  const rec: ResolutionCaseRecord = {
    ...base,
    company_id: payment.company_id,
    payment_id: payment.id,
    user_id: payment.user_id,
    member_id: payment.member_id,
    issue: input.issue ?? 'item_not_received',
    status,
    due_date:
      input.dueDate === null
        ? null
        : input.dueDate !== undefined
          ? toIso(input.dueDate)
          : new Date(toMs(base.created_at) + ctx.config.caseResponseDays * DAY_MS).toISOString(),
    customer_appealed: false,
    merchant_appealed: false,
    merchant_response_actions: actions.merchant,
    customer_response_actions: actions.customer,
    platform_response_actions: actions.platform,
    events: [],
  };
  addEvent(ctx, rec, 'created', 'customer', input.details ?? null, base.created_at);
  ctx.state.addCase(rec);
  touch(ctx, payment);
  emit(ctx, opts, 'resolution_center_case.created', serializeCase(ctx, rec), rec.company_id);
  if (isFinanced(payment)) refundFinancedCase(ctx, rec, opts);
  return rec;
}

/** Whop's automatic refund of a case on a financed payment: refund first, then the decision. */
function refundFinancedCase(ctx: SimContext, c: ResolutionCaseRecord, opts?: EmitOptions): void {
  createRefund(ctx, { paymentId: c.payment_id, auto: true, status: 'succeeded', enforceRules: false }, opts);
  decideCase(
    ctx,
    c.id,
    'customer_won',
    { refund: false, appealable: false, details: 'Financed payment: refunded automatically by Whop.' },
    opts,
  );
}

/** Any status change short of a decision (sends resolution_center_case.updated). */
export function moveCase(
  ctx: SimContext,
  id: string,
  status: ResolutionCenterCaseStatus,
  changes: MoveCaseChanges = {},
  opts?: EmitOptions,
): ResolutionCaseRecord {
  const c = requireRecord(ctx.state.cases, id, 'Resolution center case');
  if (!CASE_STATUSES.includes(status)) throw invalidParam('status', `Unknown case status: ${status}`);
  const actions = actionsFor(status);
  c.status = status;
  c.merchant_response_actions = changes.merchantResponseActions ?? actions.merchant;
  c.customer_response_actions = changes.customerResponseActions ?? actions.customer;
  c.platform_response_actions = changes.platformResponseActions ?? actions.platform;
  if (changes.dueDate !== undefined) c.due_date = changes.dueDate === null ? null : toIso(changes.dueDate);
  else if (OPEN_CASE_STATUSES.has(status) && status !== 'under_platform_review') {
    c.due_date = new Date(ctx.clock.nowMs() + ctx.config.caseResponseDays * DAY_MS).toISOString();
  }
  const ev = changes.event ?? defaultEvent(status);
  addEvent(ctx, c, ev.action, ev.reporterType ?? 'system', ev.details ?? null);
  touchCase(ctx, c);
  emit(ctx, opts, 'resolution_center_case.updated', serializeCase(ctx, c), c.company_id);
  return c;
}

/**
 * Whop (or the merchant accepting) decides the case (sends resolution_center_case.decided).
 * The losing side may appeal once; a decision after an appeal is final.
 */
export function decideCase(
  ctx: SimContext,
  id: string,
  outcome: 'customer_won' | 'merchant_won',
  options: DecideCaseOptions = {},
  opts?: EmitOptions,
): ResolutionCaseRecord {
  const c = requireRecord(ctx.state.cases, id, 'Resolution center case');
  if (!OPEN_CASE_STATUSES.has(c.status)) {
    throw unprocessable(`This case has already been decided (status: ${c.status}).`, 'case_closed');
  }
  // After an appeal the decision is final: nobody gets an `appeal` action again.
  const appealable = (options.appealable ?? true) && !c.merchant_appealed && !c.customer_appealed;
  c.status = outcome;
  c.merchant_response_actions = outcome === 'customer_won' && appealable ? ['appeal'] : [];
  c.customer_response_actions = outcome === 'merchant_won' && appealable ? ['appeal'] : [];
  c.platform_response_actions = [];
  c.due_date = null;
  addEvent(ctx, c, outcome === 'customer_won' ? 'accepted' : 'denied', 'platform', options.details ?? null);
  touchCase(ctx, c);
  emit(ctx, opts, 'resolution_center_case.decided', serializeCase(ctx, c), c.company_id);

  const payment = ctx.state.payments.get(c.payment_id);
  if (payment && outcome === 'customer_won' && (options.refund ?? true)) {
    if (derivePayment(ctx.state, payment).remainingCents > 0) {
      createRefund(ctx, { paymentId: payment.id, enforceRules: false }, opts);
    }
  }
  return c;
}

/** The losing side appeals a decision; the case goes back to Whop's review. */
export function appealCase(
  ctx: SimContext,
  id: string,
  by: 'merchant' | 'customer',
  details: string | null = null,
  opts?: EmitOptions,
): ResolutionCaseRecord {
  const c = requireRecord(ctx.state.cases, id, 'Resolution center case');
  const loser = c.status === 'customer_won' ? 'merchant' : c.status === 'merchant_won' ? 'customer' : null;
  if (loser !== by)
    throw unprocessable(`The ${by} cannot appeal this case (status: ${c.status}).`, 'case_not_appealable');
  if (c.merchant_appealed || c.customer_appealed) {
    throw unprocessable(
      'This case has already been appealed; the decision is final.',
      'case_already_appealed',
    );
  }
  if (by === 'merchant') c.merchant_appealed = true;
  else c.customer_appealed = true;
  const actions = actionsFor('under_platform_review');
  c.status = 'under_platform_review';
  c.merchant_response_actions = actions.merchant;
  c.customer_response_actions = actions.customer;
  c.platform_response_actions = actions.platform;
  addEvent(ctx, c, 'appealed', by, details);
  touchCase(ctx, c);
  emit(ctx, opts, 'resolution_center_case.updated', serializeCase(ctx, c), c.company_id);
  return c;
}
