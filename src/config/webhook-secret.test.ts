import { describe, expect, it } from 'vitest';
import { webhookKeyFromSecret, webhookKeysFromSecrets } from './webhook-secret.js';

describe('webhookKeyFromSecret', () => {
  it('decodes whsec_ secrets and takes any other secret as UTF-8 bytes', () => {
    expect(webhookKeyFromSecret('whsec_aGVsbG8=')).toEqual(Buffer.from('hello'));
    expect(webhookKeyFromSecret('ws_abc')).toEqual(Buffer.from('ws_abc'));
  });
  it('refuses an empty or malformed secret', () => {
    expect(() => webhookKeyFromSecret('  ')).toThrow(/empty/);
    expect(() => webhookKeyFromSecret('whsec_not base64!')).toThrow(/base64/);
  });
});

describe('webhookKeysFromSecrets', () => {
  it('gives one key per comma-separated secret, in order, skipping blanks', () => {
    expect(webhookKeysFromSecrets('ws_old, whsec_aGVsbG8=,')).toEqual([
      Buffer.from('ws_old'),
      Buffer.from('hello'),
    ]);
  });
  it('refuses a setting with no secret, and names a bad entry without echoing it', () => {
    expect(() => webhookKeysFromSecrets(' , ')).toThrow('is empty');
    expect(() => webhookKeysFromSecrets('ws_ok,whsec_***')).toThrow(
      'a whsec_ secret must be base64 after the prefix',
    );
  });
});
