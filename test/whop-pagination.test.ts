import type { Whop } from '@whop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../simulator/index.js';
import { listItems } from '../src/whop/pagination.js';
import { sdkFor, startSim } from './simulator/helpers.js';

// The simulator's pages are GraphQL-style connections: the last page still carries an end_cursor.
describe('listItems against the simulator', () => {
  let sim: WhopSimulator;
  let client: Whop;
  beforeAll(async () => {
    sim = await startSim();
    client = sdkFor(sim);
  });
  afterAll(() => sim.close());

  it('reads every item and asks for no empty page after the last one', async () => {
    const companyId = sim.createCompany().id;
    for (let i = 0; i < 5; i++) sim.createPayment({ companyId });
    const before = sim.requestLog.length;
    const ids: string[] = [];
    for await (const p of listItems(client.payments.list({ company_id: companyId, first: 2 })))
      ids.push(p.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(sim.requestLog.length - before).toBe(3);
  });

  it('the SDK’s own iteration makes one more request (why listItems exists)', async () => {
    const companyId = sim.createCompany().id;
    for (let i = 0; i < 4; i++) sim.createPayment({ companyId });
    const before = sim.requestLog.length;
    for await (const _ of client.payments.list({ company_id: companyId, first: 2 })) void _;
    expect(sim.requestLog.length - before).toBe(3);
  });
});
