import { describe, expect, it } from 'vitest';
import { customerEmail, normalizeEmail } from './customer-email.js';

describe('customerEmail', () => {
  it("reads the paying user's email, trimmed and lower case", () => {
    expect(customerEmail({ whop: { payment: { user: { email: '  Ann@Example.COM ' } } } })).toBe(
      'ann@example.com',
    );
  });

  it("falls back to a dispute's customer_email_address", () => {
    expect(
      customerEmail({ whop: { payment: { user: { email: null } }, customer_email_address: 'b@x.io' } }),
    ).toBe('b@x.io');
  });

  it('is null without an email (a Resolution Center case, an unauthorised field)', () => {
    expect(customerEmail({ whop: { user: { id: 'user_1' } } })).toBeNull();
    expect(customerEmail({ whop: { payment: null } })).toBeNull();
  });

  it('refuses what is not an email', () => {
    expect(normalizeEmail('not an email')).toBeNull();
    expect(normalizeEmail(42)).toBeNull();
    expect(normalizeEmail(`${'a'.repeat(320)}@x.io`)).toBeNull();
  });
});
