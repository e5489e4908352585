import type { Webhook } from 'standardwebhooks';
import type { FaultController } from './faults.js';
import { type PermissionSet, redactUnauthorizedFields } from './http/permissions.js';
import { newId } from './ids.js';
import { signDelivery, standardWebhookFor } from './webhook-signing.js';

export const DEFAULT_RETRY_DELAYS_MS = [10_000, 20_000, 40_000];

/**
 * The envelope around `data`:
 * - `company_id` (default): @whop/sdk 0.0.42's `{ id, api_version: 'v1', type, timestamp, data, company_id }`.
 * - `no_company`: the same without `company_id`, which the SDK types as optional (`company_id?: string | null`).
 * - `dated`: a webhook pinned to a dated API version, as newer Whop SDKs describe it (WHOP-REFERENCE.md):
 *   `{ id, api_version: 'v1', api_version_date, type, timestamp, data, account_id, previous_attributes }`, no
 *   `company_id`. `previous_attributes` (inferred from the name, Stripe-style) holds the prior values of the
 *   top-level `data` fields that changed since the last event about the same object, `null` on a first event.
 */
export type WebhookEnvelopeStyle = 'company_id' | 'no_company' | 'dated';

/** The `Api-Version-Date` @whop/sdk 0.0.42 sends (client.ts); what a `dated` webhook is pinned to by default. */
export const DEFAULT_WEBHOOK_API_VERSION_DATE = '2026-07-20';

export interface EmitEnvelopeOptions {
  /** This event's envelope style; default: the sender's. */
  envelope?: WebhookEnvelopeStyle;
}

export interface WebhookSenderOptions {
  /** Where events are POSTed. Without one, events are recorded but not sent. */
  url?: string | null;
  /** `ws_<hex>` (Whop's form) or `whsec_<base64>`. */
  secret: string;
  /** Delay before each retry; the length is the number of retries. Whop: 10 s, 20 s, 40 s. */
  retryDelaysMs?: number[];
  /** Per-attempt timeout; a timeout counts as a failed attempt. Default 10 s. */
  timeoutMs?: number;
  /**
   * HTTP attempts in flight at once. Default 1: attempts start in emit order, so only the
   * reorder/duplicate faults (and retries) change the order a receiver sees. Raise it for load tests.
   */
  concurrency?: number;
  /** Default `company_id`. */
  envelope?: WebhookEnvelopeStyle;
  /** `api_version_date` of `dated` envelopes. Default `DEFAULT_WEBHOOK_API_VERSION_DATE`. */
  apiVersionDate?: string;
  /**
   * The permissions of the app or company the webhook belongs to (default: all). Without one, the
   * fields the SDK documents as "null if not authorized" are null in `data` (e.g. `user.email` without
   * `member:email:read`); inferred: a webhook's data is serialized like a read by its owner.
   */
  permissions?: readonly string[] | 'all';
}

export type WebhookFate = 'pending' | 'held' | 'delivered' | 'failed' | 'dropped' | 'no_target';

export interface WebhookEventRecord {
  id: string;
  type: string;
  companyId: string | null;
  /** The exact JSON body sent (the object snapshot at emit time). */
  body: string;
  emittedAt: string;
  fate: WebhookFate;
  duplicated: boolean;
}

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  /** 1 for the first try, 2..4 for retries. */
  attempt: number;
  /** HTTP status, or null on a network error / timeout. */
  status: number | null;
  error: string | null;
  ok: boolean;
  /** True for the second copy of a duplicated event. */
  duplicate: boolean;
  at: number;
  durationMs: number;
}

export type ReleaseOrder = 'fifo' | 'reverse' | 'shuffle';

/**
 * Delivers webhooks like Whop: Standard Webhooks signatures, at least once, retried only on
 * non-2xx or network errors, up to `retryDelaysMs.length` retries. `webhook-id` is the same on
 * every retry (and on duplicates); `webhook-timestamp` is the time of each attempt.
 */
export class WebhookSender {
  readonly events: WebhookEventRecord[] = [];
  readonly deliveries: DeliveryAttempt[] = [];
  private url: string | null;
  private secret: string;
  private wh: Webhook;
  private retryDelaysMs: number[];
  private timeoutMs: number;
  private concurrency: number;
  private envelope: WebhookEnvelopeStyle;
  private apiVersionDate: string;
  private permissions: PermissionSet;
  /** Last `data` sent per object (`<resource>:<id>`), for `previous_attributes`. */
  private readonly lastData = new Map<string, Record<string, unknown>>();
  private active = 0;
  private slotQueue: Array<() => void> = [];
  private pending = 0;
  private waiters: Array<() => void> = [];
  private timers = new Set<NodeJS.Timeout>();
  private sleepers = new Set<() => void>();
  private reorderBuffer: WebhookEventRecord[] = [];
  private reorderTimer: NodeJS.Timeout | null = null;
  private manualHold: { order: ReleaseOrder; events: WebhookEventRecord[] } | null = null;
  private closed = false;

