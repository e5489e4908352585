import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from './redis-server.js';

/**
 * The HTTP server as `npm run start:server` runs it (`src/main.ts server` under tsx), in its own process
 * on a free loopback port: a crash shows as an exit, and its memory is its own (`rssBytes`). Its log lines
 * (stdout and stderr) are kept in `output()`.
 */
export async function startServerProcess(env: Record<string, string>) {
  const port = await freePort();
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'server'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout?.on('data', (d) => {
    output += d;
  });
  proc.stderr?.on('data', (d) => {
    output += d;
  });
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; ; ) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${output}`);
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server never answered /healthz: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    base,
    proc,
    output: () => output,
    /** Whether the process is still running. */
    alive: () => proc.exitCode === null && proc.signalCode === null,
    /** The process's resident set size in bytes, from /proc (Linux). */
    rssBytes(): number {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
      if (!kb) throw new Error('no VmRSS in /proc status');
      return Number(kb[1]) * 1024;
    },
    /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export type ServerProcess = Awaited<ReturnType<typeof startServerProcess>>;
