/**
 * Composers: facts in, a worded Alert out. Pure — `now` is a parameter, nothing reads a clock or the
 * network — so the same facts always make the same alert, with the same `id` (the dedupe key).
 * This file: the alerts about the service's own work: evidence staged and submitted, items the sweep
 * recovered, jobs failed for good, and the dispute rate (the digest: compose-digest.ts).
 */
import type { CaseKind, CaseRecord } from '../cases/case-record.js';
import { INBOX_STREAM } from '../redis/keys.js';
import { permissionAdvice } from '../whop/permission-denial.js';
import { deniedBecause, type PermissionDenial } from '../whop/whop-errors.js';
import type { Alert, AlertField } from './alert.js';
import {
  about,
  byPhrase,
  dueFields,
  dueSeverity,
  field,
  idPart,
  money,
  paymentPhrase,
  titleDue,
  withDue,
} from './compose-parts.js';
import { disputeCountsWords } from './dispute-rate.js';
import { shouldRemind } from './reminder-schedule.js';
import {
  formatDateTime,
  formatPercent,
  humanize,
  type Instant,
  timeLeftWords,
  toMs,
  withArticle,
} from './wording.js';

/**
 * Evidence drafted into Whop (via update_evidence) and not yet submitted. Warning when the merchant has to
 * review and submit it; info when it will go out by itself at `autoSubmitAt`.
 */
export function composeEvidenceStaged(input: {
  record: CaseRecord;
  now: Instant;
  /** When this version of the evidence was staged: part of the id, so a re-staging alerts again. */
  stagedAt: Instant;
  evidenceStatus?: string;
  /** Whop evidence fields filled, e.g. `product_description`. */
  fieldsFilled?: readonly string[];
  attachments?: number;
  autoSubmitAt?: string | null;
  /** Lookups Whop refused to the API key, one line each: what the evidence lacks and which permission adds it. */
  missingFacts?: readonly string[];
}): Alert {
  const { record, now } = input;
  const dueAt = record.dueAt;
  const next = input.autoSubmitAt
    ? `It will be submitted automatically at ${formatDateTime(input.autoSubmitAt)} unless you change it in Whop first.`
    : `Review it and submit it in Whop${byPhrase(dueAt, now)}: evidence that is not submitted does not count.`;
  return {
    id: `${idPart(record.id)}.evidence_staged.${toMs(input.stagedAt)}`,
    kind: 'evidence_staged',
    severity: input.autoSubmitAt ? 'info' : dueSeverity(dueAt, now, 'warning'),
    ...about(record),
    ...withDue(dueAt),
    title: `Evidence ready for review: ${money(record)} dispute${titleDue('submit', dueAt)}`,
    summary:
      `Evidence for the dispute on ${paymentPhrase(record)} (reason: ${record.reason ?? 'not given'}) is drafted in Whop. ${next}` +
      (input.missingFacts?.length
        ? ' It was built without facts Whop refused to the API key (see "Built without"): giving the key those permissions strengthens it.'
        : ''),
    fields: [
      { label: 'Amount', value: money(record) },
      { label: 'Reason', value: record.reason ?? 'not given' },
      ...dueFields('Submit by', dueAt, now),
      ...field('Evidence', input.evidenceStatus),
      ...field(
        'Fields filled',
        input.fieldsFilled?.length ? input.fieldsFilled.map(humanize).join(', ') : null,
      ),
      ...field('Attachments', input.attachments !== undefined ? String(input.attachments) : null),
      ...field('Submits automatically', input.autoSubmitAt ? formatDateTime(input.autoSubmitAt) : null),
      ...field('Built without', input.missingFacts?.length ? input.missingFacts.join('; ') : null),
      { label: 'Dispute', value: record.id },
    ],
  };
}

/**
 * Evidence submitted to Whop: final (Whop accepts no edits after), so one alert per submission. A
 * dispute is submitted twice only when an answered inquiry escalates into a chargeback: the second
 * (`submissionNumber` 2) has an id of its own, or the first one's sent marker would swallow it.
 */
export function composeEvidenceSubmitted(input: {
  record: CaseRecord;
  submittedAt: Instant;
  fieldsSubmitted?: readonly string[];
  attachments?: number;
  /** 1 (the default) for the first submission, 2 for the chargeback's after an inquiry. */
  submissionNumber?: number;
}): Alert {
  const { record } = input;
  const n = input.submissionNumber ?? 1;
  return {
    id: `${idPart(record.id)}.evidence_submitted${n > 1 ? `.${n}` : ''}`,
    kind: 'evidence_submitted',
    severity: 'info',
    ...about(record),
    title: `Evidence submitted: ${money(record)} dispute`,
    summary:
      `Evidence for the dispute on ${paymentPhrase(record)} (reason: ${record.reason ?? 'not given'}) was submitted ` +
      `on ${formatDateTime(input.submittedAt)}. It can no longer be changed; the bank decides next.`,
    fields: [
      { label: 'Amount', value: money(record) },
      { label: 'Submitted', value: formatDateTime(input.submittedAt) },
      ...field(
        'Fields',
        input.fieldsSubmitted?.length ? input.fieldsSubmitted.map(humanize).join(', ') : null,
      ),
      ...field('Attachments', input.attachments !== undefined ? String(input.attachments) : null),
      { label: 'Dispute', value: record.id },
    ],
  };
}

