/**
 * The whole service as it is deployed, for the end-to-end and worker benchmarks: a throwaway
 * redis-server, the Whop simulator in its own process (sending signed webhooks), the HTTP server and
 * worker processes as `npm run start:server` / `start:worker` run them, and a local Slack receiver.
 */
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { INBOX_STREAM } from '../src/redis/keys.js';
import { ChatReceiver } from '../test/support/chat-receiver.js';
import { freePort, RedisServerProcess } from '../test/support/redis-server.js';
import { testSecret } from '../test/support/signed-webhook.js';
import { cpuSeconds, redisCpuSeconds, startService, startSimProcess, stopProcess, waitUntil } from './lib.js';

/** Every BullMQ queue the workers run; their `wait` lists are the backlog. */
export const QUEUES = ['whop-events', 'evidence', 'alerts', 'refunds'] as const;

export async function startRig(opts: { server: boolean; workers: number; slack: boolean }) {
  const secret = testSecret('bench-rig');
  const redisServer = await RedisServerProcess.start();
  const admin = new Redis(redisServer.url);
  const slack = opts.slack ? await ChatReceiver.start({ flavor: 'slack' }) : undefined;
  const port = await freePort();
  const sim = await startSimProcess(opts.server ? `http://127.0.0.1:${port}/webhooks/whop` : null, secret);
  const env: Record<string, string> = {
    REDIS_URL: redisServer.url,
    WHOP_API_KEY: sim.apiKey,
    WHOP_BASE_URL: sim.baseURL,
    WHOP_WEBHOOK_SECRET: secret,
    // The highest the client takes: the simulator does not rate-limit, so Whop's limit is "off".
    WHOP_RATE_LIMIT: '1000',
    PORT: String(port),
    HOST: '127.0.0.1',
    ...(slack ? { SLACK_WEBHOOK_URL: slack.url('/services/T0BENCH/B0BENCH/benchbenchbench') } : {}),
  };
  const server = opts.server ? startService('server', env) : undefined;
  const workers: ChildProcess[] = [];
  const rig = {
    admin,
    sim,
    slack,
    redisUrl: redisServer.url,
    port,
    server,
    workers,
    env,
    async addWorkers(n: number) {
      for (let i = 0; i < n; i++) workers.push(startService('worker', env));
    },
    /** Jobs waiting or running in every queue, plus inbox entries not yet relayed. */
    async backlog(): Promise<number> {
      return Object.values(await rig.backlogByQueue()).reduce((a, b) => a + b, 0);
    },
    /** The same by queue (`inbox`: entries not yet relayed). */
    async backlogByQueue(): Promise<Record<string, number>> {
      const pipe = admin.pipeline();
      for (const q of QUEUES) pipe.llen(`bull:${q}:wait`).llen(`bull:${q}:active`);
      const counts = ((await pipe.exec()) ?? []).map(([, n]) => Number(n ?? 0));
      const out: Record<string, number> = { inbox: await inboxLag(admin) };
      QUEUES.forEach((q, i) => {
        out[q] = counts[2 * i]! + counts[2 * i + 1]!;
      });
      return out;
    },
    /** CPU seconds used so far by each process of the rig. */
    async cpu(): Promise<Record<string, number>> {
      const out: Record<string, number> = {
        redis: await redisCpuSeconds(admin),
        simulator: cpuSeconds(sim.proc.pid),
        bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      };
      if (server) out.server = cpuSeconds(server.pid);
      workers.forEach((w, i) => {
        out[`worker ${i + 1}`] = cpuSeconds(w.pid);
      });
      return out;
    },
    async stop() {
      await Promise.all([...workers, ...(server ? [server] : [])].map((p) => stopProcess(p)));
      await sim.stop();
      await slack?.close();
      admin.disconnect();
      await redisServer.destroy();
    },
  };
  if (server) {
    await waitUntil(
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok === true,
      60_000,
      'the server answering /readyz',
      200,
    );
  }
  return rig;
}

/** Inbox entries the workers' consumer group has not read yet (0 before the group exists). */
async function inboxLag(redis: Redis): Promise<number> {
  try {
    const groups = (await redis.xinfo('GROUPS', INBOX_STREAM)) as unknown[][];
    let lag = 0;
    for (const g of groups) {
      const i = g.indexOf('lag');
      lag += Number(g[i + 1] ?? 0) + Number(g[g.indexOf('pending') + 1] ?? 0);
    }
    return lag;
  } catch {
    return 0;
  }
}

/** CPU seconds per process between two `rig.cpu()` readings, as a share of one core over `seconds`. */
export function cpuShares(before: Record<string, number>, after: Record<string, number>, seconds: number) {
  return Object.fromEntries(
    Object.keys(after).map((k) => [k, Math.round((100 * ((after[k] ?? 0) - (before[k] ?? 0))) / seconds)]),
  );
}

export type Rig = Awaited<ReturnType<typeof startRig>>;
