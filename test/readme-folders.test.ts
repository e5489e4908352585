import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Issue 8: the README's folder table is the map a newcomer reads; it must match the tree.
const readme = readFileSync('README.md', 'utf8');
const rows = [...readme.matchAll(/^\| `(src\/[a-z-]+)\/` +\| (.*)\|$/gm)].map((m) => ({
  folder: m[1]!,
  text: m[2]!,
}));
const srcFolders = readdirSync('src')
  .filter((name) => statSync(`src/${name}`).isDirectory())
  .map((name) => `src/${name}`);

describe('README folder table', () => {
  it('lists every folder under src/', () => {
    expect(rows.length).toBeGreaterThan(10);
    const listed = new Set(rows.map((r) => r.folder));
    expect(srcFolders.filter((f) => !listed.has(f))).toEqual([]);
  });

  it('lists no folder that does not exist, unless the row says it is planned', () => {
    const missing = rows.filter((r) => !srcFolders.includes(r.folder) && !r.text.startsWith('(planned)'));
    expect(missing.map((r) => r.folder)).toEqual([]);
  });

  it('marks no existing folder as planned', () => {
    const stale = rows.filter((r) => srcFolders.includes(r.folder) && r.text.startsWith('(planned)'));
    expect(stale.map((r) => r.folder)).toEqual([]);
  });
});
