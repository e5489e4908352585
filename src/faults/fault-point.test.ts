import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** A process that reaches the `sweep.after_reconcile` fault point, then prints `alive`. */
function reach(env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      "import('./src/faults/fault-point.ts').then((m) => { m.faultPoint('sweep.after_reconcile'); console.log('alive'); })",
    ],
    { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 },
  );
}

describe('faultPoint', () => {
  it('kills the process (SIGKILL, nothing after it runs) when armed with its name', () => {
    const run = reach({ DA_FAULT_POINT: 'evidence.after_state_write, sweep.after_reconcile' });
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).not.toContain('alive');
  });

  it('is a no-op when unset or armed with other points', () => {
    for (const env of [{}, { DA_FAULT_POINT: 'evidence.after_state_write' }] as Record<string, string>[]) {
      const run = reach(env);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('alive');
    }
  });
});
