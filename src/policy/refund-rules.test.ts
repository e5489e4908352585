import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { z } from 'zod';
import {
  DEFAULT_REFUND_RULES,
  parseRefundRules,
  RefundRulesError,
  type RefundRulesLayer,
  refundRulesSchema,
  resolveRefundRules,
} from './refund-rules.js';

const PATH = 'companies.biz_x.dispute_alerts';

function issuesOf(raw: unknown, path = PATH): readonly string[] {
  try {
    parseRefundRules(raw, path);
  } catch (err) {
    if (err instanceof RefundRulesError) return err.issues;
    throw err;
  }
  throw new Error('expected a RefundRulesError');
}

describe('parseRefundRules', () => {
  it('reads the full form, amounts in minor units and durations in ms', () => {
    const raw = YAML.parse(`
enabled: true
alert_types: [dispute, dispute_rdr]
max_amount: { USD: 50, JPY: 5000, bhd: "12.5", EUR: 19.99 }
products: { allow: [prod_a, prod_b], deny: [prod_c] }
plans: { deny: [plan_x] }
min_payment_age: 1h
max_payment_age: 30d
cancel_membership: true
dry_run: true
daily_cap: { count: 5, amount: { USD: 200 } }
`);
    expect(parseRefundRules(raw, PATH)).toEqual({
      enabled: true,
      alert_types: ['dispute', 'dispute_rdr'],
      max_amount: { USD: 5000, JPY: 5000, BHD: 12_500, EUR: 1999 },
      products: { allow: ['prod_a', 'prod_b'], deny: ['prod_c'] },
      plans: { allow: null, deny: ['plan_x'] },
      min_payment_age: { text: '1h', ms: 3_600_000 },
      max_payment_age: { text: '30d', ms: 30 * 86_400_000 },
      cancel_membership: true,
      dry_run: true,
      daily_cap: { count: 5, amount: { USD: 20_000 } },
      notices: [],
    } satisfies RefundRulesLayer);
  });

  it('an absent block is an empty layer, and only keys written are set', () => {
    expect(parseRefundRules(undefined, PATH)).toEqual({ notices: [] });
    expect(parseRefundRules(null, PATH)).toEqual({ notices: [] });
    expect(parseRefundRules({ dry_run: true }, PATH)).toEqual({ dry_run: true, notices: [] });
  });

  it('a daily cap with only an amount keeps the built-in count', () => {
    expect(parseRefundRules({ daily_cap: { amount: { USD: 100 } } }, PATH).daily_cap).toEqual({
      count: DEFAULT_REFUND_RULES.daily_cap.count,
      amount: { USD: 10_000 },
    });
  });

  describe('the old form', () => {
    it('auto_refund + a bare max_amount → enabled, max_amount in USD only, with notices', () => {
      const layer = parseRefundRules({ auto_refund: true, max_amount: 50 }, PATH);
      expect(layer).toMatchObject({ enabled: true, max_amount: { USD: 5000 } });
      expect(layer.notices).toEqual([
        `${PATH}.auto_refund: old name, read as enabled: true`,
        `${PATH}.max_amount: a bare amount is read as USD only; write max_amount: { USD: 50 } (and a line per other currency to refund)`,
      ]);
      const rules = resolveRefundRules(undefined, layer);
      expect(rules).toEqual({ ...DEFAULT_REFUND_RULES, enabled: true, max_amount: { USD: 5000 } });
    });

    it.each([
      [{ auto_refund: false }, { enabled: false }],
      [{ auto_refund: true }, { enabled: true }],
      [
        { auto_refund: true, max_amount: 0 },
        { enabled: true, max_amount: { USD: 0 } },
      ],
      [
        { auto_refund: true, max_amount: 99.99 },
        { enabled: true, max_amount: { USD: 9999 } },
      ],
    ])('%j parses', (raw, expected) => {
      expect(parseRefundRules(raw, PATH)).toMatchObject(expected);
    });

    it('the old form with no max_amount is enabled but names no currency: nothing can be refunded', () => {
      expect(resolveRefundRules(undefined, parseRefundRules({ auto_refund: true }, PATH)).max_amount).toEqual(
        {},
      );
    });
  });

  it.each([
    [{ enabled: 'yes' }, `${PATH}.enabled: must be true or false`],
    [
      { enabled: true, auto_refund: true },
      `${PATH}.auto_refund: is the old name of enabled: set only enabled`,
    ],
    [{ max_amount: { USD: 0 } }, `${PATH}.max_amount.USD: must be a positive amount`],
    [{ max_amount: { USD: -5 } }, `${PATH}.max_amount.USD: must be a positive amount`],
    [{ max_amount: { USD: 'fifty' } }, `${PATH}.max_amount.USD: must be a positive amount`],
    [{ max_amount: { USD: true } }, `${PATH}.max_amount.USD: must be a positive amount`],
    [{ max_amount: { USD: 49.999 } }, `${PATH}.max_amount.USD: has more than 2 decimals`],
    [{ max_amount: { JPY: 500.5 } }, `${PATH}.max_amount.JPY: has decimals, but JPY has no minor unit`],
    [
      { max_amount: { USX: 5 } },
      `${PATH}.max_amount.USX: is not an ISO 4217 currency code (e.g. USD, EUR, JPY)`,
    ],
    [
      { max_amount: { BTC: 5 } },
      `${PATH}.max_amount.BTC: is not an ISO 4217 currency code (e.g. USD, EUR, JPY)`,
    ],
    [{ max_amount: { USD: 5, usd: 6 } }, `${PATH}.max_amount.usd: repeats USD`],
    [{ max_amount: -1 }, `${PATH}.max_amount: must be an amount ≥ 0`],
    [{ max_amount: 0.001 }, `${PATH}.max_amount: has more than 2 decimals (a bare amount is read as USD)`],
    [{ max_amount: 'USD 50' }, `${PATH}.max_amount: must be a map of currency to amount, e.g. { USD: 50 }`],
    [
      { alert_types: [] },
      `${PATH}.alert_types: is empty: list at least one alert type, or set enabled: false`,
    ],
    [{ alert_types: ['chargeback'] }, `${PATH}.alert_types.0: must be one of dispute, dispute_rdr, fraud`],
    [{ alert_types: 'fraud' }, `${PATH}.alert_types: must be a list of dispute, dispute_rdr, fraud`],
    [
      { products: { allow: [] } },
      `${PATH}.products.allow: is empty, which would refuse every payment: remove it to allow all`,
    ],
    [
      { products: { allow: ['prod_a'], deny: ['prod_a'] } },
      `${PATH}.products.deny: lists prod_a, also in allow`,
    ],
    [{ products: ['prod_a'] }, `${PATH}.products: must be { allow?, deny? } lists of ids`],
    [{ plans: { deny: [''] } }, `${PATH}.plans.deny.0: must be a non-empty id`],
    [{ plans: { block: ['plan_a'] } }, `${PATH}.plans.block: unknown key`],
    [{ min_payment_age: '30' }, `${PATH}.min_payment_age: must be a duration like 1h or 30d`],
    [{ min_payment_age: 3600 }, `${PATH}.min_payment_age: must be a duration like 1h or 30d`],
    [{ max_payment_age: '0d' }, `${PATH}.max_payment_age: must be a duration like 1h or 30d`],
    [{ max_payment_age: 'a month' }, `${PATH}.max_payment_age: must be a duration like 1h or 30d`],
    [
      { min_payment_age: '30d', max_payment_age: '1d' },
      `${PATH}.min_payment_age: must be less than max_payment_age`,
    ],
    [{ daily_cap: { count: 0 } }, `${PATH}.daily_cap.count: must be a whole number ≥ 1`],
    [{ daily_cap: { count: 2.5 } }, `${PATH}.daily_cap.count: must be a whole number ≥ 1`],
    [{ daily_cap: { amount: { EUR: 0 } } }, `${PATH}.daily_cap.amount.EUR: must be a positive amount`],
    [{ daily_cap: 10 }, `${PATH}.daily_cap: must be { count?, amount? }`],
    [{ cancel_membership: 1 }, `${PATH}.cancel_membership: must be true or false`],
    [{ max_amont: 5 }, `${PATH}.max_amont: unknown key`],
    [[], `${PATH}: must be an object`],
  ])('%j → %s', (raw, line) => {
    expect(issuesOf(raw)).toEqual([line]);
  });

  it('names every bad value, one line each, in the error message too', () => {
    let error: RefundRulesError | undefined;
    try {
      parseRefundRules({ enabled: 1, max_amount: { USD: 0, XYZ: 5 } }, 'defaults.dispute_alerts');
    } catch (err) {
      error = err as RefundRulesError;
    }
    expect(error?.issues).toEqual([
      'defaults.dispute_alerts.enabled: must be true or false',
      'defaults.dispute_alerts.max_amount.USD: must be a positive amount',
      'defaults.dispute_alerts.max_amount.XYZ: is not an ISO 4217 currency code (e.g. USD, EUR, JPY)',
    ]);
    expect(error?.message).toBe(`invalid refund rules: ${error?.issues.join('; ')}`);
  });
});

