import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type {
  Dispute,
  DisputeAlertRetrieveResponse,
  DisputeStatuses,
  FileRetrieveResponse,
  MemberRetrieveResponse,
  Membership,
  Payment,
  RefundRetrieveResponse,
  RefundStatus,
  ResolutionCenterCaseRetrieveResponse,
  ResolutionCenterCaseStatus,
  User,
} from '@whop/sdk/resources';
import type { MembershipStatus } from '@whop/sdk/resources/shared';
import type { Hono } from 'hono';
import { SimClock } from './clock.js';
import type { CaseDueDateFormat, EmitOptions, SimConfig, SimContext } from './context.js';
import {
  type CreateCompanyInput,
  type CreateMemberInput,
  type CreateMembershipInput,
  type CreatePaymentInput,
  type CreatePlanInput,
  type CreateProductInput,
  type CreateUserInput,
  createCompany,
  createMember,
  createMembership,
  createPayment,
  createPlan,
  createProduct,
  createUser,
  requireRecord,
  setMembershipStatus,
} from './domain/catalog.js';
import { type CreateDisputeAlertInput, createDisputeAlert } from './domain/dispute-alerts.js';
import { moveDispute, type OpenDisputeInput, openDispute } from './domain/disputes.js';
import { createReadyFile } from './domain/files.js';
import { type CreateRefundInput, createRefund, setRefundStatus } from './domain/refunds.js';
import {
  appealCase,
  type DecideCaseOptions,
  decideCase,
  type MoveCaseChanges,
  moveCase,
  type OpenCaseInput,
  openCase,
} from './domain/resolution-cases.js';
import { type FailNextOptions, FaultController, type FaultOptions } from './faults.js';
import { type ApiKeyOptions, ApiKeys } from './http/api-keys.js';
import { API_BASE_PATH, buildApp } from './http/app.js';
import { SIMULATED_PERMISSIONS } from './http/permissions.js';
import { RequestLog, type RequestLogEntry } from './http/request-log.js';
import type { SimEnv } from './http/types.js';
import { registerControlRoutes } from './routes/control.js';
import {
  serializeCase,
  serializeDispute,
  serializeDisputeAlert,
  serializeFile,
  serializeMember,
  serializeMembership,
  serializePayment,
  serializeRefund,
  serializeUser,
} from './serializers.js';
import {
  type BaseRecord,
  bySeq,
  type CompanyRecord,
  type NotificationRecord,
  type PlanRecord,
  type ProductRecord,
  SimState,
} from './state.js';
import {
  DEFAULT_RETRY_DELAYS_MS,
  type DeliveryAttempt,
  type ReleaseOrder,
  type WebhookEnvelopeStyle,
  type WebhookEventRecord,
  WebhookSender,
} from './webhook-sender.js';
import { generateWebhookSecret, sdkWebhookKeyFor } from './webhook-signing.js';

export const DEFAULT_API_KEY = 'whop_sim_api_key';

export interface WhopSimulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Origin used in upload URLs and file URLs if clients reach the simulator under another name. */
  publicUrl?: string;
  /** Accepted Bearer key (every permission, every company). Default `whop_sim_api_key`. More keys: `sim.addApiKey()`. */
  apiKey?: string;
  webhook?: {
    /** Where events are POSTed; can be set later with `sim.setWebhookTarget()`. */
    url?: string | null;
    /** `ws_<hex>` (default: generated) or `whsec_<base64>`. */
    secret?: string;
    /** Default [10_000, 20_000, 40_000] (Whop: 3 retries after 10 s, 20 s, 40 s). */
    retryDelaysMs?: number[];
    /** Per-attempt timeout. Default 10_000. */
    timeoutMs?: number;
    /** HTTP attempts in flight at once. Default 1 (attempts start in emit order). */
    concurrency?: number;
    /** Envelope style: `company_id` (default), `no_company` or `dated` (`account_id`); see `WebhookEnvelopeStyle`. */
    envelope?: WebhookEnvelopeStyle;
    /** `api_version_date` of `dated` envelopes. Default: the SDK's `2026-07-20`. */
    apiVersionDate?: string;
    /** The webhook owner's permissions (default all): "null if not authorized" fields are null without them. */
    permissions?: readonly string[] | 'all';
  };
  faults?: FaultOptions;
  /** Clock for object timestamps. Default Date.now (plus `sim.advanceClock()` offsets). */
  now?: () => Date | number;
  pagination?: {
    /** Page size when `first` is not given. Default 25. */
    defaultPageSize?: number;
    /** Larger `first`/`last` values are clamped to this. Default 100. */
    maxPageSize?: number;
    /**
     * Return end_cursor on the last page too (Relay style; costs the SDK one extra, empty request).
     * Default true: Whop's v1 lists are GraphQL connections ("The connection type for Dispute", "A list
     * of nodes", "Information to aid in pagination" in its docs), whose endCursor is the last node's
     * cursor whether or not a next page exists; neither the SDK nor the docs settle it, so the costlier side.
     */
    endCursorOnLastPage?: boolean;
  };
  refunds?: {
    /** Status of new refunds (API and scripting). Default `pending`. */
    initialStatus?: RefundStatus;
    /** Pending refunds succeed (refund.updated) after this many ms; null = only when scripted. Default null. */
    settleAfterMs?: number | null;
  };
  /** Time from the upload PUT to `upload_status: 'ready'`. Default 0. */
  fileProcessingMs?: number;
  resolutionCases?: {
    /** `due_date` on the wire: `iso` (default), `unix` (seconds, a number) or `unix_string`. */
    dueDateFormat?: CaseDueDateFormat;
  };
  /** Expose the `/_sim/*` control routes (state, request log, scripted actions). Default true. */
  controlRoutes?: boolean;
}

