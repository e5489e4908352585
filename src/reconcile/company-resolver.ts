import type Whop from '@whop/sdk';
import { APIError } from '@whop/sdk';
import type { CaseSnapshot } from '../cases/case-record.js';
import { objectCompanyId } from '../cases/company.js';
import type { Logger } from '../logger/logger.js';
import type { CaseStore } from '../store/case-store.js';
import { whopMessage } from '../whop/whop-errors.js';

/** Where a record's company came from. */
export type CompanySource = 'object' | 'listing' | 'known' | 'payment' | 'envelope' | 'stored' | 'none';

export interface ResolvedCompany {
  companyId: string | null;
  /**
   * Whop has shown this company to our key (its object or payment names it, a listing for it answered, or
   * it was confirmed before): only then is it added to the companies the sweep and the digest walk.
   */
  confirmed: boolean;
  source: CompanySource;
}

export interface CompanyHints {
  /** The company the event's envelope named (`envelopeCompanyId`): signed by Whop, but not proof. */
  envelope?: string | null | undefined;
  /** The company whose listing returned the object: Whop's own answer. */
  listing?: string | null | undefined;
  /** The company the stored record already has. */
  stored?: string | null | undefined;
}

/**
 * The one place a record's company is decided. Disputes and cases name theirs; refunds and dispute
 * alerts do not (WHOP-REFERENCE.md), and the envelope's `company_id` is optional (newer dated payloads
 * carry `account_id`). In order:
 * 1. the object as just re-read from Whop (`company.id`): Whop's answer now beats a hint;
 * 2. the company whose listing returned it (sweep);
 * 3. the envelope's company, else the stored one, when Whop confirmed it before (no call);
 * 4. its payment: `payments.retrieve(payment.id).company.id` (a payment that names a company other than
 *    the envelope's wins, and says so in the log);
 * 5. the envelope's company, else the stored one, unconfirmed: kept on the record, but the sweep only
 *    tries it once before walking it (CaseStore.addUnconfirmedCompanies).
 * A 403/404 from `payments.retrieve` (a key without `payment:basic:read` and friends, or a payment Whop no
 * longer shows) is a missing fact: logged, and the next step decides. Any other error propagates for the
 * caller's retry rules (429/5xx/network are retried like the object's own read).
 */
export class CompanyResolver {
  constructor(
    private readonly whop: Whop,
    private readonly store: CaseStore,
    private readonly log: Logger,
  ) {}

  async resolve(snapshot: CaseSnapshot, hints: CompanyHints = {}): Promise<ResolvedCompany> {
    if (snapshot.companyId) return { companyId: snapshot.companyId, confirmed: true, source: 'object' };
    if (hints.listing) return { companyId: hints.listing, confirmed: true, source: 'listing' };
    for (const candidate of [hints.envelope, hints.stored]) {
      if (candidate && (await this.store.hasCompany(candidate))) {
        return { companyId: candidate, confirmed: true, source: 'known' };
      }
    }
    const fromPayment = snapshot.paymentId ? await this.paymentCompany(snapshot, snapshot.paymentId) : null;
    if (fromPayment) {
      if (hints.envelope && hints.envelope !== fromPayment) {
        this.log.warn(
          { caseId: snapshot.id, envelope: hints.envelope, payment: fromPayment },
          "the event's envelope names another company than its payment; the payment's is kept",
        );
      }
      return { companyId: fromPayment, confirmed: true, source: 'payment' };
    }
    if (hints.envelope) return { companyId: hints.envelope, confirmed: false, source: 'envelope' };
    if (hints.stored) return { companyId: hints.stored, confirmed: false, source: 'stored' };
    return { companyId: null, confirmed: false, source: 'none' };
  }

  private async paymentCompany(snapshot: CaseSnapshot, paymentId: string): Promise<string | null> {
    try {
      const payment = await this.whop.payments.retrieve(paymentId);
      return objectCompanyId(payment);
    } catch (err) {
      if (err instanceof APIError && (err.status === 403 || err.status === 404)) {
        this.log.warn(
          { caseId: snapshot.id, paymentId, status: err.status, err: whopMessage(err) },
          `company unknown: payments.retrieve answered ${err.status}`,
        );
        return null;
      }
      throw err;
    }
  }
}
