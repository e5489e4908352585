import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Configuration (the environment in src/config/, the policy file in src/policy/) is read by the features
// and imports none of them, so a feature can be added or removed without touching it (issue 8). Checked
// by reading each file's import lines.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every module specifier a TypeScript file imports or re-exports, static or dynamic. */
function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** The product files of a folder: tests may import test helpers and what they test. */
function tsFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/**
 * The imports of `folder`'s files that reach outside `allowed` (folders relative to the repository).
 * Packages and node: builtins are always allowed; only relative imports can reach a feature.
 */
function importsOutside(folder: string, allowed: string[]): string[] {
  const out: string[] = [];
  for (const file of tsFiles(folder)) {
    for (const spec of importSpecifiers(readFileSync(join(root, file), 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = relative(root, resolve(root, dirname(file), spec));
      if (!allowed.some((dir) => target === dir || target.startsWith(`${dir}/`))) {
        out.push(`${file} imports ${spec}`);
      }
    }
  }
  return out;
}

describe('layering', () => {
  it('reads import lines of every form', () => {
    const source = [
      "import { z } from 'zod';",
      "import type { Alert } from '../alerts/alert.js';",
      'import {\n  a,\n  b,\n} from "../evidence/x.js";',
      "export { c } from './c.js';",
      "import './side-effect.js';",
      "const m = await import('../webhooks/y.js');",
      "// a comment that says from '../nothing.js' is not an import",
    ].join('\n');
    expect(importSpecifiers(source).sort()).toEqual(
      [
        'zod',
        '../alerts/alert.js',
        '../evidence/x.js',
        './c.js',
        './side-effect.js',
        '../webhooks/y.js',
      ].sort(),
    );
  });

  it('src/config imports nothing outside src/config (no feature folder)', () => {
    expect(tsFiles('src/config')).toContain('src/config/env.ts');
    expect(importsOutside('src/config', ['src/config'])).toEqual([]);
  });

  it('src/policy (the policy file, configuration for several features) imports only itself, src/config and src/money', () => {
    expect(tsFiles('src/policy')).toContain('src/policy/policy-file.ts');
    expect(importsOutside('src/policy', ['src/policy', 'src/config', 'src/money'])).toEqual([]);
    // Money (minor units, currencies) is a shared kernel the refund rules are written in, not a feature.
    expect(importsOutside('src/money', ['src/money'])).toEqual([]);
  });
});