export interface SimCompany {
  id: string;
  title: string;
  route: string;
  created_at: string;
  updated_at: string;
}

export interface SimProduct {
  id: string;
  company_id: string;
  title: string;
  route: string;
  metadata: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

export interface SimPlan {
  id: string;
  company_id: string;
  product_id: string;
  internal_notes: string | null;
  metadata: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

export type WithUpdatedAt<T> = T & { updated_at: string };

export type SimUser = WithUpdatedAt<User> & { email: string | null };

/** Every object the simulator holds, in API (retrieve) shape, oldest first. */
export interface SimulatorSnapshot {
  companies: SimCompany[];
  users: SimUser[];
  products: SimProduct[];
  plans: SimPlan[];
  members: MemberRetrieveResponse[];
  memberships: Membership[];
  payments: Payment[];
  disputes: WithUpdatedAt<Dispute>[];
  disputeAlerts: WithUpdatedAt<DisputeAlertRetrieveResponse>[];
  refunds: WithUpdatedAt<RefundRetrieveResponse>[];
  resolutionCenterCases: ResolutionCenterCaseRetrieveResponse[];
  files: WithUpdatedAt<FileRetrieveResponse>[];
  notifications: SimNotification[];
}

export type SimNotification = Omit<NotificationRecord, 'seq' | 'createdRealMs'>;

function plain<T extends BaseRecord>(r: T): Omit<T, 'seq' | 'createdRealMs'> {
  const { seq: _seq, createdRealMs: _real, ...rest } = r;
  return rest;
}

const companyOut = (r: CompanyRecord): SimCompany => plain(r);
const productOut = (r: ProductRecord): SimProduct => plain(r);
const planOut = (r: PlanRecord): SimPlan => plain(r);

/**
 * An in-memory Whop API v1 (the parts Dispute Autopilot uses), served over HTTP for the real
 * `@whop/sdk` client, plus a scripting API to make things happen on the "Whop side"
 * (disputes, refunds, cases…) and send the webhooks Whop would send.
 */
export class WhopSimulator {
  readonly faults: FaultController;
  readonly webhooks: WebhookSender;
  readonly requests = new RequestLog();
  readonly app: Hono<SimEnv>;
  private readonly ctx: SimContext;
  private readonly state = new SimState();
  private readonly clock: SimClock;
  private readonly keys = new ApiKeys(SIMULATED_PERMISSIONS);
  private readonly defaultKey: string;
  private readonly timers = new Set<NodeJS.Timeout>();
  private timerWaiters: Array<() => void> = [];
  private server: ServerType | null = null;
  private originValue: string;

