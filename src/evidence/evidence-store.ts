import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { caseBriefKey, evidenceByCustomerKey, evidenceKey, evidenceLockKey } from '../redis/keys.js';
import type { CaseStrength } from './case-strength.js';
import type { MissingFact } from './missing-facts.js';
import type { AutoSubmit, EvidenceFields } from './plan-evidence-update.js';

/** What we know about a dispute's evidence: the draft, what we staged in Whop, and its submission. */
export interface EvidenceState {
  disputeId: string;
  companyId: string | null;
  /** The latest draft we built (all fields, including those the merchant owns in Whop). */
  draft: {
    fields: EvidenceFields;
    category: string;
    statements: string[];
    accessEvents: number;
    ce3: unknown;
    /** Lookups Whop refused to this API key (403): what the draft lacks and which permission adds it. */
    missingFacts?: MissingFact[];
    builtAt: string;
    /** For the merchant: what weakens the case, including facts left out of the fields (drafts before issue 12 lack it). */
    warnings?: string[];
    /** For the merchant only, never sent to Whop: strong / fair / weak, why, and what to do. */
    strength?: CaseStrength;
  } | null;
  /** Our values as last sent to Whop, so a later run can tell ours from the merchant's. */
  staged: {
    /** Each field's whole value as sent (Whop's part included, in a field Whop filled first). */
    fields: EvidenceFields;
    /** Whop's own values found before we first staged (see WHOP_FILLED_FIELDS); absent on older records. */
    whopDefaults?: EvidenceFields;
    attachmentFileId: string | null;
    /** Hash of the events in the attached PDF: a new PDF is uploaded only when they change. */
    attachmentEventsHash: string | null;
    /** Why the latest access-log PDF is not attached (its upload failed; retried on the next run). */
    attachmentError?: string | null;
    stagedAt: string;
    updates: number;
  } | null;
  merchantOwned: string[];
  /** Fields holding Whop's own value: kept whole, or with ours after it (absent on older records). */
  whopFilled?: string[];
  /**
   * What an `update_evidence` call is sending, written just before it and cleared with the record of
   * its result: a run that died in between finds Whop showing these values and knows them for ours
   * (not the merchant's, which we would never touch again).
   */
  sending?: {
    fields: EvidenceFields;
    /** The plan's `whopDefaults`: Whop's own part of those values, kept when they are sent again. */
    whopDefaults?: EvidenceFields;
    attachmentFileId: string | null;
    /** The access-log PDF's event hash (as `staged.attachmentEventsHash`): reused, not uploaded again. */
    attachmentEventsHash?: string | null;
  } | null;
  /**
   * The "evidence ready" alert, decided in the same write that records the first staging: `pending`
   * until it is queued, then `queued`. A run that finds it pending (a retry after a crash, the sweep)
   * queues it; its id is fixed by `staged.stagedAt`, so queueing it twice is one alert.
   */
  stagedAlert?: 'pending' | 'queued';
  submission: {
    mode: AutoSubmit;
    scheduledFor: string | null;
    /** Set before the submit call: a later run that finds it re-reads Whop before anything else. */
    attemptedAt: string | null;
    submittedAt: string | null;
    outcome: 'submitted' | 'found_submitted' | 'not_editable' | 'past_deadline' | null;
    lastError: string | null;
    /** The dispute status this submission answered (an inquiry's, or the chargeback's). */
    forStatus?: string | null;
    /** The "evidence submitted" alert, written with `submittedAt` (see `stagedAlert`). */
    alert?: 'pending' | 'queued';
  };
  /** Earlier submissions: an inquiry's, when it escalated into a chargeback that needs its own. */
  previousSubmissions?: EvidenceState['submission'][];
}

export class EvidenceBusy extends Error {
  readonly code = 'evidence_busy';
  constructor(id: string) {
    super(`evidence for ${id} is being worked on by another job`);
  }
}

/** Redis I/O for evidence state, plus a per-dispute lock so staging and submission never interleave. */
export class EvidenceStore {
  /** How long a dispute's lock outlives a crashed holder (it is renewed while held). */
  readonly lockMs: number;

  constructor(
    private readonly redis: Redis,
    options: { lockMs?: number } = {},
  ) {
    this.lockMs = options.lockMs ?? 30_000;
  }

  async get(disputeId: string): Promise<EvidenceState | undefined> {
    const raw = await this.redis.get(evidenceKey(disputeId));
    return raw ? (JSON.parse(raw) as EvidenceState) : undefined;
  }

  async put(state: EvidenceState): Promise<void> {
    await this.redis.set(evidenceKey(state.disputeId), JSON.stringify(state));
  }

  /**
   * Runs `fn` holding the dispute's lock; throws EvidenceBusy if another job holds it. The lock is
   * renewed while `fn` runs, so it can be short: a crashed holder's lock lapses within `lockMs`.
   */
  async withLock<T>(disputeId: string, fn: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const ok = await this.redis.set(evidenceLockKey(disputeId), token, 'PX', this.lockMs, 'NX');
    if (!ok) throw new EvidenceBusy(disputeId);
    const renew = setInterval(() => {
      this.redis
        .eval(
          "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end",
          1,
          evidenceLockKey(disputeId),
          token,
          this.lockMs,
        )
        .catch(() => {});
    }, this.lockMs / 3);
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      // Only our own lock: if it lapsed (Redis unreachable for a while) another job may hold it now.
      await this.redis.eval(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
        1,
        evidenceLockKey(disputeId),
        token,
      );
    }
  }

  static empty(disputeId: string, companyId: string | null, mode: AutoSubmit): EvidenceState {
    return {
      disputeId,
      companyId,
      draft: null,
      staged: null,
      merchantOwned: [],
      submission: {
        mode,
        scheduledFor: null,
        attemptedAt: null,
        submittedAt: null,
        outcome: null,
        lastError: null,
      },
    };
  }

  /** Case briefs for Resolution Center cases, keyed by case id. */
  async putBrief(caseId: string, brief: unknown): Promise<void> {
    await this.redis.set(caseBriefKey(caseId), JSON.stringify(brief));
  }

  async getBrief(caseId: string): Promise<unknown | undefined> {
    const raw = await this.redis.get(caseBriefKey(caseId));
    return raw ? JSON.parse(raw) : undefined;
  }

  /** Open disputes by customer identifier, so new access events can refresh their drafts. */
  async trackCustomer(disputeId: string, identifiers: string[]): Promise<void> {
    if (!identifiers.length) return;
    const pipe = this.redis.pipeline();
    for (const id of identifiers) pipe.sadd(evidenceByCustomerKey(id), disputeId);
    await pipe.exec();
  }

  async untrackCustomer(disputeId: string, identifiers: string[]): Promise<void> {
    if (!identifiers.length) return;
    const pipe = this.redis.pipeline();
    for (const id of identifiers) pipe.srem(evidenceByCustomerKey(id), disputeId);
    await pipe.exec();
  }

  async disputesForCustomers(identifiers: string[]): Promise<string[]> {
    if (!identifiers.length) return [];
    return this.redis.sunion(...identifiers.map(evidenceByCustomerKey));
  }
}
