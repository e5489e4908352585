import type { RefundStatus } from '@whop/sdk/resources';
import type { SimClock } from './clock.js';
import type { FaultController } from './faults.js';
import type { BaseRecord, SimState } from './state.js';
import type { WebhookEnvelopeStyle, WebhookSender } from './webhook-sender.js';

export interface SimConfig {
  pageSizeDefault: number;
  pageSizeMax: number;
  /** Relay-style: return end_cursor on the last page too (the SDK then makes one extra, empty request). */
  endCursorOnLastPage: boolean;
  refundInitialStatus: RefundStatus;
  /** If set, refunds still `pending` move to `succeeded` (with refund.updated) after this many ms. */
  refundSettleAfterMs: number | null;
  /** Time between the upload PUT and `upload_status: 'ready'` (`processing` meanwhile). */
  fileProcessingMs: number;
  caseWindowDays: number;
  disputeResponseDays: number;
  caseResponseDays: number;
  caseDueDateFormat: CaseDueDateFormat;
}

/**
 * How a case's `due_date` goes over the wire. The SDK types it `string | null` and calls it "As a Unix
 * timestamp"; Whop's OpenAPI seed shows a date-time string (WHOP-REFERENCE.md). `iso`: an ISO 8601
 * string; `unix`: a number of seconds; `unix_string`: the same as a numeric string.
 */
export type CaseDueDateFormat = 'iso' | 'unix' | 'unix_string';

/** What domain functions and routes share. */
export interface SimContext {
  state: SimState;
  clock: SimClock;
  webhooks: WebhookSender;
  faults: FaultController;
  config: SimConfig;
  origin(): string;
  /** A timer the simulator tracks, so `idle()` waits for it and `close()` cancels it. */
  schedule(ms: number, fn: () => void): void;
}

export interface EmitOptions {
  /** Send the webhook Whop would send for this change. Default true. */
  webhook?: boolean;
  /** The envelope of this change's webhook(s); default: the sender's (`sim.setWebhookEnvelope`). */
  envelope?: WebhookEnvelopeStyle;
}

export function baseRecord(ctx: SimContext, id: string, createdAt?: Date | string | number): BaseRecord {
  const now = ctx.clock.nowIso();
  const created = createdAt === undefined ? now : new Date(createdAt).toISOString();
  return { id, seq: ctx.state.nextSeq(), created_at: created, updated_at: now, createdRealMs: Date.now() };
}

export function touch(ctx: SimContext, ...records: Array<BaseRecord | undefined | null>): void {
  const now = ctx.clock.nowIso();
  for (const r of records) if (r) r.updated_at = now;
}

export function emit(
  ctx: SimContext,
  opts: EmitOptions | undefined,
  type: string,
  data: unknown,
  companyId: string | null,
): void {
  if (opts?.webhook === false) return;
  ctx.webhooks.emit(type, data, companyId, ctx.clock.nowIso(), { envelope: opts?.envelope });
}