  constructor(private readonly options: WhopSimulatorOptions = {}) {
    this.clock = new SimClock(options.now);
    this.faults = new FaultController(options.faults);
    this.webhooks = new WebhookSender(
      {
        url: options.webhook?.url ?? null,
        secret: options.webhook?.secret ?? generateWebhookSecret(),
        retryDelaysMs: options.webhook?.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
        timeoutMs: options.webhook?.timeoutMs,
        concurrency: options.webhook?.concurrency,
        envelope: options.webhook?.envelope,
        apiVersionDate: options.webhook?.apiVersionDate,
        permissions: options.webhook?.permissions,
      },
      this.faults,
    );
    this.defaultKey = options.apiKey ?? DEFAULT_API_KEY;
    this.keys.add(this.defaultKey);
    this.originValue = options.publicUrl ?? `http://${options.host ?? '127.0.0.1'}:${options.port ?? 0}`;
    const config: SimConfig = {
      pageSizeDefault: options.pagination?.defaultPageSize ?? 25,
      pageSizeMax: options.pagination?.maxPageSize ?? 100,
      endCursorOnLastPage: options.pagination?.endCursorOnLastPage ?? true,
      refundInitialStatus: options.refunds?.initialStatus ?? 'pending',
      refundSettleAfterMs: options.refunds?.settleAfterMs ?? null,
      fileProcessingMs: options.fileProcessingMs ?? 0,
      caseWindowDays: 120,
      disputeResponseDays: 7,
      caseResponseDays: 7,
      caseDueDateFormat: options.resolutionCases?.dueDateFormat ?? 'iso',
    };
    this.ctx = {
      state: this.state,
      clock: this.clock,
      webhooks: this.webhooks,
      faults: this.faults,
      config,
      origin: () => this.originValue,
      schedule: (ms, fn) => this.schedule(ms, fn),
    };
    this.app = buildApp(this.ctx, {
      keys: this.keys,
      log: this.requests,
      extraRoutes: options.controlRoutes === false ? undefined : (app) => registerControlRoutes(app, this),
    });
  }

  // ---- server -------------------------------------------------------------------------------

  /** `http://127.0.0.1:<port>` once listening. */
  get origin(): string {
    return this.originValue;
  }

  /** What to pass as the SDK's `baseURL`: `<origin>/api/v1`. */
  get baseURL(): string {
    return `${this.originValue}${API_BASE_PATH}`;
  }

  get apiKey(): string {
    return this.defaultKey;
  }

  get webhookSecret(): string {
    return this.webhooks.webhookSecret;
  }

  /** What to pass as the SDK's `webhookKey` (`btoa(secret)` for a `ws_` secret). */
  get sdkWebhookKey(): string {
    return sdkWebhookKeyFor(this.webhooks.webhookSecret);
  }

  /** `new Whop({ ...sim.sdkOptions, maxRetries: 0 })`. */
  get sdkOptions(): { apiKey: string; baseURL: string; webhookKey: string } {
    return { apiKey: this.apiKey, baseURL: this.baseURL, webhookKey: this.sdkWebhookKey };
  }

  /** Handle a request in-process, without a socket. */
  fetch = (request: Request): Response | Promise<Response> => this.app.fetch(request);

  async listen(): Promise<this> {
    if (this.server) return this;
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      const server = serve(
        { fetch: this.app.fetch, port: this.options.port ?? 0, hostname: host },
        (info: AddressInfo) => {
          if (!this.options.publicUrl) {
            const h = info.address.includes(':') ? `[${info.address}]` : info.address;
            this.originValue = `http://${h}:${info.port}`;
          }
          resolve();
        },
      );
      server.once('error', reject);
      this.server = server;
    });
    return this;
  }

  /** Stops the server, webhook retries and internal timers. */
  async close(): Promise<void> {
    this.webhooks.close();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.notifyTimers();
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  }

  // ---- clock --------------------------------------------------------------------------------

  now(): Date {
    return new Date(this.clock.nowMs());
  }

  /** Move the simulated clock (object timestamps, deadlines, the 120-day rule). */
  advanceClock(ms: number): void {
    this.clock.advance(ms);
  }

  setClock(to: Date | string | number): void {
    this.clock.set(to);
  }

  // ---- API keys, webhooks, faults -----------------------------------------------------------

  /**
   * Accept another key. By default it sees every company and holds every permission; narrow it with
   * `companyIds` (other companies answer 403), `permissions` (exactly these) or `without` (all but
   * these): a route needing a permission the key lacks answers 403 in Whop's shape
   * (`sim.addApiKey('narrow', { without: ['member:phone:read'] })`).
   */
  addApiKey(key: string, opts: ApiKeyOptions = {}): void {
    this.keys.add(key, opts);
  }

