/**
 * The README's "Whop setup and permissions" table lists exactly the permissions the code needs, per
 * feature (from `FEATURE_CALLS` and `CALL_PERMISSIONS`, themselves checked against the SDK's source by
 * src/whop/permissions.test.ts): a merchant configures a key from it, so it cannot be allowed to drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALL_PERMISSIONS, FEATURE_CALLS, type FeatureCalls } from '../src/whop/permissions.js';

const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README has no "## ${title}" section`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** Table rows (not the header or the separator) as cells. */
function tableRows(text: string): string[][] {
  const rows = text
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  return rows.slice(2);
}

const permissionsIn = (cell: string) =>
  [...cell.matchAll(/`([a-z_]+(?::[a-z_]+)+)`/g)].map((m) => m[1]!).sort();

/** What a feature needs (its required calls) and what only adds facts (its optional calls), sorted. */
function expected(f: FeatureCalls) {
  const needs = [...new Set(f.required.flatMap((c) => CALL_PERMISSIONS[c]))].sort();
  const adds = [...new Set(f.optional.flatMap((c) => CALL_PERMISSIONS[c]))]
    .filter((p) => !needs.includes(p))
    .sort();
  return { needs, adds };
}

describe('README: Whop setup and permissions', () => {
  const text = section('Whop setup and permissions');
  const rows = tableRows(text);

  it('has one row per feature', () => {
    expect(rows.map((r) => r[0])).toEqual(Object.values(FEATURE_CALLS).map((f) => f.label));
  });

  it.each(Object.entries(FEATURE_CALLS))(
    'lists exactly what %s needs and what only adds facts',
    (_name, f) => {
      const row = rows.find((r) => r[0] === f.label);
      expect(row, `no row for ${f.label}`).toBeDefined();
      const { needs, adds } = expected(f);
      expect(permissionsIn(row![1]!)).toEqual(needs);
      expect(permissionsIn(row![2]!)).toEqual(adds);
    },
  );

  it('names the calls that need no permission, and what doctor checks', () => {
    const free = new Set(
      Object.values(FEATURE_CALLS)
        .flatMap((f: FeatureCalls) => [...f.required, ...f.optional])
        .filter((c) => CALL_PERMISSIONS[c].length === 0),
    );
    for (const call of free) expect(text).toContain(`\`${call}\``);
    expect(text).toContain('npm run cli -- doctor');
    expect(text).toMatch(/Redis: reachable, writable .*`maxmemory-policy noeviction`/s);
  });
});