  constructor(
    opts: WebhookSenderOptions,
    private readonly faults: FaultController,
  ) {
    this.url = opts.url ?? null;
    this.secret = opts.secret;
    this.wh = standardWebhookFor(opts.secret);
    this.retryDelaysMs = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
    this.envelope = opts.envelope ?? 'company_id';
    this.apiVersionDate = opts.apiVersionDate ?? DEFAULT_WEBHOOK_API_VERSION_DATE;
    this.permissions = toPermissionSet(opts.permissions);
  }

  get targetUrl(): string | null {
    return this.url;
  }

  get webhookSecret(): string {
    return this.secret;
  }

  /** Point deliveries somewhere else (e.g. at a receiver started after the simulator). */
  configure(opts: Partial<WebhookSenderOptions>): void {
    if (opts.url !== undefined) this.url = opts.url;
    if (opts.secret !== undefined) {
      this.secret = opts.secret;
      this.wh = standardWebhookFor(opts.secret);
    }
    if (opts.retryDelaysMs !== undefined) this.retryDelaysMs = opts.retryDelaysMs;
    if (opts.timeoutMs !== undefined) this.timeoutMs = opts.timeoutMs;
    if (opts.concurrency !== undefined) this.concurrency = Math.max(1, opts.concurrency);
    if (opts.envelope !== undefined) this.envelope = opts.envelope;
    if (opts.apiVersionDate !== undefined) this.apiVersionDate = opts.apiVersionDate;
    if (opts.permissions !== undefined) this.permissions = toPermissionSet(opts.permissions);
  }

  get envelopeStyle(): WebhookEnvelopeStyle {
    return this.envelope;
  }

  /**
   * Records and schedules one event. `data` is serialized now, so later changes don't leak in.
   * `companyId` is the company the event belongs to (`company_id` / `account_id` in the envelope).
   */
  emit(
    type: string,
    data: unknown,
    companyId: string | null,
    timestampIso: string,
    opts: EmitEnvelopeOptions = {},
  ): WebhookEventRecord {
    const id = newId('webhookMessage');
    const payload = redactUnauthorizedFields(structuredClone(data), this.permissions);
    const style = opts.envelope ?? this.envelope;
    const head = { id, api_version: 'v1' as const };
    let envelope: Record<string, unknown>;
    if (style === 'dated') {
      envelope = {
        ...head,
        api_version_date: this.apiVersionDate,
        type,
        timestamp: timestampIso,
        data: payload,
        account_id: companyId,
        previous_attributes: this.previousAttributes(type, payload),
      };
    } else {
      envelope = { ...head, type, timestamp: timestampIso, data: payload };
      if (style === 'company_id') envelope.company_id = companyId;
    }
    this.remember(type, payload);
    const event: WebhookEventRecord = {
      id,
      type,
      companyId,
      body: JSON.stringify(envelope),
      emittedAt: timestampIso,
      fate: 'pending',
      duplicated: false,
    };
    this.events.push(event);

    if (!this.url) {
      event.fate = 'no_target';
      return event;
    }
    const decision = this.faults.decideWebhook();
    if (decision.drop) {
      event.fate = 'dropped';
      return event;
    }
    event.duplicated = decision.duplicate;

    if (this.manualHold) {
      event.fate = 'held';
      this.manualHold.events.push(event);
      return event;
    }
    const windowMs = this.faults.reorderWindowMs();
    if (windowMs > 0) {
      event.fate = 'held';
      this.reorderBuffer.push(event);
      if (!this.reorderTimer) {
        this.pending += 1;
        this.reorderTimer = setTimeout(() => this.releaseReorderBuffer(), windowMs);
      }
      return event;
    }
    this.dispatch(event);
    return event;
  }

  /** Send an already-emitted event again (same webhook-id), as a dashboard "resend" would. */
  redeliver(eventId: string): void {
    const event = this.events.find((e) => e.id === eventId);
    if (!event) throw new Error(`unknown webhook event ${eventId}`);
    this.startChain(event, true);
  }

  /** Hold every new event until `release()`; `idle()` does not wait for held events, `flush()` does. */
  hold(order: ReleaseOrder = 'fifo'): void {
    if (!this.manualHold) this.manualHold = { order, events: [] };
    else this.manualHold.order = order;
  }

  release(order?: ReleaseOrder): void {
    const held = this.manualHold;
    if (!held) return;
    this.manualHold = null;
    for (const e of this.ordered(held.events, order ?? held.order)) this.dispatch(e);
  }

