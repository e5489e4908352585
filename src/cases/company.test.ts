import { describe, expect, it } from 'vitest';
import { envelopeCompanyId, objectCompanyId } from './company.js';

describe('envelopeCompanyId', () => {
  it('reads company_id (SDK 0.0.42), else account_id (dated payloads)', () => {
    expect(envelopeCompanyId({ company_id: 'biz_a' })).toBe('biz_a');
    expect(envelopeCompanyId({ account_id: 'biz_b' })).toBe('biz_b');
    expect(envelopeCompanyId({ company_id: 'biz_a', account_id: 'biz_b' })).toBe('biz_a');
    expect(envelopeCompanyId({ company_id: null, account_id: 'biz_b' })).toBe('biz_b');
  });

  it('is null when neither is a usable id', () => {
    expect(envelopeCompanyId({})).toBeNull();
    for (const junk of [null, '', ' ', 'biz a', 42, { id: 'biz_a' }, ['biz_a'], 'b'.repeat(65), 'biz_\n']) {
      expect(envelopeCompanyId({ company_id: junk, account_id: junk }), String(junk)).toBeNull();
    }
  });
});

describe('objectCompanyId', () => {
  it('reads company.id, else company_id, else an embedded payment or dispute company', () => {
    expect(objectCompanyId({ company: { id: 'biz_a' }, company_id: 'biz_b' })).toBe('biz_a');
    expect(objectCompanyId({ company: null, company_id: 'biz_b' })).toBe('biz_b');
    expect(objectCompanyId({ payment: { id: 'pay_1', company: { id: 'biz_c' } } })).toBe('biz_c');
    expect(objectCompanyId({ dispute: { id: 'dp_1', company: { id: 'biz_d' } } })).toBe('biz_d');
  });

  it('is null for refunds and alerts as SDK 0.0.42 shapes them, and for no object', () => {
    expect(objectCompanyId({ id: 'ref_1', payment: { id: 'pay_1', user: { id: 'user_1' } } })).toBeNull();
    expect(objectCompanyId({ id: 'da_1', dispute: { id: 'dp_1' }, payment: null })).toBeNull();
    expect(objectCompanyId({ company: { id: '' } })).toBeNull();
    expect(objectCompanyId(null)).toBeNull();
    expect(objectCompanyId(undefined)).toBeNull();
  });
});
