import { describe, expect, it } from 'vitest';
import { safeNext } from './pages/login.js';
import { cameOverTls, parseSessionValue, publicOrigin, safeEqual } from './session.js';

describe('TLS and origin behind a proxy', () => {
  it('counts an https URL or X-Forwarded-Proto: https (its first hop) as TLS', () => {
    expect(cameOverTls('https://d.example/x', undefined)).toBe(true);
    expect(cameOverTls('http://d.example/x', 'https')).toBe(true);
    expect(cameOverTls('http://d.example/x', 'HTTPS, http')).toBe(true);
    expect(cameOverTls('http://d.example/x', 'http, https')).toBe(false);
    expect(cameOverTls('http://d.example/x', undefined)).toBe(false);
  });

  it('gives the origin the browser sees, for the CSRF origin check', () => {
    expect(publicOrigin('http://d.example:3000/login', undefined)).toBe('http://d.example:3000');
    expect(publicOrigin('http://d.example/login', 'https')).toBe('https://d.example');
  });
});

describe('session cookie value', () => {
  it('reads <id>.<expiresAtMs> and nothing else', () => {
    expect(parseSessionValue('abcdefghijklmnopqrstuvwx.1742472000000')).toEqual({
      id: 'abcdefghijklmnopqrstuvwx',
      expiresAt: 1742472000000,
    });
    expect(parseSessionValue('short.1')).toBeNull();
    expect(parseSessionValue('abcdefghijklmnopqrstuvwx.')).toBeNull();
    expect(parseSessionValue('abcdefghijklmnopqrstuvwx.12.3')).toBeNull();
    expect(parseSessionValue('abcdefghijklmnop qrstuvwx.1')).toBeNull();
  });

  it('compares secrets whatever their lengths', () => {
    expect(safeEqual('same-token', 'same-token')).toBe(true);
    expect(safeEqual('same-token', 'same-tokeN')).toBe(false);
    expect(safeEqual('short', 'a much longer string')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('where to go after login', () => {
  it('is a path on this site, never another host', () => {
    expect(safeNext('/cases/dspt_1?x=1')).toBe('/cases/dspt_1?x=1');
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '',
      42,
      undefined,
    ]) {
      expect(safeNext(bad)).toBe('/');
    }
  });
});
