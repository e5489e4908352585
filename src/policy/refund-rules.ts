/**
 * The auto-refund rules in the policy file: the `dispute_alerts` block, at `defaults` and per company.
 * When a dispute alert (`dispute_alert.created`) arrives, these say whether the service refunds the
 * payment to head off the chargeback (decided in src/refunds/decide-refund.ts).
 *
 *   dispute_alerts:
 *     enabled: true                      # default false: nothing is refunded unless a merchant says so
 *     alert_types: [dispute, fraud]      # default; any of dispute, dispute_rdr, fraud (SDK DisputeAlertType)
 *     max_amount: { USD: 50, JPY: 5000 } # per currency, decimal in the currency; a currency not listed
 *                                        # is never refunded
 *     products: { allow: [prod_…], deny: [prod_…] }   # both optional; deny wins
 *     plans: { allow: [plan_…], deny: [plan_…] }
 *     min_payment_age: 1h                # payment age = now − paid_at (else created_at)
 *     max_payment_age: 60d
 *     cancel_membership: false           # cancel the payment's membership after refunding
 *     dry_run: false                     # decide and record "would refund …", never call Whop
 *     daily_cap: { count: 20, amount: { USD: 500 } }   # per company and UTC day; count defaults to 20
 *
 * Merge: `defaults` ← company, key by key on the keys above. A company key replaces the default's value
 * whole: a company's `max_amount: { EUR: 40 }` does not inherit the default `USD: 50`, and its
 * `daily_cap` or `products` replaces the default's entirely, because a list or limit a merchant writes
 * for one company should be all there is (merging maps could refund a currency the company never named).
 * `null` on `products`, `plans`, `min_payment_age`, `max_payment_age` removes an inherited value.
 *
 * The old form `dispute_alerts: { auto_refund: true, max_amount: 50 }` still parses: `auto_refund` is
 * the old name of `enabled`, and a bare `max_amount` number is read as **USD only** (`{ USD: 50 }`).
 * The old README said "the payment's currency", but 50 means very different money in JPY and USD, and
 * no code ever acted on the old setting, so reading it as USD can only refund less than the merchant
 * wrote, never more; a notice asks for the explicit form. Refusing it instead would stop a service with
 * a policy file that was valid yesterday from starting. `auto_refund: true` with no `max_amount` parses
 * too and refunds nothing (no currency has a maximum), with the reason in each decision.
 *
 * Configuration: imports no feature folder, only src/config and the src/money kernel (src/refunds imports
 * these types).
 */
import type { DisputeAlertType } from '@whop/sdk/resources/dispute-alerts';
import { z } from 'zod';
import { parseDuration } from '../config/duration.js';
import { AmountError, currencyCode, isFiatCurrency, toMinor } from '../money/money.js';
import { flag, issueLines, pick } from './fields.js';

/** The SDK's `DisputeAlertType` (dispute-alerts.ts), as values. */
export const DISPUTE_ALERT_TYPES = [
  'dispute',
  'dispute_rdr',
  'fraud',
] as const satisfies readonly DisputeAlertType[];
// Fails to compile if the SDK adds an alert type this list lacks.
const _allAlertTypes: readonly (typeof DISPUTE_ALERT_TYPES)[number][] = [] as DisputeAlertType[];
void _allAlertTypes;

/** Amounts per currency: upper-case ISO 4217 code → integer **minor units** (`{ USD: 5000 }` = $50.00). */
export type MinorByCurrency = Readonly<Record<string, number>>;

/** A duration as written (`30d`) and in milliseconds. */
export interface RuleDuration {
  text: string;
  ms: number;
}

/** Whop ids (opaque, never prefix-checked). `allow: null` = every id; `deny` wins over `allow`. */
export interface IdLists {
  allow: readonly string[] | null;
  deny: readonly string[];
}