  /** Change a key's permissions (the default key too): `{ permissions: [...] }`, `{ without: [...] }` or `{}` (all). */
  setApiKeyPermissions(key: string, opts: Pick<ApiKeyOptions, 'permissions' | 'without'>): void {
    this.keys.setPermissions(key, opts);
  }

  removeApiKey(key: string): void {
    this.keys.remove(key);
  }

  setWebhookTarget(url: string | null, secret?: string): void {
    this.webhooks.configure({ url, ...(secret ? { secret } : {}) });
  }

  /** `due_date` of cases from now on (API and webhooks): `iso`, `unix` or `unix_string`. */
  setCaseDueDateFormat(format: CaseDueDateFormat): void {
    this.ctx.config.caseDueDateFormat = format;
  }

  setWebhookRetryDelays(retryDelaysMs: number[]): void {
    this.webhooks.configure({ retryDelaysMs });
  }

  /**
   * The envelope of webhooks emitted from now on: `company_id` (SDK 0.0.42, the default), `no_company`
   * (its optional `company_id` left out) or `dated` (`account_id`, `api_version_date`,
   * `previous_attributes`, no `company_id`). One change can also choose: `{ envelope }` in its EmitOptions.
   */
  setWebhookEnvelope(style: WebhookEnvelopeStyle, opts: { apiVersionDate?: string } = {}): void {
    this.webhooks.configure({ envelope: style, ...opts });
  }

  /** The webhook owner's permissions: without `member:email:read`, `user.email` is null in webhook data. */
  setWebhookPermissions(permissions: readonly string[] | 'all'): void {
    this.webhooks.configure({ permissions });
  }

  /** Shorthand for `sim.faults.set()`. */
  setFaults(partial: FaultOptions): void {
    this.faults.set(partial);
  }

  failNext(n: number, opts?: FailNextOptions): void {
    this.faults.failNext(n, opts);
  }

  rateLimitNext(n: number, opts?: { retryAfterSeconds?: number; route?: string }): void {
    this.faults.rateLimitNext(n, opts);
  }

  /** Every event emitted (delivered, dropped, held or not), oldest first. */
  get webhookEvents(): readonly WebhookEventRecord[] {
    return this.webhooks.events;
  }

  /** Every delivery attempt: event id, type, attempt number, HTTP status. */
  get deliveryLog(): readonly DeliveryAttempt[] {
    return this.webhooks.deliveries;
  }

  holdWebhooks(order: ReleaseOrder = 'fifo'): void {
    this.webhooks.hold(order);
  }

  releaseWebhooks(order?: ReleaseOrder): void {
    this.webhooks.release(order);
  }

  /** Send an emitted event again with the same webhook-id (like a dashboard "resend"). */
  redeliverWebhook(eventId: string): void {
    this.webhooks.redeliver(eventId);
  }

  /** Releases held webhooks, then waits until every delivery (with retries) and internal timer is done. */
  async flushWebhooks(): Promise<void> {
    await this.webhooks.flush();
    await this.idle();
  }

  /** Waits for in-flight deliveries, scheduled retries, reorder windows and internal timers (not manual holds). */
  async idle(): Promise<void> {
    while (this.webhooks.pendingCount > 0 || this.timers.size > 0) {
      await Promise.all([this.webhooks.idle(), this.timersIdle()]);
    }
  }

  // ---- request log --------------------------------------------------------------------------

  get requestLog(): readonly RequestLogEntry[] {
    return this.requests.entries;
  }

  /** Requests made to one route (`'GET /disputes'`, `'POST /payments/:id/refund'`), or in all. */
  requestCount(route?: string): number {
    return this.requests.count(route);
  }

  /** Requests to one route that have arrived, including those still in flight (latency). */
  requestsArrived(route: string): number {
    return this.requests.arrived(route);
  }

  requestCounts(): Record<string, number> {
    return this.requests.countsByRoute();
  }

  resetRequestLog(): void {
    this.requests.reset();
  }

  /** Forget every object, event and request (keys, faults and webhook target stay). */
  resetState(): void {
    this.state.clear();
    this.webhooks.clearLog();
    this.requests.reset();
  }

  // ---- scripting: catalog -------------------------------------------------------------------

  createCompany(input: CreateCompanyInput = {}): SimCompany {
    return companyOut(createCompany(this.ctx, input));
  }

