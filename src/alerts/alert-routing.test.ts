import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/policy-file.js';
import type { Alert } from './alert.js';
import { type AlertPolicy, alertPolicyLookup, routeAlert } from './alert-routing.js';

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
    const policy: AlertPolicy = {
      rules: [
        { channels: ['slack', 'discord'] },
        { channels: ['email'], kinds: ['dispute_opened'], min_amount: 50 },
      ],
    };
    expect(routeAlert(alert(), policy, all)).toEqual(['slack', 'discord', 'email']);
    expect(routeAlert(alert({ amount: { value: 20, currency: 'usd' } }), policy, all)).toEqual([
      'slack',
      'discord',
    ]);
    expect(routeAlert(alert({ kind: 'reminder' }), policy, all)).toEqual(['slack', 'discord']);
    expect(routeAlert(alert({ amount: undefined }), policy, all)).toEqual(['slack', 'discord']);
    const urgentOnly: AlertPolicy = { rules: [{ channels: ['slack'], severities: ['urgent'] }] };
    expect(routeAlert(alert({ severity: 'info' }), urgentOnly, all)).toEqual([]);
  });

  it('reads a company’s own alerts section, else the defaults’ (the policy file validates both)', () => {
    const lookup = alertPolicyLookup(
      parsePolicy(
        JSON.stringify({
          defaults: { alerts: { channels: ['slack'] } },
          companies: {
            biz_email: { alerts: { channels: ['email'] } },
            biz_everywhere: { alerts: null },
            biz_plain: { terms_url: 'https://example.com/terms' },
          },
        }),
        'json',
      ),
    );
    expect(lookup('biz_email')).toEqual({ channels: ['email'] });
    expect(lookup('biz_everywhere')).toBeNull();
    expect(lookup('biz_plain')).toEqual({ channels: ['slack'] });
    expect(lookup('biz_unknown')).toEqual({ channels: ['slack'] });
    expect(lookup(null)).toEqual({ channels: ['slack'] });
    expect(alertPolicyLookup(parsePolicy('{}', 'json'))('biz_email')).toBeNull();
  });
});
