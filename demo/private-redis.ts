import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

/** What a machine without the binary is told, in one line. */
export const NO_REDIS_SERVER =
  'redis-server not found: install it (apt-get install redis-server, or brew install redis), or set REDIS_URL to a Redis of yours';

/** A free TCP port on loopback, picked by the OS. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

/** Whether `port` can be bound on every interface (the service binds there). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => done(false));
    srv.listen(port, () => srv.close(() => done(true)));
  });
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Empties `dataDir` (made if missing) and returns its absolute path. The demo's Whop simulator is new
 * each run, so its Redis must be too: a previous run's cases, now past due and under a company the new
 * simulator does not know, would only fail their jobs for good (Whop answers 404).
 */
export function freshDataDir(dataDir: string): string {
  const dir = resolve(dataDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The demo's own redis-server: a free port on loopback, data under `dataDir`, emptied first (see
 * freshDataDir; an append-only file, as production should run it, and `noeviction`), stopped with the
 * demo. Throws NO_REDIS_SERVER when the binary is missing.
 */
export async function startPrivateRedis(dataDir: string): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error(NO_REDIS_SERVER);
  const dir = freshDataDir(dataDir);
  const port = await freePort();
  const proc: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    // Its own process group: Ctrl-C in the terminal signals the whole foreground group, and Redis must
    // outlive the demo's orderly shutdown (workers finish their jobs first). The demo stops it last.
    { stdio: 'ignore', detached: true },
  );
  // Whatever way the demo ends, its Redis ends with it.
  const killOnExit = () => proc.kill('SIGTERM');
  process.once('exit', killOnExit);
  let failed: Error | undefined;
  proc.once('error', (err) => {
    failed = err;
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (failed) throw new Error(`redis-server could not be started: ${failed.message}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        process.off('exit', killOnExit);
        if (proc.exitCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill('SIGTERM');
      }),
  };
}
