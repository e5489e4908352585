import { z } from 'zod';

// The value types the policy file's sections share. Every schema carries its own message: the default
// zod wording ("expected string, received number") is not something a merchant editing YAML should
// have to decode.

/** `is required` when the key is missing, else `problem`. */
export const required =
  (problem: string) =>
  (iss: { input?: unknown }): string =>
    iss.input === undefined ? 'is required' : problem;

/** Merchant text: a string with something in it (trimmed when resolved). */
export const text = z
  .string({ error: required('must be a non-empty string') })
  .refine((s) => s.trim() !== '', 'must be a non-empty string');

/** `true` or `false` only: YAML's `yes`/`no` are strings here. */
export const flag = z.boolean({ error: required('must be true or false') });

export const httpUrl = z.string({ error: required('must be an http(s) URL') }).refine((s) => {
  try {
    const url = new URL(s);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');
