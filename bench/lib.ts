import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Redis } from 'ioredis';

/** Starts a bench target (a TS file run with tsx) and resolves with the port it printed. */
export async function startTarget(
  file: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ port: number; proc: ChildProcess; stop(): Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve(JSON.parse(line).port);
    });
    proc.on('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  proc.stdout!.resume();
  return {
    port,
    proc,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The 1, 5 and 15 minute load averages, for the line that says how busy the shared machine was. */
export function loadLine(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;
}

/** Nearest-rank percentile (p in 0..1) of unsorted numbers; 0 for none. */
export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return 0;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") "; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Redis's own CPU seconds (user + system), from INFO cpu. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const get = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return get('used_cpu_user') + get('used_cpu_sys');
}

/** Polls `check` every `everyMs` until it returns true; throws `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A service process as `npm run start:server` / `start:worker` runs it (src/main.ts through tsx), with
 * only the given environment (plus PATH); its output is dropped unless BENCH_SERVICE_LOG is set.
 */
export function startService(role: 'server' | 'worker' | 'all', env: Record<string, string>): ChildProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', role], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: process.env.BENCH_SERVICE_LOG ?? 'warn', ...env },
    stdio: process.env.BENCH_SERVICE_LOG ? 'inherit' : 'ignore',
  });
  proc.once('error', (err) => console.error(`${role} process: ${err.message}`));
  return proc;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(proc: ChildProcess, graceMs = 15_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** The Whop simulator in its own process (bench/targets/sim-target.ts), driven over IPC. */
export async function startSimProcess(webhookTarget: string | null, secret: string) {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/targets/sim-target.ts', webhookTarget ?? '-', secret],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const ready = await new Promise<{ baseURL: string; apiKey: string }>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) resolve(JSON.parse(line));
    });
    proc.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
  proc.stdout!.resume();
  // One request at a time: each answer is the next message.
  let chain: Promise<unknown> = Promise.resolve();
  const ask = <T>(msg: Record<string, unknown>): Promise<T> => {
    const next = chain.then(
      () =>
        new Promise<T>((resolve) => {
          proc.once('message', (m) => resolve(m as T));
          proc.send(msg);
        }),
    );
    chain = next.catch(() => {});
    return next;
  };
  return {
    ...ready,
    proc,
    open: (rate: number, seconds: number) =>
      ask<{ opened: [string, number][] }>({ cmd: 'open', rate, seconds }).then((r) => r.opened),
    seed: (count: number) => ask<{ ids: string[] }>({ cmd: 'seed', count }).then((r) => r.ids),
    stats: () =>
      ask<{
        requests: number;
        byRoute: Record<string, number>;
        webhooksPending: number;
        webhooksFailed: number;
      }>({
        cmd: 'stats',
      }),
    stop: () => stopProcess(proc, 5000),
  };
}
