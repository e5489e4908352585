import { formatDateTime } from '../../alerts/wording.js';
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
export function evidenceStatus(state: EvidenceState | undefined | null): EvidenceStatus {
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
  if (!state.staged) return { label: 'Not staged yet', tone: 'muted', error };
  const edited = state.merchantOwned.length;
  const base = edited ? `Merchant-edited (${edited} field${edited === 1 ? '' : 's'})` : 'Staged';
  if (s.scheduledFor)
    return { label: `${base}; submits ${formatDateTime(s.scheduledFor)}`, tone: 'info', error };
  return { label: `${base}; not submitted automatically`, tone: edited ? 'info' : 'warn', error };
}

/** A case-strength assessment, when the evidence stage stored one. */
export interface CaseStrength {
  label: string;
  /** 0–100 where given. */
  score: number | null;
  tone: 'done' | 'warn' | 'info' | 'muted';
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null ? (v as Obj) : null);

/**
 * The case strength stored beside the evidence (`assessment.strength` / `assessment.score`, or a plain
 * `strength`), or null when the state has none. Read defensively: the assessment is written by the
 * evidence stage and may grow fields; only a known word or a 0–100 score is shown.
 */
export function caseStrength(state: unknown): CaseStrength | null {
  const s = obj(state);
  if (!s) return null;
  const assessment = obj(s.assessment) ?? obj(s.strength);
  const word =
    typeof assessment?.strength === 'string'
      ? assessment.strength
      : typeof s.strength === 'string'
        ? s.strength
        : null;
  const rawScore = assessment?.score;
  const score =
    typeof rawScore === 'number' && Number.isFinite(rawScore) && rawScore >= 0 && rawScore <= 100
      ? Math.round(rawScore)
      : null;
  if (!word && score === null) return null;
  const label = word ? word.charAt(0).toUpperCase() + word.slice(1).replace(/_/g, ' ') : `${score}/100`;
  const key = (word ?? '').toLowerCase();
  const tone = key.startsWith('strong') ? 'done' : key.startsWith('weak') ? 'warn' : key ? 'info' : 'muted';
  return { label: word && score !== null ? `${label} (${score}/100)` : label, score, tone };
}
