import { describe, expect, it } from 'vitest';
import { accessEvent, heavyUse, usage } from '../../test/support/builders/access-events.js';
import { evidenceFacts } from '../../test/support/builders/evidence.js';
import { afterPaid, fixture } from '../../test/support/builders/fixture.js';
import { whopDispute } from '../../test/support/builders/whop-cases.js';
import { allText, expectStatementsMatchSummary } from '../../test/support/evidence-checks.js';
import { buildEvidence } from './build-evidence.js';
import { FIELD_LIMIT } from './paragraph.js';

const { purchaseIp, purchaseDevice } = fixture();

const dispute = (reason: string) => whopDispute({ reason });

describe('buildEvidence: the access activity log', () => {
  it('summarises use after purchase and ends with a short table of the last 10 events', () => {
    const d = buildEvidence(evidenceFacts({ accessEvents: heavyUse() }));
    const log = d.fields.access_activity_log!;
    expect(log).toContain('After the payment: 48 events in 8 sessions on 8 days.');
    expect(log).toContain('First access: 2025-02-14 16:07 UTC (5 minutes after payment).');
    expect(log).toContain('Last access: 2025-02-21 16:12 UTC.');
    expect(log).toContain('IP addresses (1): 203.0.113.7 (48).');
    expect(log).toContain('Devices (1): dev_a1b2c3 (48).');
    expect(log).toContain('Actions: lesson_viewed 40, login 8.');
    const table = log.slice(log.indexOf('Last 10 events')).split('\n');
    expect(table[1]).toBe('TIME              ACTION         IP           DEVICE');
    expect(table[2]).toBe('2025-02-21 16:12  lesson_viewed  203.0.113.7  dev_a1b2c3');
    expect(table).toHaveLength(12);
    expectStatementsMatchSummary(d);
  });

  // Issue 12: evidence is advocacy. That there is no usage is said to the merchant (warnings), never to
  // the bank: the field gives what Whop records and nothing about the missing events.
  // Issue 12: evidence is advocacy. That there is no usage is said to the merchant (warnings), never to
  // the bank: the access log is left out (Whop's own, if it keeps one, stays), the notes give what Whop
  // records, and nothing mentions the missing events.
  it('with no access events leaves the access log out, states no absence of use, gives what Whop knows and warns', () => {
    const d = buildEvidence(evidenceFacts({ accessEvents: [] }));
    expect(d.fields.access_activity_log).toBeUndefined();
    const notes = d.fields.notes!;
    expect(notes).toContain('membership mem_8Hs1PwQe, created 2025-02-14; its status is now active');
    expect(notes).toContain('Sam Buyer joined Autopilot Academy on Whop on 2025-02-14.');
    expect(notes).toContain(
      "Whop's most recent recorded action for this member: paid subscriber (2025-02-14).",
    );
    expect(allText(d)).not.toMatch(/recorded no access|no access events|shows no usage|no usage/i);
    expect(d.statements.join('\n')).not.toMatch(/no access events/);
    // No usage claim of any kind.
    expect(d.statements.join('\n')).not.toMatch(/after purchase|purchase IP|purchase device|session/);
    expect(allText(d)).not.toMatch(/\bsessions?\b|used the product|same device|IP address at purchase/);
    expect(d.warnings).toContain(
      'No access events for this customer: the evidence rests on Whop data alone.',
    );
    expect(d.attachAccessLog).toBe(false);
  });

  it('with events only from before the payment, states neither them nor the absence of later use, and warns', () => {
    const d = buildEvidence(
      evidenceFacts({ accessEvents: [accessEvent({ occurredAt: afterPaid(-60 * 24 * 10) })] }),
    );
    expect(d.fields.access_activity_log).toBeUndefined();
    expect(allText(d)).not.toMatch(/recorded no access|no access|before the payment|only recorded event/i);
    expect(d.access.eventsAfterPurchase).toBe(0);
    expect(d.statements.join('\n')).not.toMatch(/no access events|before purchase/);
    expect(d.warnings).toContain(
      'No access events after this payment (your only recorded event for this customer is from before the payment): the evidence leaves usage out.',
    );
    expect(d.attachAccessLog).toBe(false);
  });

  it('attaches the access-log PDF only with use after the purchase', () => {
    expect(buildEvidence(evidenceFacts({ accessEvents: heavyUse() })).attachAccessLog).toBe(true);
  });

  it('claims no usage when Whop gives no payment time', () => {
    const d = buildEvidence(
      evidenceFacts({ payment: null, dispute: whopDispute({ payment: null }), accessEvents: heavyUse() }),
    );
    expect(d.statements.join('\n')).not.toMatch(/after purchase|purchase IP|purchase device/);
    expect(d.fields.service_date).toBeUndefined();
    expect(d.fields.refund_refusal_explanation).toBeUndefined();
    expect(d.warnings).toContain('Whop returned no payment time, so no access can be tied to the purchase.');
  });

  it('does not claim a match with the purchase IP or device when later events come from elsewhere', () => {
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Fraudulent'),
        purchase: { ip: purchaseIp, deviceId: purchaseDevice },
        accessEvents: usage({ sessions: 5, perSession: 4, ip: '198.51.100.23', deviceId: 'dev_zz9' }),
      }),
    );
    expect(d.access.ipMatchesPurchase).toBe(false);
    expect(d.access.deviceMatchesPurchase).toBe(false);
    const text = allText(d);
    expect(text).not.toMatch(/same device|same IP|same browser|IP address at purchase|as at purchase/i);
    expect(text).not.toContain(purchaseDevice);
    expect(text).not.toContain(purchaseIp);
    expect(d.statements.join('\n')).not.toMatch(/purchase IP|purchase device|before and after/);
    expect(d.warnings).toEqual(
      expect.arrayContaining([
        'The purchase IP 203.0.113.7 was not seen in any later access event.',
        'The purchase device dev_a1b2c3 was not seen in any later access event.',
        'Fraud dispute with no IP/device match to the purchase and no CE 3.0 history: a weak case.',
      ]),
    );
    // The usage itself is still true and still stated.
    expect(d.statements).toContain('events after purchase: 20');
    expectStatementsMatchSummary(d);
  });

  it('calls a user-agent match a browser match, never a device match, and warns', () => {
    const ua = fixture().userAgent;
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Fraudulent'),
        purchase: { userAgent: ua },
        accessEvents: usage({ sessions: 2, perSession: 3, deviceId: undefined, userAgent: ua }),
      }),
    );
    expect(d.fields.notes).toContain('The same browser (same user agent');
    expect(allText(d)).not.toMatch(/same device/);
    expect(d.warnings.join('\n')).toMatch(/rests on the user agent only/);
  });

  it('bounds the summary lines however many IPs, devices and actions there are', () => {
    const events = usage({ sessions: 60, perSession: 10, dayStep: 0.25 }).map((e, i) => ({
      ...e,
      action: `feature_${'y'.repeat(60)}_${i % 40}`,
      ip: `10.0.${i % 200}.${i % 7}`,
      deviceId: `dev_${'x'.repeat(400)}_${i % 50}`,
    }));
    const d = buildEvidence(evidenceFacts({ accessEvents: events }));
    const log = d.fields.access_activity_log!;
    expect(log.length).toBeLessThanOrEqual(FIELD_LIMIT);
    expect(log).toContain('After the payment: 600 events in 60 sessions on 16 days.');
    expect(log).toMatch(/^IP addresses \(600\): .* and 595 more\.$/m);
    expect(log).toMatch(/^Devices \(50\): .* and 45 more\.$/m);
    expect(log).toMatch(/^Actions: .* and 28 other kinds\.$/m);
    expect(log).toContain('Last 10 events');
    expectStatementsMatchSummary(d);
  });

  it('drops table rows, never cutting a line, when the rest leaves too little room', () => {
    // A pathological company title makes the header line huge.
    const title = `Autopilot ${'Academy '.repeat(360)}`.trim();
    const d = buildEvidence(
      evidenceFacts({
        dispute: whopDispute({ company: { id: 'biz_4Tq8mXv2Lp', title } }),
        accessEvents: usage({ sessions: 8, perSession: 6 }),
      }),
    );
    const log = d.fields.access_activity_log!;
    expect(log.length).toBeLessThanOrEqual(FIELD_LIMIT);
    expect(log).toContain('After the payment: 48 events in 8 sessions on 8 days.');
    const shown = Number(/Last (\d+) events? \(UTC/.exec(log)?.[1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(10);
    const rows = log.slice(log.indexOf('TIME')).split('\n').slice(1);
    expect(rows).toHaveLength(shown);
    for (const row of rows) expect(row).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}\S+ +\S+ +\S+$/);
    expect(log.endsWith(rows.at(-1)!)).toBe(true);
  });
});
