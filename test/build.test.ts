import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(cmd, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 120_000,
  });

// The Docker image runs `npm run build`'s JavaScript through docker-entrypoint.sh, with no TypeScript
// loader (Docker cannot run here; this is everything of the image but Docker).
describe('npm run build and the image entrypoint', () => {
  it('compiles the service to dist/ and the entrypoint runs it without tsx', () => {
    const build = run('npm', ['run', '-s', 'build']);
    expect(build.status, build.stderr + build.stdout).toBe(0);
    expect(existsSync(`${repoRoot}dist/src/main.js`)).toBe(true);
    expect(existsSync(`${repoRoot}dist/workers/index.js`)).toBe(true);
    // No test, bench, demo or simulator code in what ships.
    expect(existsSync(`${repoRoot}dist/simulator`)).toBe(false);
    expect(existsSync(`${repoRoot}dist/src/config/env.test.js`)).toBe(false);
    expect(readFileSync(`${repoRoot}dist/src/main.js`, 'utf8')).not.toMatch(/from ['"]tsx/);

    const role = run('sh', ['docker-entrypoint.sh', 'all']);
    expect(role.status).toBe(1);
    expect(role.stderr.trim()).toBe('configuration error: WHOP_API_KEY: is required (a Whop API key)');

    const cli = run('sh', ['docker-entrypoint.sh', 'cli']);
    expect(cli.stderr).toMatch(/^usage: npm run cli -- /m);
  }, 150_000);
});
