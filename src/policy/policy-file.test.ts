import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { YAML_POLICY } from '../../test/support/sample-policy.js';
import { ALERT_CHANNELS, ALERT_KINDS, ALERT_SEVERITIES } from './alerts-section.js';
import { PolicyError } from './policy-error.js';
import { EMPTY_POLICY, loadPolicyFile, parsePolicy, policyFormatOf } from './policy-file.js';
import { REASON_CATEGORIES } from './reason-categories.js';

function policyError(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return err as PolicyError;
  }
  throw new Error('expected a PolicyError');
}

/** The one issue line produced by a policy with `defaults` set to `defaults`. */
function defaultsIssue(defaults: unknown): string[] {
  return policyError(() => parsePolicy(JSON.stringify({ defaults }), 'json')).issues;
}

describe('parsePolicy', () => {
  it('reads YAML', () => {
    const policy = parsePolicy(YAML_POLICY, 'yaml');
    expect(policy.defaults?.refund_policy?.accepted_via).toBe('checkbox at checkout');
    expect(policy.companies?.biz_alpha?.products?.prod_signals?.cancellation_policy).toBeNull();
    expect(policy.defaults?.alerts).toEqual({ channels: ['slack'] });
    expect(policy.companies?.biz_alpha?.alerts?.rules?.[0]?.min_amount).toBe(50);
  });

  it('reads the same policy as JSON', () => {
    const fromYaml = parsePolicy(YAML_POLICY, 'yaml');
    expect(parsePolicy(JSON.stringify(fromYaml), 'json')).toEqual(fromYaml);
  });

  it('accepts an empty object and the empty policy', () => {
    expect(parsePolicy('{}', 'json')).toEqual({});
    expect(parsePolicy(JSON.stringify(EMPTY_POLICY), 'json')).toEqual(EMPTY_POLICY);
  });

  it('rejects text that is not YAML or JSON, with the parser position', () => {
    const yaml = policyError(() => parsePolicy('defaults:\n  refund_policy: [unclosed', 'yaml'));
    expect(yaml.code).toBe('policy_invalid');
    expect(yaml.message).toMatch(/^not valid YAML: .*line/);
    const json = policyError(() => parsePolicy('{"defaults": ', 'json'));
    expect(json.message).toMatch(/^not valid JSON: /);
  });

  it('rejects duplicate YAML keys', () => {
    expect(() => parsePolicy('defaults: {}\ndefaults: {}\n', 'yaml')).toThrow(/not valid YAML/);
  });

  it('rejects an empty document and one that is not an object', () => {
    expect(policyError(() => parsePolicy('', 'yaml')).message).toMatch(/the policy is empty/);
    expect(policyError(() => parsePolicy('# only a comment\n', 'yaml')).message).toMatch(
      /the policy is empty/,
    );
    expect(policyError(() => parsePolicy('[]', 'json')).issues).toEqual([
      '(top level): must be an object with `defaults` and/or `companies`',
    ]);
    expect(policyError(() => parsePolicy('"text"', 'json')).issues).toEqual([
      '(top level): must be an object with `defaults` and/or `companies`',
    ]);
  });

  it('names the path of the bad value in the message', () => {
    const err = policyError(() =>
      parsePolicy(
        JSON.stringify({ companies: { biz_x: { refund_policy: { text: '  ', shown_at_checkout: true } } } }),
        'json',
      ),
    );
    expect(err.code).toBe('policy_invalid');
    expect(err.message).toBe(
      'invalid policy: companies.biz_x.refund_policy.text: must be a non-empty string',
    );
    expect(err.issues).toEqual(['companies.biz_x.refund_policy.text: must be a non-empty string']);
  });

  it('lists every problem at once', () => {
    const err = policyError(() =>
      parsePolicy(JSON.stringify({ defaults: { terms_url: 'nope', auto_submit: 'always' } }), 'json'),
    );
    expect(err.issues).toEqual([
      'defaults.terms_url: must be an http(s) URL',
      'defaults.auto_submit: must be one of never, immediately, before_deadline',
    ]);
    expect(err.message).toContain('; ');
  });

  describe('every validation error names its path', () => {
    const disclosure = { text: 'No refunds.', shown_at_checkout: true };
    it.each<[string, unknown, string]>([
      ['version', { version: 2 }, 'version: must be 1'],
      ['unknown top-level key', { default: {} }, 'default: unknown key'],
      ['defaults not an object', { defaults: 'x' }, 'defaults: must be an object'],
      ['companies not a map', { companies: ['biz_x'] }, 'companies: must be a map of company ids'],
      [
        'company id',
        { companies: { 'Autopilot Academy': {} } },
        'companies.Autopilot Academy: is not a Whop company id (biz_…)',
      ],
      ['company not an object', { companies: { biz_x: 5 } }, 'companies.biz_x: must be an object'],
      [
        'unknown company key',
        { companies: { biz_x: { refund_polciy: disclosure } } },
        'companies.biz_x.refund_polciy: unknown key',
      ],
      [
        'products not a map',
        { companies: { biz_x: { products: 'all' } } },
        'companies.biz_x.products: must be a map of product ids',
      ],
      [
        'product id',
        { companies: { biz_x: { products: { signals: {} } } } },
        'companies.biz_x.products.signals: is not a Whop product id (prod_…)',
      ],
      [
        'product not an object',
        { companies: { biz_x: { products: { prod_y: null } } } },
        'companies.biz_x.products.prod_y: must be an object',
      ],
      [
        'company-only key at product level',
        { companies: { biz_x: { products: { prod_y: { auto_submit: 'never' } } } } },
        'companies.biz_x.products.prod_y.auto_submit: unknown key',
      ],
      [
        'product description',
        { companies: { biz_x: { products: { prod_y: { product_description: '' } } } } },
        'companies.biz_x.products.prod_y.product_description: must be a non-empty string',
      ],
    ])('%s', (_name, input, issue) => {
      expect(policyError(() => parsePolicy(JSON.stringify(input), 'json')).issues).toEqual([issue]);
    });

    it.each<[string, unknown, string[]]>([
      [
        'product_description type',
        { product_description: 42 },
        ['defaults.product_description: must be a non-empty string'],
      ],
      [
        'refund_policy not an object',
        { refund_policy: 'No refunds' },
        ['defaults.refund_policy: must be an object'],
      ],
      [
        'refund_policy.text missing',
        { refund_policy: { shown_at_checkout: true } },
        ['defaults.refund_policy.text: is required'],
      ],
      [
        'refund_policy.text empty',
        { refund_policy: { ...disclosure, text: '' } },
        ['defaults.refund_policy.text: must be a non-empty string'],
      ],
      [
        'refund_policy.url',
        { refund_policy: { ...disclosure, url: 'ftp://x' } },
        ['defaults.refund_policy.url: must be an http(s) URL'],
      ],
      [
        'refund_policy.url not a URL',
        { refund_policy: { ...disclosure, url: 'refunds page' } },
        ['defaults.refund_policy.url: must be an http(s) URL'],
      ],
      [
        'shown_at_checkout missing',
        { refund_policy: { text: 'x' } },
        ['defaults.refund_policy.shown_at_checkout: is required'],
      ],
      [
        'shown_at_checkout not boolean',
        { refund_policy: { ...disclosure, shown_at_checkout: 'yes' } },
        ['defaults.refund_policy.shown_at_checkout: must be true or false'],
      ],
      [
        'accepted_via',
        { refund_policy: { ...disclosure, accepted_via: '' } },
        ['defaults.refund_policy.accepted_via: must be a non-empty string'],
      ],
      [
        'unknown disclosure key',
        { refund_policy: { ...disclosure, link: 'x' } },
        ['defaults.refund_policy.link: unknown key'],
      ],
      [
        'renewal_reminders only on cancellation',
        { refund_policy: { ...disclosure, renewal_reminders: 'x' } },
        ['defaults.refund_policy.renewal_reminders: unknown key'],
      ],
      [
        'cancellation_policy.text',
        { cancellation_policy: { ...disclosure, text: 7 } },
        ['defaults.cancellation_policy.text: must be a non-empty string'],
      ],
      [
        'cancellation_policy.renewal_reminders',
        { cancellation_policy: { ...disclosure, renewal_reminders: ' ' } },
        ['defaults.cancellation_policy.renewal_reminders: must be a non-empty string'],
      ],
      ['terms_url', { terms_url: 'example.com/terms' }, ['defaults.terms_url: must be an http(s) URL']],
      [
        'reason_wording not an object',
        { reason_wording: 'x' },
        ['defaults.reason_wording: must be an object'],
      ],
      [
        'reason_wording category',
        { reason_wording: { chargeback: 'x' } },
        ['defaults.reason_wording.chargeback: unknown key'],
      ],
      [
        'reason_wording text',
        { reason_wording: { fraud: '' } },
        ['defaults.reason_wording.fraud: must be a non-empty string'],
      ],
      [
        'auto_submit',
        { auto_submit: 'yes' },
        ['defaults.auto_submit: must be one of never, immediately, before_deadline'],
      ],
      [
        'submit_lead unreadable',
        { submit_lead: 'one day' },
        ['defaults.submit_lead: must be a duration like 12h or 2d'],
      ],
      [
        'submit_lead zero',
        { submit_lead: '0h' },
        ['defaults.submit_lead: must be a duration like 12h or 2d'],
      ],
      [
        'submit_lead a number',
        { submit_lead: 24 },
        ['defaults.submit_lead: must be a duration like 12h or 2d'],
      ],
      [
        'dispute_alerts not an object',
        { dispute_alerts: true },
        ['defaults.dispute_alerts: must be an object'],
      ],
      [
        'dispute_alerts.auto_refund missing',
        { dispute_alerts: {} },
        ['defaults.dispute_alerts.auto_refund: is required'],
      ],
      [
        'dispute_alerts.auto_refund',
        { dispute_alerts: { auto_refund: 'no' } },
        ['defaults.dispute_alerts.auto_refund: must be true or false'],
      ],
      [
        'dispute_alerts.max_amount type',
        { dispute_alerts: { auto_refund: true, max_amount: '50' } },
        ['defaults.dispute_alerts.max_amount: must be a number'],
      ],
      [
        'dispute_alerts.max_amount negative',
        { dispute_alerts: { auto_refund: true, max_amount: -1 } },
        ['defaults.dispute_alerts.max_amount: must be a number ≥ 0'],
      ],
      ['unknown settings key', { auto_sumbit: 'never' }, ['defaults.auto_sumbit: unknown key']],
    ])('defaults: %s', (_name, defaults, issues) => {
      expect(defaultsIssue(defaults)).toEqual(issues);
    });
  });

  it('takes `reason_wording` for every reason category evidence argues by, and no other', () => {
    const reason_wording = Object.fromEntries(REASON_CATEGORIES.map((c) => [c, `About ${c}.`]));
    const policy = parsePolicy(JSON.stringify({ defaults: { reason_wording } }), 'json');
    expect(policy.defaults?.reason_wording).toEqual(reason_wording);
    expect(defaultsIssue({ reason_wording: { ...reason_wording, chargeback: 'x' } })).toEqual([
      'defaults.reason_wording.chargeback: unknown key',
    ]);
  });

  it('validates the `alerts` section, naming each bad path', () => {
    const ok = {
      channels: ['slack', 'email'],
      rules: [
        { channels: ['slack'] },
        { channels: ['email'], kinds: ['dispute_opened', 'reminder'], severities: ['urgent'], min_amount: 0 },
      ],
    };
    expect(parsePolicy(JSON.stringify({ defaults: { alerts: ok } }), 'json').defaults?.alerts).toEqual(ok);
    expect(parsePolicy(JSON.stringify({ defaults: { alerts: null } }), 'json').defaults?.alerts).toBeNull();
    const channels = 'must be one of slack, discord, email, terminal';
    for (const [alerts, issue] of [
      ['x', 'defaults.alerts: must be an object'],
      [{ slack_webhook: 'https://hooks.slack.com/x' }, 'defaults.alerts.slack_webhook: unknown key'],
      [{ channels: 'slack' }, 'defaults.alerts.channels: must be a list of channels'],
      [{ channels: ['pager'] }, `defaults.alerts.channels.0: ${channels}`],
      [{ rules: {} }, 'defaults.alerts.rules: must be a list of rules'],
      [{ rules: ['slack'] }, 'defaults.alerts.rules.0: must be an object'],
      [{ rules: [{}] }, 'defaults.alerts.rules.0.channels: is required'],
      [{ rules: [{ channels: [] }] }, 'defaults.alerts.rules.0.channels: must name at least one channel'],
      [{ rules: [{ channels: ['slack'], kind: ['x'] }] }, 'defaults.alerts.rules.0.kind: unknown key'],
      [
        { rules: [{ channels: ['slack'], kinds: ['dispute'] }] },
        expect.stringMatching(
          /^defaults\.alerts\.rules\.0\.kinds\.0: must be one of dispute_opened, .*digest$/,
        ),
      ],
      [
        { rules: [{ channels: ['slack'], severities: ['loud'] }] },
        'defaults.alerts.rules.0.severities.0: must be one of info, warning, urgent',
      ],
      [
        { rules: [{ channels: ['slack'], min_amount: -1 }] },
        'defaults.alerts.rules.0.min_amount: must be a number ≥ 0',
      ],
      [
        { rules: [{ channels: ['slack'], min_amount: '50' }] },
        'defaults.alerts.rules.0.min_amount: must be a number',
      ],
    ] as const) {
      expect(defaultsIssue({ alerts })).toEqual([issue]);
    }
    expect(
      policyError(() =>
        parsePolicy(JSON.stringify({ companies: { biz_1: { alerts: { channels: ['pager'] } } } }), 'json'),
      ).issues,
    ).toEqual([`companies.biz_1.alerts.channels.0: ${channels}`]);
    expect(
      policyError(() =>
        parsePolicy(
          JSON.stringify({ companies: { biz_1: { products: { prod_1: { alerts: null } } } } }),
          'json',
        ),
      ).issues,
    ).toEqual(['companies.biz_1.products.prod_1.alerts: unknown key']);
  });
});

