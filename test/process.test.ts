import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestRedis } from './support/redis-server.js';
import { signWebhook, whopEvent } from './support/signed-webhook.js';

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

async function waitForLine(get: () => string, text: string, proc: ChildProcess) {
  const deadline = Date.now() + 20_000;
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

  it('serves, processes an event, and on SIGTERM drains and exits 0', async () => {
    const port = await freePort();
    const p = run(['all'], {
      PORT: String(port),
      REDIS_URL: redis.url,
      WHOP_API_KEY: 'key_secret_value',
      WHOP_WEBHOOK_SECRET: 'ws_proc',
      LOG_LEVEL: 'info',
    });
    await waitForLine(p.out, 'workers started', p.proc);
    await waitForLine(p.out, 'http server listening', p.proc);

    const body = JSON.stringify(whopEvent('dispute.created', { id: 'dspt_proc' }));
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/whop`, {
      method: 'POST',
      body,
      headers: signWebhook('ws_proc', 'msg_proc_1', body),
    });
    expect(res.status).toBe(200);
    await waitForLine(p.out, '"webhookId":"msg_proc_1"', p.proc);
    // Secrets never reach the log.
    expect(p.out()).not.toContain('key_secret_value');
    expect(p.out()).not.toContain('ws_proc');

    p.proc.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain('"msg":"stopped"');
  });
});
