import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free TCP port on loopback, picked by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * What a machine without the binary is told, in one line: what is missing, why, and how to install it.
 * Printed by the test run's global setup (test/support/global-setup.ts) and thrown by `RedisServerProcess`.
 */
export const REDIS_SERVER_MISSING =
  'redis-server not found on PATH: the tests start their own throwaway Redis with it. ' +
  'Install it with `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).';

let binaryFound: boolean | undefined;

/** Whether `redis-server` runs from PATH (checked once per process). */
export function hasRedisServerBinary(): boolean {
  binaryFound ??= spawnSync('redis-server', ['--version']).status === 0;
  return binaryFound;
}

/**
 * A throwaway redis-server of our own (its own temp dir), so tests never touch anyone's data and can
 * stop, pause or restart it at will. No persistence unless `appendfsync` is given: then an append-only
 * file in that temp dir, fsynced as said, which a restart (same port, same dir) loads again.
 */
export class RedisServerProcess {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'da-redis-'));

  private constructor(
    readonly port: number,
    private readonly appendfsync: 'always' | 'everysec' | undefined,
  ) {}

  static async start(
    port?: number,
    opts: { appendfsync?: 'always' | 'everysec' } = {},
  ): Promise<RedisServerProcess> {
    const server = new RedisServerProcess(port ?? (await freePort()), opts.appendfsync);
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Throws `REDIS_SERVER_MISSING` where the binary is not on PATH, rather than waiting for a server. */
  private async launch(): Promise<void> {
    if (!hasRedisServerBinary()) throw new Error(REDIS_SERVER_MISSING);
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...(this.appendfsync
          ? ['--appendonly', 'yes', '--appendfsync', this.appendfsync]
          : ['--appendonly', 'no']),
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    this.proc = proc;
    // A failed spawn is an 'error' event; unheard, it would crash the test process.
    let spawnError: Error | undefined;
    proc.once('error', (err) => {
      spawnError = err;
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (spawnError) {
        this.proc = undefined; // never started: there is nothing to stop, and no 'exit' will come
        throw new Error(`redis-server could not be started: ${spawnError.message}`);
      }
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => {});
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        probe.disconnect();
      }
    }
  }

  /** SIGSTOP: the server hangs without closing connections, like a frozen or overloaded Redis. */
  freeze(): void {
    this.proc?.kill('SIGSTOP');
  }

  thaw(): void {
    this.proc?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    proc.kill('SIGCONT');
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
    this.proc = undefined;
  }

  /** Starts again on the same port (empty without persistence; else with its AOF), as after a Redis restart. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The Redis a test file uses: its own throwaway redis-server where the binary exists (files run in
 * parallel without sharing data), else REDIS_URL, flushed first (then run vitest with --no-file-parallelism).
 */
export async function startTestRedis(): Promise<{
  url: string;
  server?: RedisServerProcess;
  close(): Promise<void>;
}> {
  if (hasRedisServerBinary()) {
    const server = await RedisServerProcess.start();
    return { url: server.url, server, close: () => server.destroy() };
  }
  const url = process.env.REDIS_URL;
  if (!url) throw new Error(`${REDIS_SERVER_MISSING} Or set REDIS_URL to a Redis the tests may flush.`);
  const r = new Redis(url);
  await r.flushdb();
  r.disconnect();
  return { url, close: async () => {} };
}
