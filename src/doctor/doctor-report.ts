/**
 * What `doctor` found, as data (for `--json` and the dashboard's health page) and as text for a person.
 * Pure: the probes' outcomes and the Redis inspection in, verdicts out.
 */
import { evictionProblem, type RedisInspection } from '../redis/redis-checks.js';
import { permissionDenial } from '../whop/permission-denial.js';
import {
  CALL_PERMISSIONS,
  FEATURE_CALLS,
  type Feature,
  type FeatureCalls,
  type WhopCall,
} from '../whop/permissions.js';
import type { ProbeOutcome } from './permission-probes.js';

/** One SDK call's verdict. */
export type CallCheck =
  | { call: WhopCall; status: 'ok'; note: string }
  /** `permissions`: what the key may lack, the one Whop named first (`named`). */
  | { call: WhopCall; status: 'missing'; named: string | null; permissions: string[]; whopMessage: string }
  | { call: WhopCall; status: 'unchecked'; reason: string }
  | { call: WhopCall; status: 'not_needed'; note: string };

/**
 * A feature's verdict: `missing` when a call it needs is refused (it does not work), `unchecked` when one
 * could not be probed, `degraded` when only calls that add facts are refused (it works with fewer), `ok`.
 */
export interface FeatureCheck {
  feature: Feature;
  label: string;
  status: 'ok' | 'degraded' | 'missing' | 'unchecked';
  /** Permissions the required calls lack: Whop named them (it names one per answer). */
  missing: string[];
  /**
   * Permissions the refused required calls also need that no call proved present: they may be missing
   * too (run doctor again once `missing` is granted).
   */
  mayLack: string[];
  /** Whop's words for a refused required call that named no permission (no access to the company …). */
  refusals: string[];
  /** Permissions Whop named for the optional calls only: the feature works with fewer facts. */
  degradedWithout: string[];
  calls: { call: WhopCall; required: boolean; status: CallCheck['status'] }[];
}

export interface RedisCheck {
  status: 'ok' | 'problem';
  problems: string[];
  inspection: RedisInspection;
}

export interface DoctorReport {
  /** Nothing required is missing or unchecked, and Redis is fit for the queue and the store. */
  ok: boolean;
  checkedAt: string;
  /** The company the list probes asked about, or null when none is known. */
  companyId: string | null;
  features: FeatureCheck[];
  calls: CallCheck[];
  redis: RedisCheck;
}

/**
 * Per-call verdicts. A refused call's permissions are narrowed by what the calls that went through
 * prove the key holds (`missingFor`); Whop names one missing permission per answer.
 */
export function callChecks(outcomes: ReadonlyMap<WhopCall, ProbeOutcome>): CallCheck[] {
  const granted = new Set(
    [...outcomes].filter(([, o]) => o.status === 'ok').flatMap(([call]) => CALL_PERMISSIONS[call]),
  );
  return [...outcomes].map(([call, o]): CallCheck => {
    switch (o.status) {
      case 'ok':
        return {
          call,
          status: 'ok',
          note: o.answered === 404 ? 'answered 404 for the probe id: permissions present' : 'answered',
        };
      case 'forbidden': {
        const d = permissionDenial(call, null, o.error, granted);
        return {
          call,
          status: 'missing',
          named: d.named,
          permissions: d.permissions,
          whopMessage: d.whopMessage,
        };
      }
      case 'unchecked':
        return { call, status: 'unchecked', reason: o.reason };
      default:
        return { call, status: 'not_needed', note: 'the SDK lists no permission for it' };
    }
  });
}

/** Each feature's verdict from its calls' (see `FEATURE_CALLS`). */
export function featureChecks(calls: readonly CallCheck[]): FeatureCheck[] {
  const byCall = new Map(calls.map((c) => [c.call, c]));
  return (Object.entries(FEATURE_CALLS) as [Feature, FeatureCalls][]).map(([feature, f]) => {
    const list = [
      ...f.required.map((call) => ({ call, required: true })),
      ...f.optional.map((call) => ({ call, required: false })),
    ].map(({ call, required }) => ({ call, required, check: byCall.get(call) }));
    const refused = (required: boolean) =>
      list
        .filter((c) => c.required === required && c.check?.status === 'missing')
        .map((c) => c.check as Extract<CallCheck, { status: 'missing' }>);
    const unique = (xs: string[]) => [...new Set(xs)];
    const missing = unique(refused(true).flatMap((c) => (c.named ? [c.named] : [])));
    const mayLack = unique(refused(true).flatMap((c) => c.permissions)).filter((p) => !missing.includes(p));
    const refusals = unique(refused(true).flatMap((c) => (c.named ? [] : [`${c.call}: ${c.whopMessage}`])));
    const degradedWithout = unique(
      refused(false).flatMap((c) => (c.named ? [c.named] : c.permissions)),
    ).filter((p) => !missing.includes(p));
    const unchecked = list.some((c) => c.required && (!c.check || c.check.status === 'unchecked'));
    const status: FeatureCheck['status'] = refused(true).length
      ? 'missing'
      : unchecked
        ? 'unchecked'
        : degradedWithout.length
          ? 'degraded'
          : 'ok';
    return {
      feature,
      label: f.label,
      status,
      missing,
      mayLack,
      refusals,
      degradedWithout,
      calls: list.map((c) => ({
        call: c.call,
        required: c.required,
        status: c.check?.status ?? 'unchecked',
      })),
    };
  });
}

