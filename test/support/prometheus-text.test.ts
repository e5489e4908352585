import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PrometheusTextError, parsePrometheusText, sampleValue } from './prometheus-text.js';

/** The spec's own example (exposition formats, "Text format example"), with its escapes. */
const SPEC_EXAMPLE = `# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# A histogram, which has a pretty complex representation in the text format:
# HELP http_request_duration_seconds A histogram of the request duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="0.1"} 33444
http_request_duration_seconds_bucket{le="0.2"} 100392
http_request_duration_seconds_bucket{le="0.5"} 129389
http_request_duration_seconds_bucket{le="1"} 133988
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320

# Finally a summary, which has a complex representation, too:
# HELP rpc_duration_seconds A summary of the RPC duration in seconds.
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.01"} 3102
rpc_duration_seconds{quantile="0.05"} 3272
rpc_duration_seconds{quantile="0.5"} 4773
rpc_duration_seconds{quantile="0.9"} 9001
rpc_duration_seconds{quantile="0.99"} 76656
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
`;

describe('parsePrometheusText', () => {
  it('reads the format spec’s example: types, help, labels with escapes, timestamps, +Inf', () => {
    const f = parsePrometheusText(SPEC_EXAMPLE);
    expect(f.get('http_requests_total')).toMatchObject({
      type: 'counter',
      help: 'The total number of HTTP requests.',
    });
    expect(sampleValue(f, 'http_requests_total', { method: 'post', code: '400' })).toBe(3);
    expect(f.get('http_requests_total')!.samples[0]!.timestampMs).toBe(1395066363000);
    expect(
      sampleValue(f, 'msdos_file_access_time_seconds', {
        path: 'C:\\DIR\\FILE.TXT',
        error: 'Cannot find file:\n"FILE.TXT"',
      }),
    ).toBe(1.458255915e9);
    expect(sampleValue(f, 'something_weird', { problem: 'division by zero' })).toBe(Number.POSITIVE_INFINITY);
    expect(f.get('http_request_duration_seconds')!.samples).toHaveLength(8);
    expect(sampleValue(f, 'rpc_duration_seconds_sum')).toBe(1.7560473e7);
    expect(f.get('metric_without_timestamp_and_labels')!.type).toBe('untyped');
  });

  it('reads what prom-client writes for every metric type', async () => {
    const registry = new Registry();
    new Counter({
      name: 'c_total',
      help: 'a "counter" with \\ and\nnewline',
      labelNames: ['l'],
      registers: [registry],
    }).inc({ l: 'a"b\\c\nd' }, 2);
    new Gauge({ name: 'g', help: 'g', registers: [registry] }).set(-1.5);
    new Histogram({
      name: 'h_seconds',
      help: 'h',
      labelNames: ['q'],
      buckets: [0.1, 1],
      registers: [registry],
    }).observe({ q: 'x' }, 0.5);
    new Summary({ name: 's', help: 's', registers: [registry] }).observe(3);
    const f = parsePrometheusText(await registry.metrics());
    expect(f.get('c_total')!.help).toBe('a "counter" with \\ and\nnewline');
    expect(sampleValue(f, 'c_total', { l: 'a"b\\c\nd' })).toBe(2);
    expect(sampleValue(f, 'g')).toBe(-1.5);
    expect(sampleValue(f, 'h_seconds_bucket', { q: 'x', le: '0.1' })).toBe(0);
    expect(sampleValue(f, 'h_seconds_bucket', { q: 'x', le: '1' })).toBe(1);
    expect(sampleValue(f, 'h_seconds_count', { q: 'x' })).toBe(1);
    expect(f.get('s')!.type).toBe('summary');
  });

  it.each([
    ['no final line feed', 'a 1'],
    ['a bad metric name', '1abc 1\n'],
    ['a value that is not a float', 'a one\n'],
    ['a hexadecimal value', 'a 0x10\n'],
    ['a signed NaN', 'a -NaN\n'],
    ['no value', 'a{l="v"}\n'],
    ['a bad timestamp', 'a 1 1.5\n'],
    ['an unterminated label value', 'a{l="v} 1\n'],
    ['an unknown escape', 'a{l="\\t"} 1\n'],
    ['an unquoted label value', 'a{l=v} 1\n'],
    ['a label twice', 'a{l="1",l="2"} 1\n'],
    ['a reserved label name', 'a{__name__="x"} 1\n'],
    ['the same series twice', 'a{l="1"} 1\na{l="1"} 2\n'],
    ['a second TYPE', '# TYPE a gauge\n# TYPE a gauge\na 1\n'],
    ['a second HELP', '# HELP a x\n# HELP a y\na 1\n'],
    ['TYPE after the samples', 'a 1\n# TYPE a gauge\n'],
    ['an unknown type', '# TYPE a meter\na 1\n'],
    ['interleaved families', 'a 1\nb 1\na{l="x"} 2\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    [
      'a histogram whose +Inf differs from _count',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n',
    ],
    [
      'buckets that decrease',
      '# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n',
    ],
    ['a bucket without le', '# TYPE h histogram\nh_bucket 1\nh_sum 1\nh_count 1\n'],
    ['a histogram without _sum', '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\n'],
    ['a foreign series in a histogram', '# TYPE h histogram\nh 1\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow(PrometheusTextError);
  });

  it('reads NaN and Inf case-insensitively, as Go’s ParseFloat does', () => {
    const f = parsePrometheusText('a Nan\nb -infinity\nc +INF\n');
    expect(sampleValue(f, 'a')).toBeNaN();
    expect(sampleValue(f, 'b')).toBe(Number.NEGATIVE_INFINITY);
    expect(sampleValue(f, 'c')).toBe(Number.POSITIVE_INFINITY);
  });

  it('accepts a trailing comma in a label set, blank lines and plain comments', () => {
    const f = parsePrometheusText('# just a note\n\na{l="v",} 1\n');
    expect(sampleValue(f, 'a', { l: 'v' })).toBe(1);
  });
});
