import type {
  DisputeAlertType,
  DisputeStatuses,
  PaymentProvider,
  RefundReferenceStatus,
  RefundReferenceType,
  RefundStatus,
  ResolutionCenterCaseCustomerResponse,
  ResolutionCenterCaseIssueType,
  ResolutionCenterCaseMerchantResponse,
  ResolutionCenterCasePlatformResponse,
  ResolutionCenterCaseRetrieveResponse,
  ResolutionCenterCaseStatus,
} from '@whop/sdk/resources';
import type { BillingReasons, CardBrands, PaymentMethodTypes } from '@whop/sdk/resources/payments';
import type {
  AccessLevel,
  Currency,
  MemberMostRecentActions,
  MemberStatuses,
  MembershipStatus,
  ReceiptStatus,
} from '@whop/sdk/resources/shared';

/**
 * Internal records. Field names follow the API (snake_case) where they map 1:1 so the
 * serializers stay thin; relations are stored as ids and resolved at read time, so a change
 * to a payment shows up in every dispute/refund/case that embeds it.
 */
export interface BaseRecord {
  id: string;
  /** Insertion order; the tie-breaker for sorting and cursors. */
  seq: number;
  created_at: string;
  /** Internal; bumped on every change (the API exposes it only on some objects). */
  updated_at: string;
  /** Real wall-clock creation time, for the read-after-write lag fault. */
  createdRealMs: number;
}

export interface CompanyRecord extends BaseRecord {
  title: string;
  route: string;
}

export interface UserRecord extends BaseRecord {
  name: string | null;
  username: string;
  email: string | null;
  bio: string | null;
}

export interface ProductRecord extends BaseRecord {
  company_id: string;
  title: string;
  route: string;
  metadata: Record<string, unknown> | null;
}

export interface PlanRecord extends BaseRecord {
  company_id: string;
  product_id: string;
  internal_notes: string | null;
  metadata: Record<string, unknown> | null;
}

export interface MemberRecord extends BaseRecord {
  company_id: string;
  user_id: string;
  status: MemberStatuses;
  access_level: AccessLevel;
  joined_at: string;
  most_recent_action: MemberMostRecentActions | null;
  most_recent_action_at: string | null;
  phone: string | null;
}

export interface MembershipRecord extends BaseRecord {
  company_id: string;
  user_id: string;
  member_id: string | null;
  product_id: string;
  plan_id: string;
  status: MembershipStatus;
  currency: Currency | null;
  joined_at: string | null;
  renewal_period_start: string | null;
  renewal_period_end: string | null;
  cancel_at_period_end: boolean;
  canceled_at: string | null;
  cancellation_reason: string | null;
  license_key: string | null;
  metadata: Record<string, unknown> | null;
}

export interface PaymentRecord extends BaseRecord {
  company_id: string;
  user_id: string | null;
  member_id: string | null;
  membership_id: string | null;
  product_id: string | null;
  plan_id: string | null;
  total: number;
  subtotal: number;
  currency: Currency;
  status: ReceiptStatus;
  paid_at: string | null;
  provider: PaymentProvider;
  payment_method_id: string;
  payment_method_type: PaymentMethodTypes;
  card_brand: CardBrands | null;
  card_last4: string | null;
  billing_reason: BillingReasons | null;
  billing_address: {
    name: string | null;
    line1: string | null;
    line2: string | null;
    city: string | null;
    state: string | null;
    postal_code: string | null;
    country: string | null;
  } | null;
  metadata: Record<string, unknown> | null;
  dispute_alerted_at: string | null;
}

export const EVIDENCE_TEXT_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy_disclosure',
  'customer_email_address',
  'customer_name',
  'notes',
  'product_description',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
] as const;
export type EvidenceTextField = (typeof EVIDENCE_TEXT_FIELDS)[number];

export const EVIDENCE_ATTACHMENT_FIELDS = [
  'cancellation_policy_attachment',
  'customer_communication_attachment',
  'refund_policy_attachment',
  'uncategorized_attachment',
] as const;
export type EvidenceAttachmentField = (typeof EVIDENCE_ATTACHMENT_FIELDS)[number];

export interface DisputeRecord extends BaseRecord {
  company_id: string;
  payment_id: string;
  amount: number;
  currency: Currency;
  status: DisputeStatuses;
  reason: string | null;
  needs_response_by: string | null;
  visa_rdr: boolean;
  evidence: Record<EvidenceTextField, string | null>;
  /** File ids. */
  attachments: Record<EvidenceAttachmentField, string | null>;
  submitted_at: string | null;
}

export interface DisputeAlertRecord extends BaseRecord {
  company_id: string;
  payment_id: string | null;
  dispute_id: string | null;
  alert_type: DisputeAlertType;
  amount: number;
  currency: Currency;
  charge_for_alert: boolean;
  transaction_date: string | null;
}

export interface RefundRecord extends BaseRecord {
  company_id: string;
  payment_id: string;
  amount: number;
  currency: Currency;
  status: RefundStatus;
  provider: PaymentProvider;
  provider_created_at: string | null;
  reference_status: RefundReferenceStatus | null;
  reference_type: RefundReferenceType | null;
  reference_value: string | null;
  /** Refunded by Whop itself (RDR alert, financed payment); shows as `auto_refunded`. */
  auto: boolean;
}

