/**
 * The cheapest harmless request per SDK method, to learn whether the API key holds the method's
 * permissions without touching anything real:
 * - list calls ask for one item (`first: 1`) of a company we serve;
 * - retrieve and write calls name an id that cannot exist (`dp_doctor_probe`: Whop's ids are a prefix and
 *   alphanumerics, so one with an underscore in its body is never a real object). A write is never sent
 *   to a real object.
 * Reading the answer is an inference about Whop: the simulator checks a key's permissions before it
 * looks the object up, and we assume Whop does the same (the SDK's doc comments list permissions per
 * method, not per object). So 403 = a permission is missing; 404 = the permissions are there and, as
 * intended, no such object. Were Whop to look up first, a 404 would say nothing about permissions and
 * doctor would report OK too early; the pipeline still fails visibly on the real 403 (see
 * src/whop/permission-denial.ts).
 */

import type Whop from '@whop/sdk';
import { APIConnectionError, APIError, NotFoundError } from '@whop/sdk';
import { CALL_PERMISSIONS, type WhopCall } from '../whop/permissions.js';
import { whopMessage } from '../whop/whop-errors.js';

interface Probe {
  /** `list`: needs a company; `read` / `write`: run on a probe id. */
  kind: 'list' | 'read' | 'write';
  run: (whop: Whop, companyId: string) => Promise<unknown>;
}

const id = (prefix: string) => `${prefix}doctor_probe`;
/** Writes go out once (no SDK retries), with nothing in them. */
const once = { maxRetries: 0 } as const;

/** One probe per call that needs a permission (calls needing none are not probed). */
export const PROBES: Record<WhopCall, Probe | null> = {
  'disputes.list': { kind: 'list', run: (w, company) => w.disputes.list({ company_id: company, first: 1 }) },
  'disputes.retrieve': { kind: 'read', run: (w) => w.disputes.retrieve(id('dp_')) },
  'disputes.updateEvidence': {
    kind: 'write',
    run: (w) => w.disputes.updateEvidence(id('dp_'), {}, once),
  },
  'disputes.submitEvidence': { kind: 'write', run: (w) => w.disputes.submitEvidence(id('dp_'), once) },
  'disputeAlerts.list': {
    kind: 'list',
    run: (w, company) => w.disputeAlerts.list({ company_id: company, first: 1 }),
  },
  'disputeAlerts.retrieve': { kind: 'read', run: (w) => w.disputeAlerts.retrieve(id('dspa_')) },
  'refunds.list': { kind: 'list', run: (w, company) => w.refunds.list({ company_id: company, first: 1 }) },
  'refunds.retrieve': { kind: 'read', run: (w) => w.refunds.retrieve(id('rf_')) },
  'resolutionCenterCases.list': {
    kind: 'list',
    run: (w, company) => w.resolutionCenterCases.list({ company_id: company, first: 1 }),
  },
  'resolutionCenterCases.retrieve': {
    kind: 'read',
    run: (w) => w.resolutionCenterCases.retrieve(id('reso_')),
  },
  'payments.list': { kind: 'list', run: (w, company) => w.payments.list({ company_id: company, first: 1 }) },
  'payments.retrieve': { kind: 'read', run: (w) => w.payments.retrieve(id('pay_')) },
  'payments.refund': { kind: 'write', run: (w) => w.payments.refund(id('pay_'), {}, once) },
  'memberships.retrieve': { kind: 'read', run: (w) => w.memberships.retrieve(id('mem_')) },
  'memberships.cancel': { kind: 'write', run: (w) => w.memberships.cancel(id('mem_'), {}, once) },
  'members.retrieve': { kind: 'read', run: (w) => w.members.retrieve(id('mber_')) },
  // The SDK lists no permission for these: nothing to learn, and files.create would create a file.
  'users.retrieve': null,
  'files.create': null,
  'files.retrieve': null,
};

/** What one probe found. */
export type ProbeOutcome =
  /** The key holds the call's permissions (a 2xx, or the probe id's 404). */
  | { status: 'ok'; answered: number }
  /** 403: `message` is Whop's. */
  | { status: 'forbidden'; message: string; error: APIError }
  /** The answer says nothing about permissions. */
  | { status: 'unchecked'; reason: string }
  | { status: 'not_needed' };

/** Runs the probe of `call`; never throws. `companyId` null: a list call cannot be probed. */
export async function probeCall(whop: Whop, call: WhopCall, companyId: string | null): Promise<ProbeOutcome> {
  const probe = PROBES[call];
  if (!probe || CALL_PERMISSIONS[call].length === 0) return { status: 'not_needed' };
  if (probe.kind === 'list' && !companyId) {
    return { status: 'unchecked', reason: 'no company known to list (set WHOP_COMPANY_IDS)' };
  }
  try {
    await probe.run(whop, companyId ?? '');
    return { status: 'ok', answered: 200 };
  } catch (err) {
    if (err instanceof NotFoundError && probe.kind !== 'list') return { status: 'ok', answered: 404 };
    if (err instanceof APIConnectionError)
      return { status: 'unchecked', reason: `could not reach Whop: ${err.message}` };
    if (err instanceof APIError) {
      const status = err.status ?? 0;
      if (status === 403) return { status: 'forbidden', message: whopMessage(err), error: err };
      if (status === 401) {
        return {
          status: 'unchecked',
          reason: `Whop refused the API key (401: ${whopMessage(err)}): check WHOP_API_KEY`,
        };
      }
      return { status: 'unchecked', reason: `Whop answered ${status}: ${whopMessage(err)}` };
    }
    return { status: 'unchecked', reason: (err as Error)?.message ?? String(err) };
  }
}
