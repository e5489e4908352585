import { afterEach, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../../simulator/index.js';
import { collect, sdkFor, startSim } from './helpers.js';

describe('cursor pagination', () => {
  let sim: WhopSimulator;
  afterEach(() => sim.close());

  it('by default answers like a GraphQL connection: end_cursor on the last page too, then an empty page', async () => {
    sim = await startSim({ pagination: { defaultPageSize: 4 } });
    const client = sdkFor(sim);
    const company = sim.createCompany();
    const ids = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const p = sim.createPayment({ companyId: company.id, createdAt: new Date(Date.UTC(2025, 0, 1 + i)) });
      ids.add(sim.openDispute({ paymentId: p.id, createdAt: new Date(Date.UTC(2025, 0, 2 + i)) }).id);
    }
    sim.resetRequestLog();

    const all = await collect(client.disputes.list({ company_id: company.id }));
    expect(all.map((d) => d.id).sort()).toEqual([...ids].sort());
    // Newest first by default.
    const created = all.map((d) => d.created_at as string);
    expect([...created].sort().reverse()).toEqual(created);
    // 10 items / 4 per page = 3 pages, plus the empty page the SDK asks for because the last full
    // page still carries an end_cursor (the SDK stops on an empty page or a missing end_cursor).
    expect(sim.requestCount('GET /disputes')).toBe(4);
    expect(sim.requestLog.map((e) => new URLSearchParams(e.query).get('after'))).toEqual([
      null,
      expect.any(String),
      expect.any(String),
      expect.any(String),
    ]);

    const page = await client.disputes.list({ company_id: company.id, first: 6, direction: 'asc' });
    expect(page.data).toHaveLength(6);
    expect(page.page_info).toMatchObject({ end_cursor: expect.any(String) });
    expect(page.hasNextPage()).toBe(true);
    const last = await page.getNextPage();
    expect(last.data).toHaveLength(4);
    expect(last.page_info).toEqual({
      end_cursor: expect.any(String),
      start_cursor: expect.any(String),
      has_next_page: false,
      has_previous_page: true,
    });
    // The SDK reads only `data` and `page_info.end_cursor` (core/pagination.ts CursorPage).
    expect(last.hasNextPage()).toBe(true);
    const empty = await last.getNextPage();
    expect(empty.data).toEqual([]);
    expect(empty.page_info).toEqual({
      end_cursor: null,
      start_cursor: null,
      has_next_page: false,
      has_previous_page: true,
    });
    expect(empty.hasNextPage()).toBe(false);
  });

  it('can leave end_cursor null on the last page (endCursorOnLastPage: false): no extra request', async () => {
    sim = await startSim({ pagination: { defaultPageSize: 4, endCursorOnLastPage: false } });
    const client = sdkFor(sim);
    const company = sim.createCompany();
    for (let i = 0; i < 10; i++)
      sim.openDispute({ paymentId: sim.createPayment({ companyId: company.id }).id });
    sim.resetRequestLog();
    expect(await collect(client.disputes.list({ company_id: company.id }))).toHaveLength(10);
    expect(sim.requestCount('GET /disputes')).toBe(3);
    const last = await (
      await (await client.disputes.list({ company_id: company.id })).getNextPage()
    ).getNextPage();
    expect(last.page_info).toMatchObject({ end_cursor: null, has_next_page: false });
    expect(last.hasNextPage()).toBe(false);
  });

  it('keeps cursors stable when items are created while paging', async () => {
    sim = await startSim({ pagination: { defaultPageSize: 2 } });
    const client = sdkFor(sim);
    const company = sim.createCompany();
    for (let i = 0; i < 4; i++)
      sim.openDispute({ paymentId: sim.createPayment({ companyId: company.id }).id });
    const first = await client.disputes.list({ company_id: company.id, direction: 'asc' });
    sim.openDispute({ paymentId: sim.createPayment({ companyId: company.id }).id });
    const second = await first.getNextPage();
    expect(second.data.map((d) => d.id)).not.toContain(first.data[0]!.id);
    expect(second.data).toHaveLength(2);
  });

  it('filters by created_after / created_before and case statuses[]', async () => {
    sim = await startSim();
    const client = sdkFor(sim);
    const company = sim.createCompany();
    const mk = (day: number) =>
      sim.openCase({
        paymentId: sim.createPayment({ companyId: company.id, createdAt: new Date(Date.UTC(2030, 0, day)) })
          .id,
        createdAt: new Date(Date.UTC(2030, 0, day, 12)),
      });
    sim.setClock(new Date(Date.UTC(2030, 0, 20)));
    const a = mk(1);
    const b = mk(5);
    const c = mk(9);
    sim.decideCase(c.id, 'merchant_won');

    const after = await collect(
      client.resolutionCenterCases.list({
        company_id: company.id,
        created_after: '2030-01-03T00:00:00.000Z',
      }),
    );
    expect(after.map((x) => x.id).sort()).toEqual([b.id, c.id].sort());
    const before = await collect(
      client.resolutionCenterCases.list({
        company_id: company.id,
        created_before: '2030-01-05T12:00:00.000Z',
      }),
    );
    expect(before.map((x) => x.id)).toEqual([a.id]);

    sim.resetRequestLog();
    const open = await collect(
      client.resolutionCenterCases.list({
        company_id: company.id,
        statuses: ['merchant_response_needed', 'merchant_info_needed'],
      }),
    );
    expect(open.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect(decodeURIComponent(sim.requestLog[0]!.query)).toContain(
      'statuses[]=merchant_response_needed&statuses[]=merchant_info_needed',
    );
  });

  it('clamps first to the max page size and rejects a bad cursor', async () => {
    sim = await startSim({ pagination: { maxPageSize: 3 } });
    const client = sdkFor(sim);
    const company = sim.createCompany();
    for (let i = 0; i < 5; i++) sim.createPayment({ companyId: company.id });
    const page = await client.payments.list({ company_id: company.id, first: 50 });
    expect(page.data).toHaveLength(3);
    await expect(client.payments.list({ company_id: company.id, after: 'garbage' })).rejects.toMatchObject({
      status: 400,
    });
  });
});
