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

/**
 * The most specific level that sets a key wins (levels most specific first); `null` is a setting
 * ("none"), `undefined` is not. Null when no level sets it.
 */
export function pick<T>(...levels: (T | null | undefined)[]): T | null {
  for (const value of levels) if (value !== undefined) return value;
  return null;
}

/** `companies.biz_x.alerts`, or `(top level)`; `prefix` is where the parsed value sits in the file. */
function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter((p) => p !== '').join('.') || '(top level)';
}

/**
 * One `path: problem` line per zod issue (one per unknown key), as the policy file's errors read:
 * `companies.biz_x.refund_policy.text: must be a non-empty string`.
 */
export function issueLines(error: z.ZodError, prefix = ''): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${pathOf(prefix, [...issue.path, key])}: unknown key`);
    } else {
      lines.push(`${pathOf(prefix, issue.path)}: ${issue.message}`);
    }
  }
  return lines;
}
