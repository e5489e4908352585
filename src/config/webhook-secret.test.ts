import { describe, expect, it } from 'vitest';
import { webhookKeyFromSecret, webhookKeysFromSecrets } from './webhook-secret.js';

/** The shape Whop issues: `ws_` and 64 hex characters. */
const WS = `ws_${'4f2a9c0d'.repeat(8)}`;
const WS_OTHER = `ws_${'b7e1'.repeat(16)}`;
/** 32 bytes, base64. */
const WHSEC = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;

describe('webhookKeyFromSecret', () => {
  it('decodes whsec_ secrets and takes a ws_ secret as its UTF-8 bytes', () => {
    expect(webhookKeyFromSecret(WHSEC)).toEqual(Buffer.from('a-32-byte-secret-for-the-tests!!'));
    expect(webhookKeyFromSecret(WS)).toEqual(Buffer.from(WS));
    expect(webhookKeyFromSecret(` ${WS}\n`)).toEqual(Buffer.from(WS));
  });

  it.each([
    ['  ', /empty/],
    ['whsec_not base64!', /base64/],
    // One character of base64 decodes to nothing: once a stack trace at start.
    ['whsec_A', /base64/],
    ['whsec_', /base64/],
    // One byte, or 23: too weak to be a key.
    ['whsec_QQ==', /at least 24 bytes/],
    [`whsec_${Buffer.alloc(23, 7).toString('base64')}`, /at least 24 bytes/],
    ['x', /ws_…/],
    ['v1', /version tag/],
    ['ws_', /letters and digits/],
    ['ws_abc', /at least 32 characters/],
    [`ws_${'a'.repeat(31)}`, /at least 32 characters/],
    ['ws_your_secret_here', /letters and digits/],
    ['ws_...', /letters and digits/],
    [`ws_${'a'.repeat(40)} trailing`, /letters and digits/],
  ])('refuses %j, saying why without echoing it', (secret, why) => {
    let message = '';
    try {
      webhookKeyFromSecret(secret);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(why);
    if (secret.trim().length > 6) expect(message).not.toContain(secret.trim());
  });

  it('takes the shortest keys it allows', () => {
    expect(webhookKeyFromSecret(`ws_${'a'.repeat(32)}`)).toHaveLength(35);
    expect(webhookKeyFromSecret(`whsec_${Buffer.alloc(24, 7).toString('base64')}`)).toHaveLength(24);
  });
});

describe('webhookKeysFromSecrets', () => {
  it('gives one key per comma-separated secret, in order, skipping blanks', () => {
    expect(webhookKeysFromSecrets(`${WS}, ${WHSEC},`)).toEqual([
      Buffer.from(WS),
      Buffer.from('a-32-byte-secret-for-the-tests!!'),
    ]);
    expect(webhookKeysFromSecrets(`${WS},${WS_OTHER}`)).toHaveLength(2);
  });

  it('refuses a setting with no secret, and names a bad entry by position without echoing it', () => {
    expect(() => webhookKeysFromSecrets(' , ')).toThrow('is empty');
    expect(() => webhookKeysFromSecrets(`${WS},whsec_***`)).toThrow(
      'entry 2 of 2: a whsec_ secret must be base64 after the prefix',
    );
  });

  it('refuses a pasted signature header: `v1,whsec_…` never makes `v1` a key', () => {
    const setting = 'v1,whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
    expect(() => webhookKeysFromSecrets(setting)).toThrow(/^entry 1 of 2: .*version tag/);
  });
});
