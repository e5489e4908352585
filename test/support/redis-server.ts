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

export function hasRedisServerBinary(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/**
 * A throwaway redis-server of our own (no persistence, its own temp dir), so tests never touch anyone's
 * data and can stop, pause or restart it at will.
 */
export class RedisServerProcess {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'da-redis-'));

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<RedisServerProcess> {
    const server = new RedisServerProcess(port ?? (await freePort()));
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
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

  /** Starts again on the same port (empty: no persistence), as after a Redis restart. */
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
  if (!url)
    throw new Error('tests need redis-server on PATH, or REDIS_URL pointing at a Redis they may flush');
  const r = new Redis(url);
  await r.flushdb();
  r.disconnect();
  return { url, close: async () => {} };
}