  createUser(input: CreateUserInput = {}): SimUser {
    return this.userOut(createUser(this.ctx, input).id);
  }

  createProduct(input: CreateProductInput): SimProduct {
    return productOut(createProduct(this.ctx, input));
  }

  createPlan(input: CreatePlanInput): SimPlan {
    return planOut(createPlan(this.ctx, input));
  }

  createMember(input: CreateMemberInput): MemberRetrieveResponse {
    return serializeMember(this.ctx, createMember(this.ctx, input));
  }

  createMembership(input: CreateMembershipInput): Membership {
    return serializeMembership(this.ctx, createMembership(this.ctx, input));
  }

  setMembershipStatus(id: string, status: MembershipStatus): Membership {
    return serializeMembership(this.ctx, setMembershipStatus(this.ctx, id, status));
  }

  /** A paid payment; missing company/product/plan/user/member/membership are created (or reused). */
  createPayment(input: CreatePaymentInput = {}): Payment {
    return serializePayment(this.ctx, createPayment(this.ctx, input));
  }

  /** A ready file, without going through the upload flow (e.g. to attach as evidence). */
  createFile(filename: string, bytes: Uint8Array | string = ''): FileRetrieveResponse {
    return serializeFile(this.ctx, createReadyFile(this.ctx, filename, bytes));
  }

  // ---- scripting: Whop-side events (each sends its webhook unless { webhook: false }) --------

  /** A chargeback (or `warning_*` inquiry) on a payment → dispute.created. */
  openDispute(input: OpenDisputeInput, opts?: EmitOptions): Dispute {
    return serializeDispute(this.ctx, openDispute(this.ctx, input, opts));
  }

  /** won / lost / closed / under_review / … → dispute.updated. */
  moveDispute(
    id: string,
    status: DisputeStatuses,
    opts?: EmitOptions & { needsResponseBy?: Date | string | number | null },
  ): Dispute {
    return serializeDispute(this.ctx, moveDispute(this.ctx, id, status, opts));
  }

  /** → dispute_alert.created (and refund.created with `autoRefund`). */
  createDisputeAlert(input: CreateDisputeAlertInput, opts?: EmitOptions): DisputeAlertRetrieveResponse {
    return serializeDisputeAlert(this.ctx, createDisputeAlert(this.ctx, input, opts));
  }

  /** Same rules as `POST /payments/{id}/refund` → refund.created. */
  createRefund(input: CreateRefundInput, opts?: EmitOptions): RefundRetrieveResponse {
    return serializeRefund(this.ctx, createRefund(this.ctx, input, opts));
  }

  /** → refund.updated. */
  setRefundStatus(id: string, status: RefundStatus, opts?: EmitOptions): RefundRetrieveResponse {
    return serializeRefund(this.ctx, setRefundStatus(this.ctx, id, status, opts));
  }

  /** A customer opens a Resolution Center case → resolution_center_case.created. */
  openCase(input: OpenCaseInput, opts?: EmitOptions): ResolutionCenterCaseRetrieveResponse {
    return serializeCase(this.ctx, openCase(this.ctx, input, opts));
  }

  /** Any non-final step → resolution_center_case.updated. */
  moveCase(
    id: string,
    status: ResolutionCenterCaseStatus,
    changes?: MoveCaseChanges,
    opts?: EmitOptions,
  ): ResolutionCenterCaseRetrieveResponse {
    return serializeCase(this.ctx, moveCase(this.ctx, id, status, changes, opts));
  }

  /** → resolution_center_case.decided (and refund.created when the customer wins). */
  decideCase(
    id: string,
    outcome: 'customer_won' | 'merchant_won',
    options?: DecideCaseOptions,
    opts?: EmitOptions,
  ): ResolutionCenterCaseRetrieveResponse {
    return serializeCase(this.ctx, decideCase(this.ctx, id, outcome, options, opts));
  }

  /** The losing side appeals (once) → resolution_center_case.updated. */
  appealCase(
    id: string,
    by: 'merchant' | 'customer',
    details?: string | null,
    opts?: EmitOptions,
  ): ResolutionCenterCaseRetrieveResponse {
    return serializeCase(this.ctx, appealCase(this.ctx, id, by, details ?? null, opts));
  }

  // ---- reading the simulator's state --------------------------------------------------------

