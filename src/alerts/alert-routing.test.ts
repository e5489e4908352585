import { describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { parseAlertPolicy, routeAlert } from './alert-routing.js';

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'a1',
  kind: 'dispute_opened',
  severity: 'urgent',
  companyId: 'biz_1',
  title: 't',
  summary: 's',
  fields: [],
  amount: { value: 80, currency: 'usd' },
  ...over,
});

describe('routeAlert', () => {
  const all = ['slack', 'discord', 'email'] as const;
  it('sends to every configured channel without a policy, or to the policy’s channels', () => {
    expect(routeAlert(alert(), null, all)).toEqual(['slack', 'discord', 'email']);
    expect(routeAlert(alert(), { channels: ['slack'] }, all)).toEqual(['slack']);
    expect(routeAlert(alert(), { channels: ['email'] }, ['slack'])).toEqual([]);
  });

  it('follows rules: by kind, severity and minimum amount (only disputes over $50 to email)', () => {
    const policy = parseAlertPolicy(
      {
        rules: [
          { channels: ['slack', 'discord'] },
          { channels: ['email'], kinds: ['dispute_opened'], min_amount: 50 },
        ],
      },
      'alerts',
    );
    expect(routeAlert(alert(), policy, all)).toEqual(['slack', 'discord', 'email']);
    expect(routeAlert(alert({ amount: { value: 20, currency: 'usd' } }), policy, all)).toEqual([
      'slack',
      'discord',
    ]);
    expect(routeAlert(alert({ kind: 'reminder' }), policy, all)).toEqual(['slack', 'discord']);
    expect(routeAlert(alert({ amount: undefined }), policy, all)).toEqual(['slack', 'discord']);
    const urgentOnly = parseAlertPolicy(
      { rules: [{ channels: ['slack'], severities: ['urgent'] }] },
      'alerts',
    );
    expect(routeAlert(alert({ severity: 'info' }), urgentOnly, all)).toEqual([]);
  });

  it('names the bad part of an alerts section', () => {
    expect(() => parseAlertPolicy({ channels: ['pager'] }, 'companies.biz_1.alerts')).toThrow(
      /^POLICY_FILE companies\.biz_1\.alerts\.channels\.0: /,
    );
    expect(() => parseAlertPolicy({ rules: [{ channels: ['slack'], kind: ['x'] }] }, 'alerts')).toThrow(
      /^POLICY_FILE alerts\.rules\.0/,
    );
    expect(parseAlertPolicy(undefined, 'alerts')).toBeNull();
  });
});