export type ResolutionEvent = ResolutionCenterCaseRetrieveResponse.ResolutionEvent;

export interface ResolutionCaseRecord extends BaseRecord {
  company_id: string;
  payment_id: string;
  user_id: string;
  member_id: string | null;
  issue: ResolutionCenterCaseIssueType;
  status: ResolutionCenterCaseStatus;
  due_date: string | null;
  customer_appealed: boolean;
  merchant_appealed: boolean;
  merchant_response_actions: ResolutionCenterCaseMerchantResponse[];
  customer_response_actions: ResolutionCenterCaseCustomerResponse[];
  platform_response_actions: ResolutionCenterCasePlatformResponse[];
  events: ResolutionEvent[];
}

export interface FileRecord extends BaseRecord {
  filename: string;
  content_type: string | null;
  visibility: 'public' | 'private';
  upload_status: 'pending' | 'processing' | 'ready' | 'failed';
  size: string | null;
  bytes: Uint8Array | null;
  uploadToken: string;
  /** Signs a private file's expiring download URLs (never sent; the upload token is in the upload URL). */
  signingKey: string;
}

export interface NotificationRecord extends BaseRecord {
  company_id: string | null;
  experience_id: string | null;
  title: string;
  subtitle: string | null;
  content: string;
  user_ids: string[] | null;
  rest_path: string | null;
  icon_user_id: string | null;
}

type Table<T> = Map<string, T>;

/** Everything the simulator knows, in memory. */
export class SimState {
  private seq = 0;
  companies: Table<CompanyRecord> = new Map();
  users: Table<UserRecord> = new Map();
  products: Table<ProductRecord> = new Map();
  plans: Table<PlanRecord> = new Map();
  members: Table<MemberRecord> = new Map();
  memberships: Table<MembershipRecord> = new Map();
  payments: Table<PaymentRecord> = new Map();
  disputes: Table<DisputeRecord> = new Map();
  disputeAlerts: Table<DisputeAlertRecord> = new Map();
  refunds: Table<RefundRecord> = new Map();
  cases: Table<ResolutionCaseRecord> = new Map();
  files: Table<FileRecord> = new Map();
  notifications: Table<NotificationRecord> = new Map();
  // Children by payment id, in creation order: payments derive their status from these on every read.
  private readonly refundsByPayment = new Map<string, RefundRecord[]>();
  private readonly disputesByPayment = new Map<string, DisputeRecord[]>();
  private readonly casesByPayment = new Map<string, ResolutionCaseRecord[]>();
  private readonly memberByCompanyUser = new Map<string, MemberRecord>();
  private readonly paymentsByMember = new Map<string, PaymentRecord[]>();

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  clear(): void {
    for (const table of [
      this.companies,
      this.users,
      this.products,
      this.plans,
      this.members,
      this.memberships,
      this.payments,
      this.disputes,
      this.disputeAlerts,
      this.refunds,
      this.cases,
      this.files,
      this.notifications,
    ] as Table<BaseRecord>[]) {
      table.clear();
    }
    this.refundsByPayment.clear();
    this.disputesByPayment.clear();
    this.casesByPayment.clear();
    this.memberByCompanyUser.clear();
    this.paymentsByMember.clear();
  }

  addPayment(p: PaymentRecord): void {
    this.payments.set(p.id, p);
    if (p.member_id) push(this.paymentsByMember, p.member_id, p);
  }

  paymentsOfMember(memberId: string): PaymentRecord[] {
    return [...(this.paymentsByMember.get(memberId) ?? [])];
  }

  addRefund(r: RefundRecord): void {
    this.refunds.set(r.id, r);
    push(this.refundsByPayment, r.payment_id, r);
  }

  addDispute(d: DisputeRecord): void {
    this.disputes.set(d.id, d);
    push(this.disputesByPayment, d.payment_id, d);
  }

  addCase(c: ResolutionCaseRecord): void {
    this.cases.set(c.id, c);
    push(this.casesByPayment, c.payment_id, c);
  }

  addMember(m: MemberRecord): void {
    this.members.set(m.id, m);
    const key = `${m.company_id} ${m.user_id}`;
    if (!this.memberByCompanyUser.has(key)) this.memberByCompanyUser.set(key, m);
  }

  memberOf(companyId: string, userId: string): MemberRecord | undefined {
    return this.memberByCompanyUser.get(`${companyId} ${userId}`);
  }

  refundsOf(paymentId: string): RefundRecord[] {
    return [...(this.refundsByPayment.get(paymentId) ?? [])];
  }

  disputesOf(paymentId: string): DisputeRecord[] {
    return [...(this.disputesByPayment.get(paymentId) ?? [])];
  }

  casesOf(paymentId: string): ResolutionCaseRecord[] {
    return [...(this.casesByPayment.get(paymentId) ?? [])];
  }
}

function push<T>(index: Map<string, T[]>, key: string, value: T): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

export const bySeq = (a: BaseRecord, b: BaseRecord) => a.seq - b.seq;
