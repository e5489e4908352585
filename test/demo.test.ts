import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/redis-server.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** `npm run demo` as a newcomer runs it (tsx, no build), with the environment given. */
function startDemo(env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  proc.stdout!.on('data', (d) => {
    out.stdout += d;
  });
  proc.stderr!.on('data', (d) => {
    out.stderr += d;
  });
  const exited = new Promise<number | null>((done) => proc.on('close', (code) => done(code)));
  return { proc, out, exited };
}

async function waitFor(what: () => boolean, timeoutMs: number, label: string) {
  const deadline = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const portOpen = (port: number) =>
  new Promise<boolean>((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });

describe('npm run demo', () => {
  const dirs: string[] = [];
  const procs: ChildProcess[] = [];
  afterAll(() => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('runs with no configuration: cases arrive, alerts print as lines, Ctrl-C stops everything', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'da-demo-'));
    dirs.push(dataDir);
    const port = await freePort();
    const demo = startDemo({ PORT: String(port), DEMO_PACE: '20', DEMO_DATA_DIR: dataDir });
    procs.push(demo.proc);

    await waitFor(() => /Admin token: (\S+)/.test(demo.out.stdout), 30_000, 'the banner');
    const token = /Admin token: (\S+)/.exec(demo.out.stdout)![1]!;
    expect(demo.out.stdout).toContain(`http://localhost:${port}/`);
    // The opening chargeback, printed by the terminal channel as a readable line.
    await waitFor(
      // The opening message: urgent, or informational when the evidence was submitted within its window.
      () => /\[(Urgent|Info)\] Chargeback: \$199\.00/.test(demo.out.stdout),
      // ~10 s on a quiet machine (DEMO_PACE 20); a loaded CI machine needs more.
      60_000,
      'a chargeback alert',
    );

    const res = await fetch(`http://127.0.0.1:${port}/api/cases?kind=dispute`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { kind: string; status: string }[] };
    expect(body.data.some((c) => c.kind === 'dispute')).toBe(true);

    // The banner's login link: one click gives a session, whose home page lists the disputes …
    const link = /Log in: +(http:\/\/localhost:\d+\/login\/[A-Za-z0-9_-]+)/.exec(demo.out.stdout)?.[1];
    expect(link).toBeDefined();
    expect(link).not.toContain(token);
    const linkUrl = link!.replace('localhost', '127.0.0.1');
    const login = await fetch(linkUrl, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/');
    const session = login.headers.getSetCookie().find((c) => c.startsWith('da_session='));
    expect(session).toMatch(/HttpOnly/i);
    const home = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { cookie: session!.split(';')[0]! },
      redirect: 'manual',
    });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('/cases/');
    // … and works once: the same link again is refused.
    const again = await fetch(linkUrl, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('expired or was already used');

    // Its private Redis (a free port, data under DEMO_DATA_DIR) is up while the demo runs …
    const redisPort = Number(/Redis: +redis:\/\/127\.0\.0\.1:(\d+) \(private/.exec(demo.out.stdout)?.[1]);
    expect(await portOpen(redisPort)).toBe(true);
    demo.proc.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.out.stdout).toContain('Stopping the demo');
    // … and stopped with it; nothing but the story went to the terminal's error stream.
    expect(await portOpen(redisPort)).toBe(false);
    expect(demo.out.stderr.trim()).toBe('');
  }, 150_000);

  it('without redis-server and REDIS_URL, says in one line how to get one', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'da-demo-bin-'));
    dirs.push(bin);
    mkdirSync(join(bin, 'b'));
    symlinkSync(process.execPath, join(bin, 'b', 'node'));
    const demo = startDemo({ PATH: join(bin, 'b'), DEMO_DATA_DIR: join(bin, 'data') });
    procs.push(demo.proc);
    expect(await demo.exited).toBe(1);
    const lines = demo.out.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^redis-server not found: install it \(apt-get install redis-server, or brew install redis\)/,
      ),
    ]);
  }, 30_000);
});
