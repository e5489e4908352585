import { describe, expect, it } from 'vitest';
import { bodyError, opts } from '../../test/support/access-event-input.js';
import { CsvAccessEventReader, parseCsv } from './csv-access-event-reader.js';
import { parseAccessEvents } from './parse-access-events.js';

describe('parseCsv', () => {
  const header = 'user_id,email,occurred_at,action,ip,user_agent,metadata';

  it('reads a header row and records, empty cells absent, metadata as a JSON column', () => {
    const csv = [
      header,
      'user_1,,2026-05-31T10:00:00Z,login,203.0.113.7,curl/8.0,',
      ',Ann@Example.com,2026-05-31T11:00:00+01:00,download,,,"{""file"":""guide.pdf"",""bytes"":1024}"',
    ].join('\n');
    const r = parseCsv(csv, opts);
    expect(r.rejected).toEqual([]);
    expect(r.accepted.map(({ eventId: _, ...e }) => e)).toEqual([
      {
        userId: 'user_1',
        occurredAt: '2026-05-31T10:00:00.000Z',
        action: 'login',
        ip: '203.0.113.7',
        userAgent: 'curl/8.0',
      },
      {
        email: 'ann@example.com',
        occurredAt: '2026-05-31T10:00:00.000Z',
        action: 'download',
        metadata: { file: 'guide.pdf', bytes: 1024 },
      },
    ]);
    // The same event as JSON and as CSV derives the same id.
    expect(r.accepted[0]!.eventId).toBe(
      parseAccessEvents(
        JSON.stringify({
          user_id: 'user_1',
          occurred_at: '2026-05-31T10:00:00Z',
          action: 'login',
          ip: '203.0.113.7',
          user_agent: 'curl/8.0',
        }),
        opts,
      ).accepted[0]!.eventId,
    );
  });

  it('follows RFC 4180 quoting: commas, doubled quotes and line breaks inside quoted fields', () => {
    const csv = [
      'user_id,occurred_at,action,user_agent',
      'user_1,2026-05-31T10:00:00Z,login,"Mozilla/5.0 (X11, Linux) ""quoted"""',
      'user_2,2026-05-31T10:00:00Z,login,"first line',
      'second line, with a comma',
      '',
      'third after a blank line"',
      '"user_3","2026-05-31T10:00:00Z","login",""',
      'user_4,not-a-date,login,x',
    ].join('\r\n');
    const r = parseCsv(csv, opts);
    expect(r.accepted.map((e) => [e.userId, e.userAgent])).toEqual([
      ['user_1', 'Mozilla/5.0 (X11, Linux) "quoted"'],
      ['user_2', 'first line\nsecond line, with a comma\n\nthird after a blank line'],
      ['user_3', undefined],
    ]);
    // Line numbers count physical lines, so the record after a multi-line one is still found in the file.
    expect(r.rejected).toEqual([
      { line: 8, reason: expect.stringMatching(/^occurred_at: must be ISO 8601/) },
    ]);
  });

  it('refuses a malformed record by its first line and keeps reading', () => {
    const csv = [
      'user_id,occurred_at,action,metadata',
      'user_1,2026-05-31T10:00:00Z,login',
      'user_2,2026-05-31T10:00:00Z,say "hi",',
      'user_3,2026-05-31T10:00:00Z,"login"x,',
      'user_4,2026-05-31T10:00:00Z,login,{not json}',
      'user_5,2026-05-31T10:00:00Z,login,"[1,2]"',
      '',
      'user_6,2026-05-31T10:00:00Z,login,',
      'user_7,2026-05-31T10:00:00Z,login,"{""a"":',
      '1}"',
      'user_8,2026-05-31T10:00:00Z,"never closed,',
      'user_9,2026-05-31T10:00:00Z,login,',
    ].join('\n');
    const r = parseCsv(csv, opts);
    expect(r.accepted.map((e) => [e.userId, e.metadata])).toEqual([
      ['user_6', undefined],
      ['user_7', { a: 1 }],
    ]);
    expect(r.rejected).toEqual([
      { line: 2, reason: 'has 3 fields; the header has 4' },
      { line: 3, reason: expect.stringMatching(/^a quote inside an unquoted field/) },
      { line: 4, reason: expect.stringMatching(/^text after a closing quote/) },
      { line: 5, reason: 'metadata: is not valid JSON' },
      { line: 6, reason: 'metadata: must be a JSON object' },
      { line: 11, reason: 'a quoted field is never closed' },
    ]);
  });

  it.each([
    [
      'an unknown column',
      'user_id,occured_at,action',
      /^unknown column "occured_at" in the header \(did you mean "occurred_at"\?\)/,
    ],
    ['no occurred_at column', 'user_id,action', /^the header has no "occurred_at" column$/],
    ['no action column', 'user_id,occurred_at', /^the header has no "action" column$/],
    ['no identifier column', 'occurred_at,action,ip', /^the header needs at least one of the user_id/],
    ['a column twice', 'user_id,occurred_at,action,user_id', /^column "user_id" appears twice/],
  ])('refuses a header with %s (invalid_csv)', (_label, headerRow, message) => {
    const err = bodyError(() => parseCsv(`${headerRow}\nuser_1,2026-05-31T10:00:00Z,login\n`, opts));
    expect(err.code).toBe('invalid_csv');
    expect(err.message).toMatch(message);
  });

  it('takes a header with a byte order mark and spaces around names; a header alone is no events', () => {
    expect(parseCsv('\uFEFF user_id , occurred_at,action\r\n', opts)).toEqual({ accepted: [], rejected: [] });
    expect(
      parseCsv('\uFEFFuser_id,occurred_at,action\nuser_1,2026-05-31T10:00:00Z,x', opts).accepted,
    ).toHaveLength(1);
    expect(parseCsv('', opts)).toEqual({ accepted: [], rejected: [] });
  });

  it('streams: the reader takes one line at a time and says where each record started', () => {
    const reader = new CsvAccessEventReader(opts);
    expect(reader.push('user_id,occurred_at,action,user_agent', 1)).toEqual({ accepted: [], rejected: [] });
    expect(reader.push('user_1,2026-05-31T10:00:00Z,login,"two', 2).accepted).toEqual([]);
    const done = reader.push('lines"', 3);
    expect(done.accepted.map((e) => e.userAgent)).toEqual(['two\nlines']);
    expect(reader.recordLine).toBe(2);
    expect(reader.end()).toEqual({ accepted: [], rejected: [] });
  });
});