/** The rules that apply to one company, every level merged; keys as in the policy file. */
export interface RefundRules {
  enabled: boolean;
  alert_types: readonly DisputeAlertType[];
  /** Largest alert amount refunded, per currency, minor units. A currency not listed: never refunded. */
  max_amount: MinorByCurrency;
  products: IdLists;
  plans: IdLists;
  /** Refund only payments at least this old (since paid_at, else created_at). */
  min_payment_age: RuleDuration | null;
  /** Refund only payments at most this old. */
  max_payment_age: RuleDuration | null;
  cancel_membership: boolean;
  dry_run: boolean;
  /** Per company and UTC day, counting only refunds this service sent. `amount`: minor units; a currency
   *  not listed is bounded by `count` × its `max_amount`. */
  daily_cap: { count: number; amount: MinorByCurrency };
}

/** One level's `dispute_alerts` block as parsed: only the keys it sets (`null` = remove inherited). */
export interface RefundRulesLayer {
  enabled?: boolean;
  alert_types?: readonly DisputeAlertType[];
  max_amount?: MinorByCurrency;
  products?: IdLists | null;
  plans?: IdLists | null;
  min_payment_age?: RuleDuration | null;
  max_payment_age?: RuleDuration | null;
  cancel_membership?: boolean;
  dry_run?: boolean;
  daily_cap?: { count: number; amount: MinorByCurrency };
  /** `path: …` lines about the old form, for the loader to log once at start (relative to the block
   *  from `refundRulesSchema`, prefixed with its path by `parseRefundRules`). */
  notices: readonly string[];
}

/**
 * Built-in defaults under every level. `dispute_rdr` alerts are left out: under Visa Rapid Dispute
 * Resolution the dispute is settled by an automatic credit on the merchant's pre-set terms, and Whop's
 * own early-alert refund shows as the `auto_refunded` substatus (issue 11; shared.ts
 * `FriendlyReceiptStatus`), possibly only after the alert arrives, so a refund of ours could come on top.
 * A merchant opts in by listing `dispute_rdr`; decide-refund.ts still records, never refunds, an RDR
 * alert whose payment already shows a refund.
 */
export const DEFAULT_REFUND_RULES: RefundRules = Object.freeze({
  enabled: false,
  alert_types: Object.freeze(['dispute', 'fraud'] as const),
  max_amount: Object.freeze({}),
  products: Object.freeze({ allow: null, deny: Object.freeze([]) }),
  plans: Object.freeze({ allow: null, deny: Object.freeze([]) }),
  min_payment_age: null,
  max_payment_age: null,
  cancel_membership: false,
  dry_run: false,
  daily_cap: Object.freeze({ count: 20, amount: Object.freeze({}) }),
});

/** A `dispute_alerts` block the file got wrong; `issues` has one `path: problem` line per bad value. */
export class RefundRulesError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`invalid refund rules: ${issues.join('; ')}`);
    this.name = 'RefundRulesError';
  }
}

/** A decimal amount (number, or a decimal string) in the currency its key names → minor units. */
const currencyAmounts = z
  .record(z.string(), z.unknown(), { error: 'must be a map of currency to amount, e.g. { USD: 50 }' })
  .transform((map, ctx) => {
    const out: Record<string, number> = {};
    const problem = 'must be a positive amount';
    for (const [key, value] of Object.entries(map)) {
      if (!isFiatCurrency(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'is not an ISO 4217 currency code (e.g. USD, EUR, JPY)',
        });
        continue;
      }
      const code = currencyCode(key);
      if (code in out) {
        ctx.addIssue({ code: 'custom', path: [key], message: `repeats ${code}` });
        continue;
      }
      if (typeof value !== 'number' && typeof value !== 'string') {
        ctx.addIssue({ code: 'custom', path: [key], message: problem });
        continue;
      }
      try {
        const minor = toMinor(value, code);
        if (minor === 0) ctx.addIssue({ code: 'custom', path: [key], message: problem });
        else out[code] = minor;
      } catch (err) {
        if (!(err instanceof AmountError)) throw err;
        const message = err.code === 'inexact_amount' ? err.message.replace(/^.*? has /, 'has ') : problem;
        ctx.addIssue({ code: 'custom', path: [key], message });
      }
    }
    return out as MinorByCurrency;
  });

