import { describe, expect, it } from 'vitest';
import { REASON_CATEGORIES, type ReasonCategory } from '../policy/reason-categories.js';
import { REASON_CATEGORY_LABELS, reasonCategory } from './reason-category.js';

const CASES: Record<ReasonCategory, string[]> = {
  fraud: [
    'Fraudulent',
    'fraudulent',
    'FRAUD',
    'Unrecognized',
    'unrecognized',
    'Unauthorized',
    'Unauthorised transaction',
    'Not Authorized',
    'debit_not_authorized',
    'No Authorization',
    'EMV Liability Shift Counterfeit Fraud',
    'Other Fraud - Card Absent Environment',
    'Card not present fraud',
    'Stolen card',
    'Identity theft',
    'Transaction not recognised',
    'Cardholder does not recognize transaction',
    "Customer didn't authorize the charge",
    'Made without my permission',
    'Account takeover',
  ],
  not_received: [
    'Product Not Received',
    'product_not_received',
    'Merchandise/Services Not Received',
    'Services Not Provided or Merchandise Not Received',
    'Item not received',
    'Never received',
    'Not delivered',
    'Non-receipt of merchandise',
    'Service not rendered',
    "Didn't receive access",
    'Unable to access the product',
  ],
  not_as_described: [
    'Product Unacceptable',
    'product_unacceptable',
    'Not as Described',
    'Significantly not as described',
    'Not as Described or Defective Merchandise/Services',
    'Defective',
    'Quality Dispute',
    'Counterfeit Merchandise',
    'Misrepresentation',
    'Damaged item',
    'Not what I ordered',
    'Does not work',
  ],
  subscription: [
    'Subscription Canceled',
    'subscription_canceled',
    'Subscription Cancelled',
    'Cancelled Recurring Transaction',
    'Recurring transaction',
    'Forgot to cancel',
    'Canceled',
    'Auto-renewal',
    'Free trial converted',
  ],
  duplicate: [
    'Duplicate',
    'duplicate',
    'Duplicate Processing',
    'Paid by Other Means',
    'Charged twice',
    'Double charge',
  ],
  credit_not_processed: [
    'Credit Not Processed',
    'credit_not_processed',
    'Refund not processed',
    'Refund not received',
    'Credit not issued',
    'Cancelled Merchandise/Services',
    'Returned merchandise',
  ],
  general: [
    'General',
    'general',
    'customer_initiated',
    'bank_cannot_process',
    'insufficient_funds',
    'incorrect_account_details',
    'check_returned',
    'Incorrect amount',
    'Late presentment',
    'Something else entirely',
    '',
  ],
};

describe('reasonCategory', () => {
  for (const [category, reasons] of Object.entries(CASES)) {
    it.each(reasons)(`maps %j to ${category}`, (reason) => {
      expect(reasonCategory(reason)).toBe(category);
    });
  }

  it('maps null and undefined to general', () => {
    expect(reasonCategory(null)).toBe('general');
    expect(reasonCategory(undefined)).toBe('general');
  });

  it('ignores case, punctuation and surrounding space', () => {
    expect(reasonCategory('  PRODUCT-NOT-RECEIVED!  ')).toBe('not_received');
    expect(reasonCategory('Subscription__Canceled')).toBe('subscription');
  });

  it('has a label for every category', () => {
    for (const category of REASON_CATEGORIES) expect(REASON_CATEGORY_LABELS[category]).toBeTruthy();
    expect(Object.keys(CASES).sort()).toEqual([...REASON_CATEGORIES].sort());
  });
});
