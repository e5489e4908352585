import { formatDateTime } from '../../alerts/wording.js';
import { AWAITING_MERCHANT } from '../../cases/case-record.js';
import type { EvidenceState } from '../../evidence/evidence-store.js';

/** Where a dispute's evidence stands, as one short phrase and a tone for the badge. */
export interface EvidenceStatus {
  label: string;
  tone: 'done' | 'warn' | 'info' | 'muted';
  /** The last submission error, if the last attempt failed. */
  error: string | null;
}

const OUTCOME: Record<string, string> = {
  submitted: 'Submitted',
  found_submitted: 'Submitted (confirmed in Whop)',
  not_editable: 'Not submitted: Whop no longer takes evidence',
  past_deadline: 'Not submitted: past the deadline',
};

/**
 * The evidence status the home page and case page show, from the evidence store's state: not staged,
 * staged (and when it submits, if scheduled), merchant-edited (fields the merchant wrote in Whop, which
 * we leave alone), or submitted. Times in UTC.
 */
export function evidenceStatus(
  state: EvidenceState | undefined | null,
  /** The dispute's status in Whop: once Whop no longer waits for a response, nothing is scheduled. */
  disputeStatus?: string,
): EvidenceStatus {
  if (!state) return { label: 'Not staged yet', tone: 'muted', error: null };
  const s = state.submission;
  const error = s.lastError ?? null;
  if (s.submittedAt)
    return {
      label: `${OUTCOME[s.outcome ?? 'submitted'] ?? 'Submitted'} ${formatDateTime(s.submittedAt)}`,
      tone: 'done',
      error,
    };
  if (s.outcome && OUTCOME[s.outcome]) return { label: OUTCOME[s.outcome]!, tone: 'warn', error };
  // A schedule left in the state of a dispute Whop moved on (under review, decided) will not run: the
  // submission job finds it not editable. Say what is true now rather than the stale schedule.
  if (disputeStatus !== undefined && !AWAITING_MERCHANT.dispute.has(disputeStatus))
    return { label: OUTCOME.not_editable!, tone: 'muted', error };
  if (!state.staged) return { label: 'Not staged yet', tone: 'muted', error };
  const edited = state.merchantOwned.length;
  const base = edited ? `Merchant-edited (${edited} field${edited === 1 ? '' : 's'})` : 'Staged';
  if (s.scheduledFor)
    return { label: `${base}; submits ${formatDateTime(s.scheduledFor)}`, tone: 'info', error };
  return { label: `${base}; not submitted automatically`, tone: edited ? 'info' : 'warn', error };
}

/** A dispute's case strength as the pages show it: the badge, and on the case page why and what to do. */
export interface CaseStrengthView {
  label: string;
  tone: 'done' | 'warn' | 'info';
  /** Each fact that weighed, beginning "For:" or "Against:". */
  reasons: string[];
  /** What to do, in words (src/evidence/case-strength.ts). */
  recommendation: string;
  /** What would make the evidence stronger. */
  strengthen: string[];
}

const STRENGTH_TONE = { strong: 'done', fair: 'info', weak: 'warn' } as const;

/**
 * The case strength the evidence stage stored with the draft (`draft.strength`, from
 * `assessCaseStrength`), or null when there is none (not staged yet, or a draft from before issue 12).
 * For the merchant only: it is never sent to Whop.
 */
export function caseStrength(state: EvidenceState | undefined | null): CaseStrengthView | null {
  const s = state?.draft?.strength;
  if (!s || !(s.strength in STRENGTH_TONE)) return null;
  return {
    label: s.strength.charAt(0).toUpperCase() + s.strength.slice(1),
    tone: STRENGTH_TONE[s.strength],
    reasons: s.reasons ?? [],
    recommendation: s.recommendation?.text ?? '',
    strengthen: s.recommendation?.strengthen ?? [],
  };
}