/**
 * `max_amount`: a currency map, or the old form's bare number, read as USD only (see the header). One
 * transform rather than a zod union, so every bad currency in a map gets its own line.
 */
const maxAmount = z.unknown().transform((value, ctx): { minor: MinorByCurrency; bare: number | null } => {
  if (typeof value === 'number') {
    try {
      return { minor: { USD: toMinor(value, 'USD') }, bare: value };
    } catch (err) {
      if (!(err instanceof AmountError)) throw err;
      const message =
        err.code === 'inexact_amount'
          ? 'has more than 2 decimals (a bare amount is read as USD)'
          : 'must be an amount ≥ 0';
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
  }
  const map = currencyAmounts.safeParse(value);
  if (map.success) return { minor: map.data, bare: null };
  for (const issue of map.error.issues)
    ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  return z.NEVER;
});

const age = (positive: boolean) =>
  z.string({ error: 'must be a duration like 1h or 30d' }).transform((text, ctx): RuleDuration => {
    const ms = /[a-z]\s*$/i.test(text) ? parseDuration(text) : undefined;
    if (ms === undefined || (positive && ms <= 0)) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration like 1h or 30d' });
      return z.NEVER;
    }
    return { text: text.trim(), ms };
  });

const idList = z
  .array(z.string().trim().min(1, 'must be a non-empty id'), { error: 'must be a list of ids' })
  .transform((ids) => [...new Set(ids)]);

const idLists = z
  .strictObject(
    {
      allow: idList
        .refine((ids) => ids.length > 0, 'is empty, which would refuse every payment: remove it to allow all')
        .optional(),
      deny: idList.optional(),
    },
    { error: 'must be { allow?, deny? } lists of ids' },
  )
  .transform((lists, ctx): IdLists => {
    for (const id of lists.allow ?? []) {
      if (lists.deny?.includes(id))
        ctx.addIssue({ code: 'custom', path: ['deny'], message: `lists ${id}, also in allow` });
    }
    return { allow: lists.allow ?? null, deny: lists.deny ?? [] };
  });

const blockSchema = z
  .strictObject(
    {
      enabled: flag.optional(),
      auto_refund: flag.optional(),
      alert_types: z
        .array(z.enum(DISPUTE_ALERT_TYPES, { error: `must be one of ${DISPUTE_ALERT_TYPES.join(', ')}` }), {
          error: `must be a list of ${DISPUTE_ALERT_TYPES.join(', ')}`,
        })
        .min(1, 'is empty: list at least one alert type, or set enabled: false')
        .transform((types) => [...new Set(types)])
        .optional(),
      max_amount: maxAmount.optional(),
      products: idLists.nullable().optional(),
      plans: idLists.nullable().optional(),
      min_payment_age: age(false).nullable().optional(),
      max_payment_age: age(true).nullable().optional(),
      cancel_membership: flag.optional(),
      dry_run: flag.optional(),
      daily_cap: z
        .strictObject(
          {
            count: z
              .number({ error: 'must be a whole number ≥ 1' })
              .int('must be a whole number ≥ 1')
              .min(1, 'must be a whole number ≥ 1')
              .optional(),
            amount: currencyAmounts.optional(),
          },
          { error: 'must be { count?, amount? }' },
        )
        // A cap names its own count or takes the built-in one: a runaway is always bounded by a count.
        .transform((cap) => ({
          count: cap.count ?? DEFAULT_REFUND_RULES.daily_cap.count,
          amount: cap.amount ?? {},
        }))
        .optional(),
    },
    { error: 'must be an object' },
  )
  .superRefine((block, ctx) => {
    if (block.enabled !== undefined && block.auto_refund !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['auto_refund'],
        message: 'is the old name of enabled: set only enabled',
      });
    }
    const min = block.min_payment_age;
    const max = block.max_payment_age;
    if (min && max && min.ms >= max.ms) {
      ctx.addIssue({
        code: 'custom',
        path: ['min_payment_age'],
        message: 'must be less than max_payment_age',
      });
    }
  });

