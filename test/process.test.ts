import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWhopSimulator } from '../simulator/index.js';
import { freePort, RedisServerProcess, startTestRedis } from './support/redis-server.js';
import { testSecret } from './support/signed-webhook.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.close();
});

/** Runs the service as `npm start` does (tsx, no build step), capturing its output. */
function run(args: string[], env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => {
    stdout += d;
  });
  proc.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, out: () => stdout, err: () => stderr };
}

/** The exit code; a process still running after `ms` (it should have stopped) is killed and gives null. */
async function exitCode(p: ReturnType<typeof run>, ms = 45_000) {
  const timer = setTimeout(() => p.proc.kill('SIGKILL'), ms);
  const code = await p.exited;
  clearTimeout(timer);
  return code;
}

async function waitForLine(get: () => string, text: string, proc: ChildProcess, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!get().includes(text)) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`never saw "${text}": ${get()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the service process', () => {
  it('stops with one clear line naming the variable when configuration is bad', async () => {
    const p = run(['all'], { REDIS_URL: redis.url, WHOP_API_KEY: 'k' });
    expect(await p.exited).toBe(1);
    expect(p.err().trim().split('\n')).toHaveLength(1);
    expect(p.err()).toMatch(/^configuration error: WHOP_WEBHOOK_SECRET: is required/);
  });

  it.each([
    // A pasted signature header: the rotation list once made `v1` a key anyone could sign with.
    'v1,whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    // A one-byte key, a placeholder, and base64 that decodes to nothing (once a stack trace).
    'whsec_QQ==',
    'x',
    'whsec_A',
  ])(
    'refuses to start on a weak or malformed WHOP_WEBHOOK_SECRET (%s), in one line that never echoes it',
    async (secret) => {
      const p = run(['server'], { REDIS_URL: redis.url, WHOP_API_KEY: 'k', WHOP_WEBHOOK_SECRET: secret });
      expect(await exitCode(p)).toBe(1);
      expect(p.err().trim().split('\n')).toHaveLength(1);
      expect(p.err()).toMatch(/^configuration error: WHOP_WEBHOOK_SECRET: /);
      for (const part of secret.split(',')) if (part.length > 2) expect(p.err()).not.toContain(part);
      expect(p.out()).toBe('');
    },
  );

  it('stops with one clear line when the policy file is bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'da-policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'defaults:\n  auto_submit: sometimes\n');
    const p = run(['worker'], {
      REDIS_URL: redis.url,
      WHOP_API_KEY: 'k',
      WHOP_WEBHOOK_SECRET: testSecret('x'),
      POLICY_FILE: file,
    });
    expect(await p.exited).toBe(1);
    expect(p.err().trim().split('\n')).toHaveLength(1);
    expect(p.err()).toMatch(/^configuration error: POLICY_FILE .*auto_submit/);
  });

  it('serves, reconciles a webhook against Whop, and on SIGTERM drains and exits 0', async () => {
    const port = await freePort();
    const secret = testSecret('process');
    const sim = await startWhopSimulator({
      apiKey: 'key_secret_value',
      webhook: {
        url: `http://127.0.0.1:${port}/webhooks/whop`,
        secret,
        retryDelaysMs: [200, 400, 800],
      },
    });
    const adminToken = 'admin-token-for-the-test';
    const p = run(['all'], {
      PORT: String(port),
      REDIS_URL: redis.url,
      WHOP_API_KEY: sim.apiKey,
      WHOP_BASE_URL: sim.baseURL,
      WHOP_WEBHOOK_SECRET: secret,
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'info',
    });
    try {
      await waitForLine(p.out, 'workers started', p.proc);
      await waitForLine(p.out, 'http server listening', p.proc);

      const dispute = sim.openDispute({ paymentId: sim.createPayment({ total: 30 }).id });
      await sim.flushWebhooks();
      await waitForLine(p.out, `"caseId":"${dispute.id}"`, p.proc);
      const res = await fetch(`http://127.0.0.1:${port}/api/cases/${dispute.id}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: { status: string } }).data.status).toBe('needs_response');
      // Secrets never reach the log.
      expect(p.out()).not.toContain('key_secret_value');
      expect(p.out()).not.toContain(secret);
      expect(p.out()).not.toContain(adminToken);
    } finally {
      await sim.close();
    }

    p.proc.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain('"msg":"stopped"');
  });
});

/** Every line the process wrote, stdout and stderr. */
const linesOf = (p: ReturnType<typeof run>) =>
  [...p.out().split('\n'), ...p.err().split('\n')].filter(Boolean);

function notJson(lines: string[]): string[] {
  return lines.filter((line) => {
    try {
      return typeof JSON.parse(line) !== 'object';
    } catch {
      return true;
    }
  });
}

describe('the service process and its Redis', () => {
  const env = (extra: Record<string, string> = {}) => ({
    WHOP_API_KEY: 'k',
    WHOP_WEBHOOK_SECRET: testSecret('redis checks'),
    // Whop is not needed: nothing here reaches it (the start-up sweep finds no company).
    WHOP_BASE_URL: 'http://127.0.0.1:9',
    PORT: '0',
    ...extra,
  });

  it('refuses to start on a Redis that may evict keys, in one line naming the override; runs with it, logging only JSON', async () => {
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const refused = run(['all'], env({ REDIS_URL: redis.url }));
      expect(await exitCode(refused)).toBe(1);
      expect(refused.err().trim().split('\n')).toHaveLength(1);
      expect(refused.err()).toMatch(
        /^configuration error: Redis maxmemory-policy is allkeys-lru: .*set it to noeviction \(or set ALLOW_REDIS_EVICTION=true to run anyway\)\n$/,
      );

      const allowed = run(['all'], env({ REDIS_URL: redis.url, ALLOW_REDIS_EVICTION: 'true' }));
      await waitForLine(allowed.out, 'workers started', allowed.proc, 60_000);
      await waitForLine(allowed.out, 'http server listening', allowed.proc, 60_000);
      allowed.proc.kill('SIGTERM');
      expect(await exitCode(allowed)).toBe(0);
      expect(allowed.out()).toContain('Redis may evict keys; running anyway (ALLOW_REDIS_EVICTION=true)');
      // BullMQ's own warning about the policy comes out as a JSON line too.
      expect(allowed.out()).toContain('IMPORTANT! Eviction policy is allkeys-lru');
      expect(notJson(linesOf(allowed))).toEqual([]);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
    }
  }, 90_000);

  it('listens only on HOST when it is set', async () => {
    const port = await freePort();
    const p = run(['server'], env({ REDIS_URL: redis.url, PORT: String(port), HOST: '127.0.0.2' }));
    try {
      await waitForLine(p.out, 'http server listening', p.proc, 60_000);
      expect(p.out()).toContain('"host":"127.0.0.2"');
      expect((await fetch(`http://127.0.0.2:${port}/healthz`)).status).toBe(200);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      p.proc.kill('SIGTERM');
      await exitCode(p);
    }
  }, 90_000);

  it('keeps every line it writes JSON while its Redis is down, a few throttled lines rather than hundreds', async () => {
    const own = await RedisServerProcess.start();
    const p = run(['all'], env({ REDIS_URL: own.url, SHUTDOWN_TIMEOUT_MS: '2000' }));
    try {
      await waitForLine(p.out, 'workers started', p.proc, 60_000);
      await waitForLine(p.out, 'http server listening', p.proc, 60_000);
      const before = linesOf(p).length;
      await own.stop();
      // Every connection retries (up to every 5 s) and reports each failed attempt.
      await new Promise((r) => setTimeout(r, 8_000));
      const during = linesOf(p).slice(before);
      expect(during.length).toBeGreaterThan(0);
      expect(notJson(during)).toEqual([]);
      expect(during.length).toBeLessThan(40);
      await own.restart();
      await new Promise((r) => setTimeout(r, 2_000));
      // Shutting down after an outage may end on the shutdown timeout (exit 1; so it does on main too):
      // what matters here is that its lines are JSON as well.
      p.proc.kill('SIGTERM');
      expect(await exitCode(p)).not.toBeNull();
      expect(notJson(linesOf(p))).toEqual([]);
    } finally {
      p.proc.kill('SIGKILL');
      await own.destroy();
    }
  }, 90_000);
});
