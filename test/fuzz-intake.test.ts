/**
 * A seeded property-based fuzz run (fast-check) against the server process as production runs it, over
 * real sockets: thousands of hostile webhook deliveries, access-event posts and raw byte streams
 * (test/support/fuzz-requests.ts). No answer may be a 5xx or a broken connection, every refusal is a
 * JSON error with a known code, `/healthz` answers throughout and the process keeps running.
 *
 * The seed is fixed so CI is deterministic; `FUZZ_SEED=<n>` tries another, `FUZZ_RUNS=<n>` scales the
 * run. The seed, the counts by status and the server's RSS before and after are printed; a failure
 * prints the shrunk (minimal) request.
 */
import { Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessEventsRequest,
  type FuzzRequest,
  rawRequest,
  webhookRequest,
} from './support/fuzz-requests.js';
import { startTestRedis } from './support/redis-server.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { testSecret } from './support/signed-webhook.js';
import { describeRequest, problemWith, sendOverSocket } from './support/wire-client.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const SECRET = testSecret('fuzz');
const ACCESS_TOKEN = 'fuzz-access-events-token-0001';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let server: ServerProcess;
let agent: Agent;
beforeAll(async () => {
  redis = await startTestRedis();
  server = await startServerProcess({
    REDIS_URL: redis.url,
    WHOP_API_KEY: 'whop_key_unused_by_the_server',
    WHOP_WEBHOOK_SECRET: SECRET,
    ACCESS_EVENTS_TOKEN: ACCESS_TOKEN,
    ADMIN_TOKEN: 'fuzz-admin-token-000000000001',
  });
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
}, 30_000);
afterAll(async () => {
  agent?.destroy();
  await server?.stop();
  await redis?.close();
});

/** GET /healthz every 100 ms on its own connections while `work` runs: how many failed, and the slowest. */
async function whileHealthPolled<T>(work: () => Promise<T>) {
  let stop = false;
  const health = { polls: 0, failures: [] as string[], slowestMs: 0 };
  const poller = (async () => {
    while (!stop) {
      const started = performance.now();
      const res = await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => (r.ok ? 'ok' : `status ${r.status}`),
        (err: Error) => err.message,
      );
      health.polls++;
      health.slowestMs = Math.max(health.slowestMs, Math.round(performance.now() - started));
      if (res !== 'ok') health.failures.push(res);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    return { result: await work(), health };
  } finally {
    stop = true;
    await poller;
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('fuzzing the running server', () => {
  it('answers every hostile request with a 4xx JSON error or a 2xx, never a 5xx or a broken connection', async () => {
    const counts: Record<string, Record<number | string, number>> = {};
    const seconds: Record<string, string> = {};
    const tally = (group: string, key: number | string) => {
      counts[group] ??= {};
      counts[group][key] = (counts[group][key] ?? 0) + 1;
    };
    let failure: string | undefined;
    /** One property per kind of request; a failure is described with its shrunk request. */
    const run = async (group: string, arb: fc.Arbitrary<FuzzRequest>, numRuns: number, seed: number) => {
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(arb, async (r) => {
          const outcome = await sendOverSocket(server.port, agent, r);
          tally(group, 'status' in outcome ? outcome.status : 'failed');
          const problem = problemWith(r, outcome);
          if (problem) throw new Error(problem);
        }),
        {
          seed,
          numRuns: Math.max(1, Math.round(numRuns * RUNS)),
          reporter: (details) => {
            if (!details.failed) return;
            failure =
              `${group}: seed ${details.seed}, path "${details.counterexamplePath}", shrunk ${details.numShrinks} times\n` +
              `${(details.errorInstance as Error | undefined)?.message ?? 'no error'}\n` +
              `minimal request: ${details.counterexample ? describeRequest(details.counterexample[0]) : '?'}`;
            throw new Error(failure);
          },
        },
      );
      seconds[group] = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    };

    // Warm up (module loading, JIT, Redis connections, the heap grown to the largest bodies) so the RSS
    // before is the server at work.
    await run('warm-up webhooks', webhookRequest(SECRET, testSecret('fuzz wrong')), 150, SEED - 1);
    await run('warm-up access-events', accessEventsRequest(ACCESS_TOKEN), 100, SEED - 2);
    const rssBefore = server.rssBytes();

    const { health } = await whileHealthPolled(async () => {
      await run('webhooks', webhookRequest(SECRET, testSecret('fuzz wrong')), 1_600, SEED);
      await run('access-events', accessEventsRequest(ACCESS_TOKEN), 900, SEED + 1);
      await run('raw', rawRequest, 300, SEED + 2);
    }).catch((err) => {
      console.error(failure ?? err);
      throw err;
    });
    const rssAfter = server.rssBytes();

    console.log(
      [
        `fuzz seed ${SEED} (FUZZ_SEED to change), runs x${RUNS}`,
        ...Object.entries(counts).map(([g, c]) => `  ${g} (${seconds[g]}): ${JSON.stringify(c)}`),
        `  server RSS before ${mb(rssBefore)}, after ${mb(rssAfter)}`,
        `  /healthz: ${health.polls} polls, ${health.failures.length} failed, slowest ${health.slowestMs} ms`,
      ].join('\n'),
    );
    expect(health.failures).toEqual([]);
    expect(health.polls).toBeGreaterThan(10);
    expect(server.alive()).toBe(true);
    // Flat: what the run leaves behind is bounded (the heap grows with the largest bodies, then stays).
    expect(rssAfter - rssBefore).toBeLessThan(120 * 1024 * 1024);
    // Nothing the server logged was an unhandled error.
    expect(server.output()).not.toMatch(/unhandled error|uncaught/i);
  }, 120_000);
});
