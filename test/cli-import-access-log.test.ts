import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessEventStore } from '../src/access-events/access-event-store.js';
import { runCli as cli, messageLines, type CliRun as Run } from './support/cli.js';
import { startTestRedis } from './support/redis-server.js';
import { testSecret } from './support/signed-webhook.js';

const USAGE = 'usage: npm run cli -- import-access-log FILE [--format jsonl|csv]';
const DAY = 86_400_000;

interface Report {
  accepted: number;
  duplicates: number;
  rejected: number;
  firstRejections: { line: number; reason: string }[];
}

const report = (run: Run) => {
  const lines = run.stdout.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  return JSON.parse(lines[0]!) as Report;
};

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let admin: Redis;
let store: AccessEventStore;
let dir: string;

const env = () => ({
  REDIS_URL: redis.url,
  WHOP_API_KEY: 'k',
  WHOP_WEBHOOK_SECRET: testSecret('cli import'),
});
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

beforeAll(async () => {
  redis = await startTestRedis();
  admin = new Redis(redis.url);
  store = new AccessEventStore(admin, { retentionDays: 540 });
  dir = mkdtempSync(join(tmpdir(), 'da-import-'));
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each run imports its own customers, so the runs go in parallel.
// Up to five CLI processes start at once (vitest's maxConcurrency): each loads the service's modules through
// tsx, seconds of CPU on a loaded 2-core machine, hence the longer timeout.
describe.concurrent('npm run cli -- import-access-log', { timeout: 120_000 }, () => {
  it('imports a JSONL file in batches, reports rejected lines, exits 1, and a re-run only finds duplicates', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 2_500; i++) {
      lines.push(
        JSON.stringify({
          user_id: `user_jsonl${i % 7}`,
          occurred_at: ago(DAY + i * 60_000),
          action: i % 2 ? 'lesson_viewed' : 'login',
          ip: `198.51.100.${i % 250}`,
        }),
      );
    }
    lines.splice(
      10,
      0,
      '',
      '{"user_id": "user_jsonl1", "occured_at": "2026-01-01T00:00:00Z", "action": "x"}',
    );
    lines.splice(1_500, 0, 'not json at all');
    // Numbers in the report are 1-based physical lines (the blank line counts).
    const path = file('events.jsonl', `${lines.join('\r\n')}\r\n`);

    const first = await cli(['import-access-log', path], env());
    expect(first.code, first.stderr).toBe(1);
    expect(report(first)).toEqual({
      accepted: 2_500,
      duplicates: 0,
      rejected: 2,
      firstRejections: [
        {
          line: 12,
          reason: expect.stringContaining('unknown field "occured_at" (did you mean "occurred_at"?)'),
        },
        { line: 1_501, reason: 'is not valid JSON' },
      ],
    });
    let stored = 0;
    for (let u = 0; u < 7; u++) stored += await store.countForCustomer({ userId: `user_jsonl${u}` });
    expect(stored).toBe(2_500);

    const second = await cli(['import-access-log', path], env());
    expect(second.code).toBe(1);
    expect(report(second)).toMatchObject({ accepted: 0, duplicates: 2_500, rejected: 2 });
  });

  it('imports a clean NDJSON file and exits 0; --format reads a file whatever its name', async () => {
    const events = [0, 1, 2].map((i) => ({
      email: 'Import@Example.com',
      occurred_at: ago((i + 1) * DAY),
      action: 'download',
      event_id: `ndjson_${i}`,
    }));
    const text = events.map((e) => JSON.stringify(e)).join('\n');
    const run = await cli(['import-access-log', file('clean.ndjson', text)], env());
    expect(run.code, run.stderr).toBe(0);
    expect(report(run)).toEqual({ accepted: 3, duplicates: 0, rejected: 0, firstRejections: [] });
    expect((await store.forCustomer({ email: 'import@example.com' })).map((e) => e.eventId)).toEqual([
      'ndjson_2',
      'ndjson_1',
      'ndjson_0',
    ]);
    const renamed = await cli(['import-access-log', file('export.txt', text), '--format', 'jsonl'], env());
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(report(renamed)).toMatchObject({ accepted: 0, duplicates: 3 });
  });

  it('imports CSV with RFC 4180 quoting, reporting records by the line they start on', async () => {
    const csv = [
      'user_id,occurred_at,action,user_agent,metadata',
      `user_csv1,${ago(3 * DAY)},login,"Mozilla/5.0 (X11; Linux) ""quoted""","{""plan"":""pro""}"`,
      `user_csv1,${ago(2 * DAY)},note,"two`,
      'lines, one field",',
      `user_csv1,not-a-date,login,,`,
      `user_csv1,${ago(DAY)},login,,{oops}`,
      `user_csv1,${ago(DAY / 2)},logout,,`,
    ].join('\r\n');
    const run = await cli(['import-access-log', file('events.CSV', csv)], env());
    expect(run.code, run.stderr).toBe(1);
    expect(report(run)).toEqual({
      accepted: 3,
      duplicates: 0,
      rejected: 2,
      firstRejections: [
        { line: 5, reason: expect.stringMatching(/^occurred_at: must be ISO 8601/) },
        { line: 6, reason: 'metadata: is not valid JSON' },
      ],
    });
    const events = await store.forCustomer({ userId: 'user_csv1' });
    expect(events.map((e) => [e.action, e.userAgent, e.metadata])).toEqual([
      ['login', 'Mozilla/5.0 (X11; Linux) "quoted"', { plan: 'pro' }],
      ['note', 'two\nlines, one field', undefined],
      ['logout', undefined, undefined],
    ]);
  });

  it('lists the first 20 rejections and counts them all', async () => {
    // One base time, a second apart: \`ago(DAY + i)\` read the clock per line, and on a slow machine the
    // clock moved as fast as i, so two lines had the same time (and the same derived id: duplicates).
    const base = Date.now() - DAY;
    const lines = Array.from({ length: 45 }, (_, i) =>
      i % 3 === 0
        ? JSON.stringify({
            user_id: 'user_many',
            occurred_at: new Date(base - i * 1000).toISOString(),
            action: 'ok',
          })
        : JSON.stringify({ user_id: 'user_many', action: 'no time' }),
    );
    const run = await cli(['import-access-log', file('many.jsonl', lines.join('\n'))], env());
    expect(run.code).toBe(1);
    const r = report(run);
    expect(r).toMatchObject({ accepted: 15, rejected: 30 });
    expect(r.firstRejections).toHaveLength(20);
    expect(r.firstRejections[0]).toEqual({ line: 2, reason: 'occurred_at: is required' });
  });

  it('exits 2 for a CSV header it cannot use, naming the column', async () => {
    const path = file('typo.csv', 'user_id,occured_at,action\nuser_1,2026-01-01T00:00:00Z,login\n');
    const run = await cli(['import-access-log', path], env());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(messageLines(run.stderr).at(-1)).toBe(
      `${path}: unknown column "occured_at" in the header (did you mean "occurred_at"?); columns are event_id, user_id, membership_id, email, occurred_at, action, ip, user_agent, device_id, session_id, metadata`,
    );
  });

  // Argument and file errors: exit 2 before touching Redis (nothing listens at the REDIS_URL given).
  const cases: [string, () => string[], RegExp, boolean][] = [
    ['no FILE', () => ['import-access-log'], /^import-access-log needs one FILE$/, true],
    ['two files', () => ['import-access-log', 'a.csv', 'b.csv'], /^import-access-log needs one FILE$/, true],
    [
      'a missing file',
      () => ['import-access-log', join(dir, 'nope.jsonl')],
      /^no such file: .*nope\.jsonl$/,
      false,
    ],
    ['a directory', () => ['import-access-log', `${dir}/`, '--format', 'csv'], /is not a file$/, false],
    [
      'an unknown extension',
      () => ['import-access-log', join(dir, 'events.log')],
      /^cannot tell the format of .*events\.log from its name/,
      false,
    ],
    [
      'an unknown --format',
      () => ['import-access-log', 'a.csv', '--format', 'xml'],
      /^--format: "xml" is not one of jsonl, ndjson, csv$/,
      false,
    ],
    ['an unknown option', () => ['import-access-log', 'a.csv', '--frobnicate'], /frobnicate/, true],
  ];
  it.each(cases)('%s exits 2', async (_label, args, message, withUsage) => {
    const run = await cli(args(), {
      REDIS_URL: 'redis://127.0.0.1:1',
      WHOP_API_KEY: 'k',
      WHOP_WEBHOOK_SECRET: testSecret('x'),
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    const lines = messageLines(run.stderr);
    expect(lines[0]).toMatch(message);
    expect(lines.slice(1)).toEqual(withUsage ? [USAGE] : []);
  });

  it('with Redis unreachable, exits 2 saying so', async () => {
    const path = file('unreachable.jsonl', '{}\n');
    const run = await cli(['import-access-log', path], {
      REDIS_URL: 'redis://127.0.0.1:1',
      WHOP_API_KEY: 'k',
      WHOP_WEBHOOK_SECRET: testSecret('x'),
    });
    expect(run.code).toBe(2);
    expect(messageLines(run.stderr).at(-1)).toMatch(/cannot reach Redis/);
  });
});
