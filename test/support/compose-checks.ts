/**
 * What the alert-composer tests share: the fixture's "now" and dashboard link, the case events a write
 * fires, the alert one of them composes, and `seen`, which checks an alert and records its kind so that
 * each composer's test file can prove which kinds it produces (and compose-parts.test.ts that together
 * they produce every kind).
 */
import { expect } from 'vitest';
import type { Alert, AlertKind } from '../../src/alerts/alert.js';
import { alertSchema } from '../../src/alerts/alert.js';
import { composeCaseEventAlert } from '../../src/alerts/compose-case-event.js';
import type { CaseEvent, CaseEventType, CaseRecord } from '../../src/cases/case-record.js';
import { toCaseEvent, transitionsFor } from '../../src/cases/transitions.js';
import { COMPANY, PAYMENT_ID } from './builders/fixture.js';

/** Three days, four hours and a half before the fixture dispute's due date (2025-03-24T23:59:59Z). */
export const NOW = '2025-03-21T19:30:00.000Z';
export const LINK = `https://whop.com/dashboard/${COMPANY.id}/payments/${PAYMENT_ID}`;

/** The events a write fires, as the store would put them on da:case-events. */
export function eventsOf(previous: CaseRecord | undefined, next: CaseRecord): CaseEvent[] {
  return transitionsFor(previous, next).map((t) =>
    toCaseEvent(t, previous, next, next.observedAt, 'webhook'),
  );
}

export function eventOf(type: CaseEventType, previous: CaseRecord | undefined, next: CaseRecord): CaseEvent {
  const event = eventsOf(previous, next).find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} among ${eventsOf(previous, next).map((e) => e.type)}`);
  return event;
}

export function alertFor(
  type: CaseEventType,
  previous: CaseRecord | undefined,
  next: CaseRecord,
  facts: Partial<Parameters<typeof composeCaseEventAlert>[2]> = {},
): Alert {
  const alert = composeCaseEventAlert(eventOf(type, previous, next), next, { now: NOW, ...facts });
  if (!alert) throw new Error(`${type} composed no alert`);
  return alertSchema.parse(alert);
}

export const fieldValue = (alert: Alert, label: string) => alert.fields.find((f) => f.label === label)?.value;

/** The alert kinds each composer file produces; together they must be every kind. */
export const KINDS_BY_COMPOSER = {
  'compose-case-event': ['dispute_alert', 'dispute_opened', 'outcome', 'refund_failed'],
  'compose-resolution-case': ['case_awaiting_merchant', 'outcome'],
  'compose-operations': [
    'dead_letter',
    'dispute_rate',
    'evidence_staged',
    'evidence_submitted',
    'job_failed',
    'sweep_recovered',
  ],
  'compose-reminder': ['reminder'],
  'compose-digest': ['digest'],
  'compose-refund': ['refund_cap_reached', 'refund_failed', 'refund_issued', 'refund_skipped'],
} as const satisfies Record<string, readonly AlertKind[]>;

/** The kinds `seen` met in this test file (each test file has its own module instance). */
const produced = new Set<AlertKind>();

export function seen(alert: Alert | null): Alert {
  if (!alert) throw new Error('expected an alert');
  expect(alert.id).not.toContain(':');
  expect(() => alertSchema.parse(alert)).not.toThrow();
  produced.add(alert.kind);
  return alert;
}

/** The kinds this file's tests have `seen` are exactly those `composer` is listed with. */
export function expectProduced(composer: keyof typeof KINDS_BY_COMPOSER): void {
  expect([...produced].sort()).toEqual([...KINDS_BY_COMPOSER[composer]].sort());
}
