/** Event types this service acts on; anything else Whop sends is acknowledged and counted, not queued. */
export const HANDLED_EVENT_TYPES = new Set([
  'dispute.created',
  'dispute.updated',
  'dispute_alert.created',
  'refund.created',
  'refund.updated',
  'resolution_center_case.created',
  'resolution_center_case.updated',
  'resolution_center_case.decided',
]);

/** The part of Whop's webhook envelope we rely on: `{ id, api_version, type, timestamp, data, company_id? }`. */
export interface WhopEventEnvelope {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
  company_id?: string | null;
  api_version?: string;
}

export type EnvelopeCheck = { ok: true; event: WhopEventEnvelope } | { ok: false; message: string };

/** Checked by hand, not with a schema library: this runs on every delivery and needs only four fields. */
export function parseEnvelope(value: unknown): EnvelopeCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'body must be a JSON object' };
  }
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || v.id === '') return { ok: false, message: 'id must be a non-empty string' };
  if (typeof v.type !== 'string' || v.type === '') {
    return { ok: false, message: 'type must be a non-empty string' };
  }
  if (typeof v.timestamp !== 'string' || Number.isNaN(Date.parse(v.timestamp))) {
    return { ok: false, message: 'timestamp must be an ISO 8601 date-time' };
  }
  if (typeof v.data !== 'object' || v.data === null || Array.isArray(v.data)) {
    return { ok: false, message: 'data must be an object' };
  }
  return { ok: true, event: v as unknown as WhopEventEnvelope };
}