describe('loadPolicyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-test-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('picks the format from the extension', () => {
    expect(policyFormatOf('/etc/policy.YAML')).toBe('yaml');
    expect(policyFormatOf('policy.yml')).toBe('yaml');
    expect(policyFormatOf('policy.json')).toBe('json');
    expect(policyFormatOf('policy.toml')).toBeUndefined();
  });

  it('loads YAML and JSON files', () => {
    const yaml = loadPolicyFile(write('policy.yaml', YAML_POLICY));
    expect(loadPolicyFile(write('policy.json', JSON.stringify(yaml)))).toEqual(yaml);
  });

  it('names the file for a missing file', () => {
    const err = policyError(() => loadPolicyFile(join(dir, 'nope.yaml')));
    expect(err.code).toBe('policy_missing');
    expect(err.message).toBe(`POLICY_FILE ${join(dir, 'nope.yaml')} does not exist`);
  });

  it('names the file for a path that cannot be read', () => {
    // A directory named like a policy file exists but cannot be read as one.
    const folder = join(dir, 'folder.yaml');
    mkdirSync(folder);
    const err = policyError(() => loadPolicyFile(folder));
    expect(err.code).toBe('policy_unreadable');
    expect(err.message).toMatch(new RegExp(`^POLICY_FILE ${folder} cannot be read: `));
  });

  it('rejects an unknown extension', () => {
    const err = policyError(() => loadPolicyFile(write('policy.toml', 'x = 1')));
    expect(err.code).toBe('policy_invalid');
    expect(err.message).toMatch(/must end in \.yaml, \.yml or \.json/);
  });

  it('names the file and the line for bad YAML', () => {
    const path = write('bad.yaml', 'defaults:\n  refund_policy: {text: "a"\n');
    const err = policyError(() => loadPolicyFile(path));
    expect(err.code).toBe('policy_invalid');
    expect(err.message).toMatch(new RegExp(`^POLICY_FILE ${path}: not valid YAML: .*line \\d+`));
  });

  it('names the file and the path for an invalid value', () => {
    const path = write(
      'invalid.yml',
      'companies:\n  biz_x:\n    refund_policy:\n      text: ""\n      shown_at_checkout: true\n',
    );
    const err = policyError(() => loadPolicyFile(path));
    expect(err.message).toBe(
      `POLICY_FILE ${path}: invalid policy: companies.biz_x.refund_policy.text: must be a non-empty string`,
    );
    expect(err.issues).toEqual(['companies.biz_x.refund_policy.text: must be a non-empty string']);
  });

  it('POLICY.md names every reason category, alert channel, kind and severity the file accepts', () => {
    const doc = readFileSync(new URL('./POLICY.md', import.meta.url), 'utf8');
    for (const name of [...REASON_CATEGORIES, ...ALERT_CHANNELS, ...ALERT_KINDS, ...ALERT_SEVERITIES]) {
      expect(doc).toContain(`\`${name}\``);
    }
  });

  it('loads the example in POLICY.md', () => {
    const doc = readFileSync(new URL('./POLICY.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const policy = loadPolicyFile(write('example.yaml', example!));
    expect(Object.keys(policy.companies ?? {}).length).toBeGreaterThan(0);
  });
});
