import type { CaseKind } from '../cases/case-record.js';

/**
 * Event types this service acts on, and the kind of object each is about; anything else Whop sends is
 * acknowledged and counted, not queued.
 */
export const EVENT_KINDS: Readonly<Record<string, CaseKind>> = {
  'dispute.created': 'dispute',
  'dispute.updated': 'dispute',
  'dispute_alert.created': 'dispute_alert',
  'refund.created': 'refund',
  'refund.updated': 'refund',
  'resolution_center_case.created': 'resolution_case',
  'resolution_center_case.updated': 'resolution_case',
  'resolution_center_case.decided': 'resolution_case',
};

export const isHandledEventType = (type: string) => Object.hasOwn(EVENT_KINDS, type);

/**
 * The part of Whop's webhook envelope we rely on: `{ id, api_version, type, timestamp, data, company_id? }`
 * (SDK 0.0.42), or with `account_id` instead of `company_id` on payloads pinned to a dated API version.
 * Neither is checked here nor always there: `envelopeCompanyId` (src/cases/company.ts) reads them.
 */
export interface WhopEventEnvelope {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
  company_id?: unknown;
  account_id?: unknown;
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
  // An event we act on names its object by id (the worker re-reads it from Whop by that id): without a
  // string id it could only fail later, after a 200 told Whop it was handled. Refused at the door.
  const objectId = (v.data as Record<string, unknown>).id;
  if (isHandledEventType(v.type) && (typeof objectId !== 'string' || objectId.trim() === '')) {
    return { ok: false, message: `data.id must be a non-empty string for ${v.type}` };
  }
  return { ok: true, event: v as unknown as WhopEventEnvelope };
}