  /** Resolves when nothing is in flight, waiting for retries and reorder windows (not manual holds). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Releases held events (manual and reorder windows) now, then waits for `idle()`. */
  flush(): Promise<void> {
    this.release();
    if (this.reorderTimer) {
      clearTimeout(this.reorderTimer);
      this.releaseReorderBuffer();
    }
    return this.idle();
  }

  get pendingCount(): number {
    return this.pending;
  }

  clearLog(): void {
    this.lastData.clear();
    this.events.length = 0;
    this.deliveries.length = 0;
  }

  /** Stops retries and timers; pending deliveries are abandoned. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    this.reorderTimer = null;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    for (const next of this.slotQueue) next();
    this.slotQueue = [];
    this.pending = 0;
    this.notifyIdle();
  }

  private objectKey(type: string, data: unknown): string | null {
    const id = (data as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? `${type.split('.')[0]}:${id}` : null;
  }

  private previousAttributes(type: string, data: unknown): Record<string, unknown> | null {
    const key = this.objectKey(type, data);
    const before = key ? this.lastData.get(key) : undefined;
    if (!before) return null;
    const now = data as Record<string, unknown>;
    const changed: Record<string, unknown> = {};
    for (const k of Object.keys(now)) {
      if (JSON.stringify(now[k]) !== JSON.stringify(before[k])) changed[k] = before[k] ?? null;
    }
    return changed;
  }

  private remember(type: string, data: unknown): void {
    const key = this.objectKey(type, data);
    if (key && typeof data === 'object' && data !== null) {
      this.lastData.set(key, data as Record<string, unknown>);
    }
  }

  private releaseReorderBuffer(): void {
    this.reorderTimer = null;
    const batch = this.reorderBuffer;
    this.reorderBuffer = [];
    for (const e of this.ordered(batch, 'shuffle')) this.dispatch(e);
    this.pending -= 1;
    this.notifyIdle();
  }

  private ordered(events: WebhookEventRecord[], order: ReleaseOrder): WebhookEventRecord[] {
    const copy = [...events];
    if (order === 'reverse') return copy.reverse();
    if (order === 'shuffle') return this.faults.random.shuffle(copy);
    return copy;
  }

  private dispatch(event: WebhookEventRecord): void {
    event.fate = 'pending';
    this.startChain(event, false, event.duplicated);
  }

  private startChain(event: WebhookEventRecord, isCopy: boolean, thenDuplicate = false): void {
    if (this.closed) return;
    this.pending += 1;
    void this.runChain(event, isCopy)
      .then((ok) => {
        if (!isCopy) event.fate = ok ? 'delivered' : 'failed';
        // The duplicate goes out once the original is settled, carrying the same webhook-id.
        if (thenDuplicate) this.startChain(event, true);
      })
      .finally(() => {
        if (this.closed) return;
        this.pending -= 1;
        this.notifyIdle();
      });
  }

  private async runChain(event: WebhookEventRecord, isCopy: boolean): Promise<boolean> {
    const maxAttempts = 1 + this.retryDelaysMs.length;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.closed) return false;
      if (await this.attempt(event, attempt, isCopy)) return true;
      if (attempt < maxAttempts) await this.sleep(this.retryDelaysMs[attempt - 1] ?? 0);
    }
    return false;
  }

  /** FIFO slots: attempts start in the order they were asked for. */
  private async acquireSlot(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.slotQueue.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.slotQueue.shift();
    if (next) next();
    else this.active -= 1;
  }

  private async attempt(event: WebhookEventRecord, attempt: number, duplicate: boolean): Promise<boolean> {
    await this.acquireSlot();
    try {
      return await this.attemptNow(event, attempt, duplicate);
    } finally {
      this.releaseSlot();
    }
  }

  private async attemptNow(event: WebhookEventRecord, attempt: number, duplicate: boolean): Promise<boolean> {
    if (this.closed) return false;
    const url = this.url;
    const started = Date.now();
    const log: DeliveryAttempt = {
      eventId: event.id,
      type: event.type,
      attempt,
      status: null,
      error: null,
      ok: false,
      duplicate,
      at: started,
      durationMs: 0,
    };
    try {
      if (!url) throw new Error('no webhook target configured');
      const headers = signDelivery(this.wh, event.id, event.body, new Date(started));
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'user-agent': 'Whop-Simulator-Webhooks/1.0',
        },
        body: event.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      log.status = res.status;
      log.ok = res.status >= 200 && res.status < 300;
    } catch (err) {
      log.error = err instanceof Error ? err.message : String(err);
    }
    log.durationMs = Date.now() - started;
    if (!this.closed) this.deliveries.push(log);
    return log.ok;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.timers.add(timer);
      this.sleepers.add(wake);
    });
  }

  private notifyIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

function toPermissionSet(permissions: readonly string[] | 'all' | undefined): PermissionSet {
  return permissions === undefined || permissions === 'all' ? null : new Set(permissions);
}
