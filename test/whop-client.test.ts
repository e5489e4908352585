import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../simulator/index.js';
import { createWhopClient, WHOP_API_VERSION_DATE } from '../src/whop/whop-client.js';
import { startSim } from './simulator/helpers.js';

/** Sets environment variables for one test and puts the old values back after it. */
const saved = new Map<string, string | undefined>();
function setEnv(name: string, value: string) {
  if (!saved.has(name)) saved.set(name, process.env[name]);
  process.env[name] = value;
}
afterEach(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  saved.clear();
});

describe('Api-Version-Date is pinned in code', () => {
  let sim: WhopSimulator;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  /** The Api-Version-Date the simulator saw on each request the client made. */
  async function sentVersions(): Promise<(string | null)[]> {
    const whop = createWhopClient({ apiKey: sim.apiKey, baseURL: sim.baseURL });
    const payment = sim.createPayment();
    const before = sim.requestLog.length;
    await whop.payments.retrieve(payment.id);
    await whop.disputes.list({ company_id: payment.company!.id, first: 1 });
    return sim.requestLog.slice(before).map((r) => r.apiVersionDate);
  }

  it('is the date SDK 0.0.42 was generated for', () => {
    // An SDK upgrade that moves its default must move the pin with it, on purpose.
    const client = readFileSync(join(process.cwd(), 'node_modules/@whop/sdk/src/client.ts'), 'utf8');
    const sdkDefault = /readEnv\('WHOP_API_VERSION'\) \?\? '([^']+)'/.exec(client)?.[1];
    expect(sdkDefault).toBe(WHOP_API_VERSION_DATE);
  });

  it('goes out on every request', async () => {
    expect(await sentVersions()).toEqual([WHOP_API_VERSION_DATE, WHOP_API_VERSION_DATE]);
  });

  it('an operator’s WHOP_API_VERSION does not change it', async () => {
    setEnv('WHOP_API_VERSION', '2099-01-01');
    expect(await sentVersions()).toEqual([WHOP_API_VERSION_DATE, WHOP_API_VERSION_DATE]);
  });

  it('nor does a WHOP_CUSTOM_HEADERS line naming it', async () => {
    setEnv('WHOP_CUSTOM_HEADERS', 'Api-Version-Date: 2099-01-01\nX-Other: 1');
    expect(await sentVersions()).toEqual([WHOP_API_VERSION_DATE, WHOP_API_VERSION_DATE]);
  });
});
