// The npm registry these machines reach serves only some platform builds of optional native packages
// (e.g. @biomejs/cli-darwin-arm64, @msgpackr-extract/*-win32-x64 answer 404). `npm install` then writes a
// lockfile that names them without entries, and `npm ci` refuses it as out of sync. This drops the names
// that have no entry; those packages are optional and platform-specific, so nothing used here is lost.
// Run after any `npm install`: `node .ci/prune-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const present = new Set(Object.keys(lock.packages).map((k) => k.split('node_modules/').pop()));
const dropped = [];
for (const entry of Object.values(lock.packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    if (!present.has(name)) {
      delete entry.optionalDependencies[name];
      dropped.push(name);
    }
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  dropped.length ? `dropped ${dropped.length} unavailable optional packages` : 'lockfile already clean',
);
