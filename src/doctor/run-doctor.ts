import type Whop from '@whop/sdk';
import type { Redis } from 'ioredis';
import { inspectRedis } from '../redis/redis-checks.js';
import { CaseStore } from '../store/case-store.js';
import { CALL_PERMISSIONS, FEATURE_CALLS, type WhopCall } from '../whop/permissions.js';
import { type DoctorReport, doctorReport } from './doctor-report.js';
import { type ProbeOutcome, probeCall } from './permission-probes.js';

export type { DoctorReport };

export interface DoctorDeps {
  /** A client with the configured key (no SDK retries: a probe's answer is what we want). */
  whop: Whop;
  /** A connection that fails fast when Redis is down (it is probed, not relied on). */
  redis: Redis;
  /** WHOP_COMPANY_IDS; the companies in the store are used when it is empty. */
  companyIds: readonly string[];
  now?: () => Date;
}

/**
 * Checks what the service needs outside itself: every permission each feature's Whop calls need (one
 * harmless probe per SDK method, see permission-probes.ts; one at a time, to stay gentle), and Redis
 * (reachable, writable, `noeviction`). Never throws for what it checks: each failure is in the report.
 * For `npm run cli -- doctor` and the dashboard's health page.
 */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const now = deps.now ?? (() => new Date());
  const redis = await inspectRedis(deps.redis);
  const known = redis.reachable ? await new CaseStore(deps.redis).companies().catch(() => []) : [];
  const companyId = deps.companyIds[0] ?? known[0] ?? null;
  const needed = new Set(Object.values(FEATURE_CALLS).flatMap((f) => [...f.required, ...f.optional]));
  const outcomes = new Map<WhopCall, ProbeOutcome>();
  for (const call of Object.keys(CALL_PERMISSIONS) as WhopCall[]) {
    if (needed.has(call)) outcomes.set(call, await probeCall(deps.whop, call, companyId));
  }
  return doctorReport({ outcomes, redis, companyId, now: now() });
}
