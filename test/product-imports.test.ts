/**
 * What product code (every non-test file under src/ and workers/) may import, read from its import lines:
 * - never the Whop simulator or test support: the simulator exists to test against, and the image leaves
 *   test/ out (.dockerignore), so such an import would pass the suite and break the service;
 * - configuration (the environment in src/config/, the policy file in src/policy/) imports no feature:
 *   features read it, so a feature can be added or removed without touching it (issue 8).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PRODUCT_DIRS = ['src', 'workers'];
const FORBIDDEN_DIRS = ['simulator', 'test'];

/**
 * The module specifiers a TypeScript source imports or re-exports: static (`import … from`, `import type`,
 * `export … from`, bare `import '…'`), dynamic `import('…')` (also in type positions) and `require('…')`.
 */
function importedSpecifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]!));
}

/** The forbidden folder (`simulator`, `test`) a specifier imported by `file` reaches, or null. */
function forbiddenTarget(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = relative(ROOT, resolve(dirname(file), specifier)).split(sep);
  return FORBIDDEN_DIRS.includes(target[0]!) ? target[0]! : null;
}

function productFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('product code imports neither the simulator nor test support', () => {
  it('finds every kind of import', () => {
    const source = [
      "import type {\n  WhopSimulator,\n} from '../../simulator/index.js';",
      "export { sampleAlert } from '../test/support/builders/alerts.js';",
      "import '../simulator/main.js';",
      "const sim = await import('../simulator/index.js');",
      "type T = import('../test/support/cli.js').CliRun;",
      "const { x } = require('./x.js');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importedSpecifiers(source)).toEqual(
      expect.arrayContaining([
        '../../simulator/index.js',
        '../test/support/builders/alerts.js',
        '../simulator/main.js',
        '../simulator/index.js',
        '../test/support/cli.js',
        './x.js',
        'zod',
      ]),
    );
    const file = join(ROOT, 'src', 'alerts', 'alert.ts');
    expect(forbiddenTarget(file, '../../simulator/index.js')).toBe('simulator');
    expect(forbiddenTarget(file, '../../test/support/cli.js')).toBe('test');
    expect(forbiddenTarget(file, '../cases/case-record.js')).toBeNull();
    // A folder of the same name inside src/ is product code.
    expect(forbiddenTarget(file, './test/helpers.js')).toBeNull();
    expect(forbiddenTarget(file, 'simulator')).toBeNull();
  });

  it('holds for every non-test file under src/ and workers/', () => {
    const files = PRODUCT_DIRS.map((dir) => join(ROOT, dir))
      .filter((dir) => existsSync(dir))
      .flatMap((dir) => productFiles(dir));
    // The walk really reads the tree: the entry point and many more.
    expect(files).toContain(join(ROOT, 'src', 'main.ts'));
    expect(files.length).toBeGreaterThan(50);
    const offending = files.flatMap((file) =>
      importedSpecifiers(readFileSync(file, 'utf8'))
        .filter((specifier) => forbiddenTarget(file, specifier) !== null)
        .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});

/** Each configuration folder and the folders (repository-relative) its product files may import from. */
const CONFIGURATION: [string, string[]][] = [
  // Money is no feature (see below): MIN_FIGHT_AMOUNT is read into exact minor units at start.
  ['src/config', ['src/config', 'src/money']],
  ['src/policy', ['src/policy', 'src/config', 'src/money']],
  // Money (minor units, currencies) is a shared kernel the refund rules are written in, not a feature.
  ['src/money', ['src/money']],
];

/** Whether a relative specifier imported by `file` reaches outside the `allowed` folders (packages never do). */
function reachesOutside(file: string, specifier: string, allowed: string[]): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = relative(ROOT, resolve(dirname(file), specifier))
    .split(sep)
    .join('/');
  return !allowed.some((dir) => target === dir || target.startsWith(`${dir}/`));
}

describe('configuration imports no feature', () => {
  it('tells a feature import from an import of configuration or a package', () => {
    const env = join(ROOT, 'src', 'config', 'env.ts');
    expect(reachesOutside(env, '../alerts/reminder-schedule.js', ['src/config'])).toBe(true);
    expect(reachesOutside(env, '../webhooks/verify-signature.js', ['src/config'])).toBe(true);
    expect(reachesOutside(env, './duration.js', ['src/config'])).toBe(false);
    expect(reachesOutside(env, 'zod', ['src/config'])).toBe(false);
    const policy = join(ROOT, 'src', 'policy', 'policy-file.ts');
    expect(reachesOutside(policy, '../config/duration.js', ['src/policy', 'src/config'])).toBe(false);
    expect(reachesOutside(policy, '../evidence/reason-category.js', ['src/policy', 'src/config'])).toBe(true);
  });

  it.each(CONFIGURATION)('%s imports only from %j', (dir, allowed) => {
    const files = productFiles(join(ROOT, dir));
    expect(files.length).toBeGreaterThan(0);
    const offending = files.flatMap((file) =>
      importedSpecifiers(readFileSync(file, 'utf8'))
        .filter((specifier) => reachesOutside(file, specifier, allowed))
        .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
