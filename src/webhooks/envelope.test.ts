import { describe, expect, it } from 'vitest';
import { parseEnvelope } from './envelope.js';

const base = {
  id: 'evt_1',
  type: 'dispute.created',
  timestamp: '2026-11-29T10:00:00Z',
  data: { id: 'dspt_1' },
};

describe('parseEnvelope', () => {
  it('takes an envelope naming its object', () => {
    expect(parseEnvelope(base)).toMatchObject({ ok: true });
  });

  it.each([
    ['a number', 42],
    ['empty', ''],
    ['blank', '  '],
    ['null', null],
    ['an object', { id: 'dspt_1' }],
    ['absent', undefined],
  ])('refuses an event it acts on whose data.id is %s', (_, id) => {
    const check = parseEnvelope({ ...base, data: { id } });
    expect(check).toEqual({ ok: false, message: 'data.id must be a non-empty string for dispute.created' });
  });

  it('leaves events it does not act on alone (acknowledged and counted, never queued)', () => {
    expect(parseEnvelope({ ...base, type: 'membership.went_valid', data: { id: 7 } })).toMatchObject({
      ok: true,
    });
  });
});