  getPayment(id: string): Payment {
    return serializePayment(this.ctx, requireRecord(this.state.payments, id, 'Payment'));
  }

  getDispute(id: string): WithUpdatedAt<Dispute> {
    const d = requireRecord(this.state.disputes, id, 'Dispute');
    return { ...serializeDispute(this.ctx, d), updated_at: d.updated_at };
  }

  getDisputeAlert(id: string): WithUpdatedAt<DisputeAlertRetrieveResponse> {
    const a = requireRecord(this.state.disputeAlerts, id, 'Dispute alert');
    return { ...serializeDisputeAlert(this.ctx, a), updated_at: a.updated_at };
  }

  getRefund(id: string): WithUpdatedAt<RefundRetrieveResponse> {
    const r = requireRecord(this.state.refunds, id, 'Refund');
    return { ...serializeRefund(this.ctx, r), updated_at: r.updated_at };
  }

  getCase(id: string): ResolutionCenterCaseRetrieveResponse {
    return serializeCase(this.ctx, requireRecord(this.state.cases, id, 'Resolution center case'));
  }

  getMembership(id: string): Membership {
    return serializeMembership(this.ctx, requireRecord(this.state.memberships, id, 'Membership'));
  }

  getMember(id: string): MemberRetrieveResponse {
    return serializeMember(this.ctx, requireRecord(this.state.members, id, 'Member'));
  }

  getUser(id: string): SimUser {
    return this.userOut(id);
  }

  getFile(id: string): WithUpdatedAt<FileRetrieveResponse> & { bytes: Uint8Array | null } {
    const f = requireRecord(this.state.files, id, 'File');
    return { ...serializeFile(this.ctx, f), updated_at: f.updated_at, bytes: f.bytes };
  }

  /** Notifications the product sent through POST /notifications. */
  get notifications(): SimNotification[] {
    return [...this.state.notifications.values()].sort(bySeq).map(plain);
  }

  snapshot(): SimulatorSnapshot {
    const s = this.state;
    const all = <T extends BaseRecord>(m: Map<string, T>) => [...m.values()].sort(bySeq);
    return {
      companies: all(s.companies).map(companyOut),
      users: all(s.users).map((u) => this.userOut(u.id)),
      products: all(s.products).map(productOut),
      plans: all(s.plans).map(planOut),
      members: all(s.members).map((m) => serializeMember(this.ctx, m)),
      memberships: all(s.memberships).map((m) => serializeMembership(this.ctx, m)),
      payments: all(s.payments).map((p) => serializePayment(this.ctx, p)),
      disputes: all(s.disputes).map((d) => ({ ...serializeDispute(this.ctx, d), updated_at: d.updated_at })),
      disputeAlerts: all(s.disputeAlerts).map((a) => ({
        ...serializeDisputeAlert(this.ctx, a),
        updated_at: a.updated_at,
      })),
      refunds: all(s.refunds).map((r) => ({ ...serializeRefund(this.ctx, r), updated_at: r.updated_at })),
      resolutionCenterCases: all(s.cases).map((c) => serializeCase(this.ctx, c)),
      files: all(s.files).map((f) => ({ ...serializeFile(this.ctx, f), updated_at: f.updated_at })),
      notifications: this.notifications,
    };
  }

  // ---- internals ----------------------------------------------------------------------------

  private userOut(id: string): SimUser {
    const u = requireRecord(this.state.users, id, 'User');
    return { ...serializeUser(u), email: u.email, updated_at: u.updated_at };
  }

  private schedule(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      try {
        fn();
      } finally {
        this.notifyTimers();
      }
    }, ms);
    this.timers.add(t);
  }

  private timersIdle(): Promise<void> {
    if (this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.timerWaiters.push(resolve));
  }

  private notifyTimers(): void {
    if (this.timers.size > 0) return;
    const waiters = this.timerWaiters;
    this.timerWaiters = [];
    for (const w of waiters) w();
  }
}

/** A simulator that is not listening yet (use `sim.fetch` in-process, or `await sim.listen()`). */
export function createWhopSimulator(options: WhopSimulatorOptions = {}): WhopSimulator {
  return new WhopSimulator(options);
}

/** Starts the simulator on `options.port` (default: a free port on 127.0.0.1). */
export async function startWhopSimulator(options: WhopSimulatorOptions = {}): Promise<WhopSimulator> {
  return new WhopSimulator(options).listen();
}