describe('refundRulesSchema, embedded in the policy file’s schema', () => {
  const file = z.strictObject({
    companies: z.record(z.string(), z.strictObject({ dispute_alerts: refundRulesSchema.optional() })),
  });

  it('gives the same layer, with notices relative to the block', () => {
    const parsed = file.parse({
      companies: { biz_x: { dispute_alerts: { auto_refund: true, max_amount: 50 } } },
    });
    expect(parsed.companies.biz_x?.dispute_alerts).toEqual({
      ...parseRefundRules({ auto_refund: true, max_amount: 50 }, PATH),
      notices: [
        'auto_refund: old name, read as enabled: true',
        'max_amount: a bare amount is read as USD only; write max_amount: { USD: 50 } (and a line per other currency to refund)',
      ],
    });
  });

  it('its issues carry the file’s full path', () => {
    const result = file.safeParse({ companies: { biz_x: { dispute_alerts: { max_amount: { USD: 0 } } } } });
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'companies.biz_x.dispute_alerts.max_amount.USD: must be a positive amount',
    ]);
  });
});

describe('resolveRefundRules', () => {
  it('with nothing set: off, with the built-in defaults', () => {
    expect(resolveRefundRules(undefined, undefined)).toEqual(DEFAULT_REFUND_RULES);
    expect(DEFAULT_REFUND_RULES).toMatchObject({
      enabled: false,
      alert_types: ['dispute', 'fraud'],
      max_amount: {},
      dry_run: false,
      daily_cap: { count: 20, amount: {} },
    });
  });

  const defaults = parseRefundRules(
    {
      enabled: true,
      max_amount: { USD: 50 },
      products: { deny: ['prod_x'] },
      max_payment_age: '60d',
      daily_cap: { count: 10, amount: { USD: 300 } },
    },
    'defaults.dispute_alerts',
  );

  it.each([
    ['nothing: the defaults', {}, { max_amount: { USD: 5000 }, products: { allow: null, deny: ['prod_x'] } }],
    [
      'a key replaces the default whole (no USD inherited)',
      { max_amount: { EUR: 40 } },
      { max_amount: { EUR: 4000 } },
    ],
    ['only the keys it sets', { dry_run: true }, { dry_run: true, enabled: true, max_amount: { USD: 5000 } }],
    ['daily_cap whole', { daily_cap: { count: 3 } }, { daily_cap: { count: 3, amount: {} } }],
    ['null removes a list', { products: null }, { products: { allow: null, deny: [] } }],
    ['null removes an age', { max_payment_age: null }, { max_payment_age: null }],
    ['enabled: false', { enabled: false }, { enabled: false }],
  ])('company sets %s', (_name, company, expected) => {
    expect(
      resolveRefundRules(defaults, parseRefundRules(company, 'companies.biz_x.dispute_alerts')),
    ).toMatchObject(expected);
  });

  it('refuses a merge whose minimum age is not below the maximum', () => {
    const company = parseRefundRules({ min_payment_age: '90d' }, PATH);
    expect(() => resolveRefundRules(defaults, company, PATH)).toThrow(
      `${PATH}.min_payment_age: 90d must be less than max_payment_age 60d (merged with defaults)`,
    );
  });
});