const KIND_WORDS: Record<CaseKind, [string, string]> = {
  dispute: ['dispute', 'disputes'],
  dispute_alert: ['dispute alert', 'dispute alerts'],
  refund: ['refund', 'refunds'],
  resolution_case: ['Resolution Center case', 'Resolution Center cases'],
};

const countOf = (n: number, kind: CaseKind) => `${n} ${KIND_WORDS[kind][n === 1 ? 0 : 1]}`;

const MAX_LISTED = 10;

type RecoveredItem = Pick<CaseRecord, 'kind' | 'id' | 'status' | 'dueAt' | 'amount' | 'currency'>;

/**
 * Items the sweep found that no webhook had delivered (null when there are none). Each also fires its
 * own transitions, so this is the "webhooks are missing" signal, not the per-item alert. Warning when
 * one of them awaits the merchant.
 */
export function composeSweepRecovered(input: {
  /** The sweep run (e.g. its BullMQ job id): part of the alert id. */
  runId: string;
  companyId: string | null;
  recovered: readonly RecoveredItem[];
  now: Instant;
}): Alert | null {
  const { recovered, now } = input;
  if (recovered.length === 0) return null;
  const byKind = new Map<CaseKind, number>();
  for (const r of recovered) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  const counts = [...byKind].map(([kind, n]) => countOf(n, kind)).join(', ');
  const awaiting = recovered.filter((r) => shouldRemind(r, false)).length;
  const n = recovered.length;
  const listed: AlertField[] = recovered.slice(0, MAX_LISTED).map((r) => ({
    label: `${humanize(KIND_WORDS[r.kind][0])} ${r.id}`,
    value:
      `${humanize(r.status)}${r.amount !== null ? `, ${money(r)}` : ''}` +
      (r.dueAt && shouldRemind(r, false)
        ? `, due ${formatDateTime(r.dueAt)} (${timeLeftWords(r.dueAt, now)})`
        : ''),
  }));
  if (n > MAX_LISTED) listed.push({ label: 'More', value: `and ${n - MAX_LISTED} more` });
  return {
    id: `sweep_recovered.${idPart(input.runId)}.${idPart(input.companyId ?? 'all')}`,
    kind: 'sweep_recovered',
    severity: awaiting > 0 ? 'warning' : 'info',
    companyId: input.companyId,
    title: `Sweep recovered ${n} ${n === 1 ? 'item' : 'items'} Whop never delivered`,
    summary:
      `The periodic sweep found ${counts} that no webhook had told us about; they are tracked now.` +
      (awaiting > 0 ? ` ${awaiting} of them ${awaiting === 1 ? 'needs' : 'need'} your response.` : '') +
      ' Many missed webhooks may mean the webhook in Whop is misconfigured or the service was unreachable.',
    fields: listed,
  };
}

/**
 * A job that exhausted its attempts (or failed permanently): something is not being processed. When Whop
 * refused the job's object for want of a permission (`permission`, from a `WhopPermissionError`), the
 * alert names the call, the object and the permission, and says how to grant it.
 */
export function composeJobFailed(input: {
  queue: string;
  jobId: string;
  jobName?: string;
  attempts: number;
  reason: string;
  caseId?: string;
  companyId?: string | null;
  permission?: PermissionDenial;
  /** With `permission`: what happens once it is granted (default: retry the job from the failed set). */
  nextStep?: string;
}): Alert {
  const name = input.jobName ?? input.queue;
  const common = {
    id: `job_failed.${idPart(input.queue)}.${idPart(input.jobId)}`,
    kind: 'job_failed' as const,
    severity: 'urgent' as const,
    companyId: input.companyId ?? null,
    ...(input.caseId ? { caseId: input.caseId } : {}),
  };
  const jobFields: AlertField[] = [
    { label: 'Queue', value: input.queue },
    { label: 'Job', value: input.jobName ? `${input.jobName} (${input.jobId})` : input.jobId },
  ];
  const denial = input.permission;
  if (denial) {
    const object = denial.objectId ?? input.caseId;
    const lacks = denial.named ?? denial.permissions.join(', ');
    return {
      ...common,
      title: `Whop refused ${denial.call}${lacks ? `: the API key lacks ${lacks}` : ''}`,
      summary:
        `Whop answered 403 to ${denial.call}${object ? ` for ${object}` : ''}: ` +
        `${denial.named ? `the API key lacks ${denial.named}` : deniedBecause(denial)}. ` +
        `Nothing more is done for it until the key can make that call. ${permissionAdvice(denial)}, then ` +
        `${input.nextStep ?? `retry the job: it stays in the ${input.queue} queue's failed set`}. ` +
        '`npm run cli -- doctor` checks every permission the service needs.',
      fields: [
        { label: 'Call', value: denial.call },
        ...field('Object', object),
        ...field('Missing permission', denial.named),
        ...field(
          denial.named ? 'May also be missing' : 'Missing one of',
          denial.permissions.filter((p) => p !== denial.named).join(', ') || null,
        ),
        { label: 'Whop said', value: denial.whopMessage },
        ...jobFields,
      ],
    };
  }
  return {
    ...common,
    title: `Job failed for good: ${name}`,
    summary:
      `${withArticle(input.queue, true)} job (${input.jobId}) failed after ${input.attempts} ${input.attempts === 1 ? 'attempt' : 'attempts'} ` +
      `and will not be retried: ${input.reason}. It stays in the queue's failed set; fix the cause ` +
      '(for a 401 or 403 from Whop, the API key or its permissions) and retry it.',
    fields: [
      ...jobFields,
      { label: 'Attempts', value: String(input.attempts) },
      { label: 'Reason', value: input.reason },
      ...field('Case', input.caseId),
    ],
  };
}

