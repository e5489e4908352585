import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorSnapshot, WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startSim } from './helpers.js';

describe('control routes and the standalone entry point', () => {
  let sim: WhopSimulator | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    child?.kill('SIGTERM');
    child = undefined;
  });

  it('scripts the simulator over HTTP via /_sim/actions and reads /_sim/state', async () => {
    sim = await startSim();
    const post = (name: string, args: unknown[]) =>
      fetch(`${sim!.origin}/_sim/actions/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ args }),
      }).then((r) => r.json() as Promise<{ result: { id: string } }>);
    const { result: payment } = await post('createPayment', [{ total: 12 }]);
    const { result: dispute } = await post('openDispute', [{ paymentId: payment.id }]);
    expect((await sdkFor(sim).disputes.retrieve(dispute.id)).payment?.id).toBe(payment.id);
    const state = (await fetch(`${sim.origin}/_sim/state`).then((r) => r.json())) as SimulatorSnapshot;
    expect(state.disputes.map((d) => d.id)).toEqual([dispute.id]);
    expect((await fetch(`${sim.origin}/_sim/actions/close`, { method: 'POST' })).status).toBe(404);
    // Control calls are not API calls.
    expect(sim.requestCount()).toBe(1);
  });

  it('npm run simulator: starts from env vars and seeds the demo scenario', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts', '--seed-demo'], {
      env: { ...process.env, PORT: '0', WHOP_API_KEY: 'demo_key', WHOP_WEBHOOK_SECRET: 'ws_0123abcd' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const baseURL = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening: (http:\/\/\S+\/api\/v1)/.exec(out);
        if (m && /for company biz_\w+:/.test(out)) resolve(m[1] as string);
      });
      child!.on('exit', (code) => reject(new Error(`simulator exited (${code}): ${out}`)));
    });
    const res = await fetch(`${baseURL}/disputes?company_id=${/for company (biz_\w+):/.exec(out)?.[1]}`, {
      headers: { authorization: 'Bearer demo_key' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(3);
    expect(out).toContain('ws_0123abcd');
  });
});