/**
 * One level's `dispute_alerts` block → its `RefundRulesLayer`, for embedding in the policy file's own
 * schema (`dispute_alerts: refundRulesSchema.optional()`): issues then carry the file's full path, and
 * the layer's `notices` are relative to the block (`max_amount: …`), for the loader to prefix.
 */
export const refundRulesSchema = blockSchema.transform((block): RefundRulesLayer => {
  const { auto_refund, enabled, max_amount, ...rest } = block;
  const notices: string[] = [];
  if (auto_refund !== undefined) notices.push(`auto_refund: old name, read as enabled: ${auto_refund}`);
  if (max_amount?.bare != null) {
    notices.push(
      `max_amount: a bare amount is read as USD only; write max_amount: { USD: ${max_amount.bare} } (and a line per other currency to refund)`,
    );
  }
  const layer: RefundRulesLayer = { ...rest, notices };
  const on = enabled ?? auto_refund;
  if (on !== undefined) layer.enabled = on;
  if (max_amount !== undefined) layer.max_amount = max_amount.minor;
  for (const key of Object.keys(layer) as (keyof RefundRulesLayer)[]) {
    if (layer[key] === undefined) delete layer[key];
  }
  return layer;
});

/**
 * Parses one level's `dispute_alerts` block on its own. `path` is where it sits in the file
 * (`companies.biz_x.dispute_alerts`): error lines and the layer's `notices` start with it. Amounts
 * become minor units, durations milliseconds. `undefined` or `null` (no block) is an empty layer.
 *
 * Throws `RefundRulesError` naming every bad value, one line each, e.g.
 * `companies.biz_x.dispute_alerts.max_amount.USD: must be a positive amount`.
 */
export function parseRefundRules(raw: unknown, path: string): RefundRulesLayer {
  if (raw === undefined || raw === null) return { notices: [] };
  const parsed = refundRulesSchema.safeParse(raw);
  if (!parsed.success) throw new RefundRulesError(issueLines(parsed.error, path));
  return { ...parsed.data, notices: parsed.data.notices.map((line) => (path ? `${path}.${line}` : line)) };
}

/**
 * The rules for one company: built-in defaults ← `defaults` ← company, key by key (see the header).
 * Throws `RefundRulesError` when the merge is inconsistent (a `min_payment_age` from one level not below a
 * `max_payment_age` from another): the loader calls this for every company at start, so a worker never
 * meets the error. `path` names the company's block in that message.
 */
export function resolveRefundRules(
  defaults: RefundRulesLayer | undefined,
  company: RefundRulesLayer | undefined,
  path = 'dispute_alerts',
): RefundRules {
  const b = DEFAULT_REFUND_RULES;
  const d = defaults ?? { notices: [] };
  const c = company ?? { notices: [] };
  const rules: RefundRules = {
    enabled: pick(c.enabled, d.enabled) ?? b.enabled,
    alert_types: pick(c.alert_types, d.alert_types) ?? b.alert_types,
    max_amount: pick(c.max_amount, d.max_amount) ?? b.max_amount,
    products: pick(c.products, d.products) ?? b.products,
    plans: pick(c.plans, d.plans) ?? b.plans,
    min_payment_age: pick(c.min_payment_age, d.min_payment_age) ?? b.min_payment_age,
    max_payment_age: pick(c.max_payment_age, d.max_payment_age) ?? b.max_payment_age,
    cancel_membership: pick(c.cancel_membership, d.cancel_membership) ?? b.cancel_membership,
    dry_run: pick(c.dry_run, d.dry_run) ?? b.dry_run,
    daily_cap: pick(c.daily_cap, d.daily_cap) ?? b.daily_cap,
  };
  const { min_payment_age: min, max_payment_age: max } = rules;
  if (min && max && min.ms >= max.ms) {
    throw new RefundRulesError([
      `${path}.min_payment_age: ${min.text} must be less than max_payment_age ${max.text} (merged with defaults)`,
    ]);
  }
  return rules;
}