/**
 * Stream entries a relay moved aside (see src/dead-letters/): events that are not processed until an
 * operator looks. Urgent, as a lost event can be a dispute nobody answers. The id is the batch's first
 * entry, so a relay that re-reads the batch after a crash alerts once.
 */
export function composeDeadLetters(input: {
  /** The stream and consumer group whose relay gave up on them. */
  stream: string;
  group: string;
  entries: readonly { id: string; reason: string }[];
}): Alert {
  const { stream, group, entries } = input;
  const n = entries.length;
  const fields: AlertField[] = entries
    .slice(0, MAX_LISTED)
    .map((e) => ({ label: `Entry ${e.id}`, value: e.reason }));
  if (n > MAX_LISTED) fields.push({ label: 'More', value: `and ${n - MAX_LISTED} more` });
  const whop =
    stream === INBOX_STREAM
      ? ' They are webhooks from Whop: the sweep re-reads what they were about from Whop, but look at why they failed.'
      : '';
  return {
    id: `dead_letter.${idPart(stream)}.${idPart(group)}.${idPart(entries[0]?.id ?? 'none')}`,
    kind: 'dead_letter',
    severity: 'urgent',
    companyId: null,
    title: `${n} ${n === 1 ? 'event' : 'events'} could not be processed and ${n === 1 ? 'was' : 'were'} set aside`,
    summary:
      `The ${group} relay could not turn ${n === 1 ? 'an entry' : `${n} entries`} of ${stream} into jobs; the rest ` +
      `of the batch went on. ${n === 1 ? 'It is' : 'They are'} kept in ${stream}:dead: GET /api/dead-letters lists ` +
      `them with the reason.${whop}`,
    fields: [{ label: 'Stream', value: stream }, { label: 'Consumer group', value: group }, ...fields],
  };
}

/**
 * The dispute rate reached `threshold`, the highest level it passed (see `rateLevel`): one message per
 * crossing, however many levels it passed at once. `asOf` is when the rate was measured: part of the id,
 * so a retried job re-sends nothing while a later crossing (after a dip) alerts again. Below
 * `minPayments` payments in 30 days it gives the counts, not a percentage: one dispute on one payment
 * is no "100 %".
 */
export function composeDisputeRate(input: {
  companyId: string | null;
  rate: number;
  threshold: number;
  disputes30d: number;
  payments30d: number;
  asOf: Instant;
  /** Fewer payments than this in 30 days: counts, not a percentage (default: none, always a rate). */
  minPayments?: number;
}): Alert {
  const { rate, threshold, disputes30d, payments30d } = input;
  const id = `dispute_rate.${idPart(input.companyId ?? 'all')}.${threshold}.${toMs(input.asOf)}`;
  const advice =
    'Whop stops supporting an account at a 2% dispute rate. Answering every dispute, and refunding ' +
    'customers who ask before they go to their bank, keeps it down.';
  if (payments30d < (input.minPayments ?? 0)) {
    const counts = disputeCountsWords(disputes30d, payments30d);
    return {
      id,
      kind: 'dispute_rate',
      severity: 'warning',
      companyId: input.companyId,
      title: `Disputes: ${counts}`,
      summary:
        `${counts}. With fewer than ${input.minPayments} payments in 30 days a percentage says little ` +
        `(each dispute moves it a lot), so here are the counts. ${advice}`,
      fields: [
        { label: 'Disputes (30 days)', value: String(disputes30d) },
        { label: 'Payments (30 days)', value: String(payments30d) },
        { label: 'Whop’s limit', value: '2%' },
      ],
    };
  }
  return {
    id,
    kind: 'dispute_rate',
    severity: threshold >= 0.015 ? 'urgent' : 'warning',
    companyId: input.companyId,
    title: `Dispute rate ${formatPercent(rate)}: past the ${formatPercent(threshold)} alert level`,
    summary: `${disputes30d} of ${payments30d} payments in the last 30 days were disputed (${formatPercent(rate)}). ${advice}`,
    fields: [
      { label: 'Dispute rate', value: formatPercent(rate) },
      { label: 'Alert level', value: formatPercent(threshold) },
      { label: 'Disputes (30 days)', value: String(disputes30d) },
      { label: 'Payments (30 days)', value: String(payments30d) },
      { label: 'Whop’s limit', value: '2%' },
    ],
  };
}