/** Redis is fit when it answers, takes writes and never evicts (see redis-checks.ts). */
export function redisCheck(inspection: RedisInspection): RedisCheck {
  const problems: string[] = [];
  if (!inspection.reachable) {
    problems.push(`Redis is unreachable at REDIS_URL${inspection.error ? `: ${inspection.error}` : ''}`);
  } else {
    if (!inspection.writable) {
      problems.push(`Redis refuses writes${inspection.error ? `: ${inspection.error}` : ''}`);
    }
    const eviction = evictionProblem(inspection.evictionPolicy);
    if (eviction) problems.push(eviction);
  }
  return { status: problems.length ? 'problem' : 'ok', problems, inspection };
}

export function doctorReport(input: {
  outcomes: ReadonlyMap<WhopCall, ProbeOutcome>;
  redis: RedisInspection;
  companyId: string | null;
  now: Date;
}): DoctorReport {
  const calls = callChecks(input.outcomes);
  const features = featureChecks(calls);
  const redis = redisCheck(input.redis);
  return {
    ok: features.every((f) => f.status === 'ok' || f.status === 'degraded') && redis.status === 'ok',
    checkedAt: input.now.toISOString(),
    companyId: input.companyId,
    features,
    calls,
    redis,
  };
}

const FEATURE_WORD: Record<FeatureCheck['status'], string> = {
  ok: 'OK',
  degraded: 'DEGRADED',
  missing: 'MISSING',
  unchecked: 'COULD NOT CHECK',
};

/** The report for a person: one line per feature, then the calls that are not OK, then Redis. */
export function formatDoctorReport(r: DoctorReport): string {
  const lines: string[] = [];
  const pad = (s: string) => s.padEnd(16);
  lines.push(
    `Whop API key (each permission probed with a harmless call${r.companyId ? `; lists asked about ${r.companyId}` : ''}):`,
  );
  for (const f of r.features) {
    let detail = '';
    if (f.status === 'missing') {
      const parts = [
        ...(f.missing.length ? [`missing ${f.missing.join(', ')}`] : []),
        ...f.refusals.map((r) => `refused ${r}`),
      ];
      detail =
        `: ${parts.join('; ')}` +
        (f.mayLack.length ? ` (may also lack ${f.mayLack.join(', ')}: Whop names one at a time)` : '');
    } else if (f.status === 'unchecked') {
      const reasons = new Set(
        r.calls
          .filter((c) => c.status === 'unchecked' && f.calls.some((x) => x.required && x.call === c.call))
          .map((c) => (c as Extract<CallCheck, { status: 'unchecked' }>).reason),
      );
      detail = `: ${[...reasons].join('; ')}`;
    } else if (f.status === 'degraded') {
      detail = `: works, with fewer facts, without ${f.degradedWithout.join(', ')}`;
    }
    lines.push(`  ${pad(FEATURE_WORD[f.status])}${f.label}${detail}`);
  }
  const notOk = r.calls.filter((c) => c.status === 'missing' || c.status === 'unchecked');
  if (notOk.length) {
    lines.push('', 'Calls Whop refused or that could not be checked:');
    for (const c of notOk) {
      if (c.status === 'missing') {
        const others = c.permissions.filter((p) => p !== c.named);
        const what = c.named
          ? `needs ${c.named}${others.length ? ` (may also need ${others.join(', ')})` : ''}`
          : `refused: ${c.whopMessage}${others.length ? ` (needs one of ${others.join(', ')})` : ''}`;
        lines.push(`  ${pad('missing')}${c.call}: ${what}`);
      } else if (c.status === 'unchecked') {
        lines.push(`  ${pad('could not check')}${c.call}: ${c.reason}`);
      }
    }
  }
  const i = r.redis.inspection;
  lines.push('', 'Redis:');
  if (r.redis.status === 'ok') {
    lines.push(
      `  ${pad('OK')}reachable, writable, maxmemory-policy ${i.evictionPolicy}${i.version ? ` (Redis ${i.version})` : ''}`,
    );
  } else {
    for (const p of r.redis.problems) lines.push(`  ${pad('PROBLEM')}${p}`);
  }
  const missing = [...new Set(r.features.flatMap((f) => f.missing))];
  lines.push('');
  if (r.ok) {
    const degraded = [...new Set(r.features.flatMap((f) => f.degradedWithout))];
    lines.push(
      degraded.length
        ? `Ready. Give the API key ${degraded.join(', ')} in Whop's developer settings for the fuller evidence.`
        : 'Ready: every permission present, Redis fit.',
    );
  } else {
    const refusals = r.features.some((f) => f.refusals.length);
    const todo = [
      ...(missing.length
        ? [`give the API key ${missing.join(', ')} in Whop's developer settings, then run doctor again`]
        : []),
      ...(refusals ? ["check the API key's access to the company"] : []),
      ...(r.features.some((f) => f.status === 'unchecked') ? ['make the unchecked calls checkable'] : []),
      ...(r.redis.status === 'problem' ? ['fix Redis'] : []),
    ];
    lines.push(`Not ready: ${todo.join('; ')}.`);
  }
  return lines.join('\n');
}
