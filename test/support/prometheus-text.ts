/**
 * A strict reader of Prometheus's text exposition format (version 0.0.4, as `GET /metrics` serves it:
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), for tests. It throws
 * `PrometheusTextError` (with the line number) on anything the format does not allow, rather than
 * skipping it as a lenient scraper might:
 *
 * - a line is blank, a comment (`# …`), `# HELP <name> <text>`, `# TYPE <name> <type>` or a sample
 *   `<name>[{<label>="<value>",…}] <value> [<timestamp ms>]`;
 * - names match `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*` (not `__`-prefixed);
 *   label values escape only `\\`, `\"` and `\n`; values are Go floats (`NaN`, `+Inf`, `-Inf` too);
 * - at most one HELP and one TYPE per family, TYPE before the family's first sample, a family's lines
 *   together (not interleaved with another's), no series twice, no label twice in one series;
 * - histograms: `_bucket` series with an `le` label, cumulative (never decreasing), ending at
 *   `le="+Inf"` equal to `_count`, and a `_sum`; summaries: `quantile` labels, `_sum` and `_count`.
 *
 * The text must end with a line feed.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export class PrometheusTextError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'PrometheusTextError';
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/**
 * A value as Prometheus reads it (Go's `strconv.ParseFloat`): decimal or exponent notation, `NaN` and
 * the signed `Inf`/`Infinity`, those case-insensitively (prom-client writes `Nan`).
 */
const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?)$|^nan$/i;
const TIMESTAMP = /^-?\d+$/;

/** Parses the whole text into families, keyed by family name, in order of appearance. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new PrometheusTextError(0, 'must end with a line feed');
  const families = new Map<string, MetricFamily>();
  const finished = new Set<string>();
  const seenSeries = new Set<string>();
  let current: string | null = null;

  const family = (name: string, lineNo: number): MetricFamily => {
    if (current !== name) {
      if (finished.has(name)) throw new PrometheusTextError(lineNo, `lines of ${name} are not together`);
      if (current) finished.add(current);
      current = name;
    }
    let f = families.get(name);
    if (!f) {
      f = { name, type: 'untyped', samples: [] };
      families.set(name, f);
    }
    return f;
  };

  const declared = { help: new Set<string>(), type: new Set<string>() };
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.replace(/^[ \t]+/, '');
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!m) return; // an ordinary comment
      const [, keyword, name, rest = ''] = m as unknown as [string, 'HELP' | 'TYPE', string, string?];
      if (!METRIC_NAME.test(name)) throw new PrometheusTextError(lineNo, `bad metric name "${name}"`);
      const f = family(name, lineNo);
      if (keyword === 'HELP') {
        if (declared.help.has(name)) throw new PrometheusTextError(lineNo, `second HELP for ${name}`);
        declared.help.add(name);
        f.help = unescapeHelp(rest, lineNo);
      } else {
        if (declared.type.has(name)) throw new PrometheusTextError(lineNo, `second TYPE for ${name}`);
        if (f.samples.length > 0) throw new PrometheusTextError(lineNo, `TYPE for ${name} after its samples`);
        if (!TYPES.has(rest.trim())) throw new PrometheusTextError(lineNo, `unknown type "${rest}"`);
        declared.type.add(name);
        f.type = rest.trim() as MetricType;
      }
      return;
    }
    const sample = parseSample(line, lineNo);
    const f = family(familyOf(sample.name, families), lineNo);
    checkSampleName(f, sample.name, lineNo);
    const key = `${sample.name}{${Object.entries(sample.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',')}}`;
    if (seenSeries.has(key)) throw new PrometheusTextError(lineNo, `series ${key} appears twice`);
    seenSeries.add(key);
    f.samples.push(sample);
  });
  for (const f of families.values()) {
    if (f.type === 'histogram') checkHistogram(f);
    if (f.type === 'summary') checkSummary(f);
  }
  return families;
}

/** The family a sample belongs to: a histogram's or summary's suffixed series belong to their base name. */
function familyOf(sampleName: string, families: Map<string, MetricFamily>): string {
  const m = /^(.*)_(bucket|sum|count)$/.exec(sampleName);
  if (m) {
    const base = families.get(m[1]!);
    if (base && (base.type === 'histogram' || (base.type === 'summary' && m[2] !== 'bucket'))) return m[1]!;
  }
  return sampleName;
}

function checkSampleName(f: MetricFamily, name: string, lineNo: number) {
  if (f.type !== 'histogram' && f.type !== 'summary') return;
  const allowed =
    f.type === 'histogram'
      ? [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`]
      : [f.name, `${f.name}_sum`, `${f.name}_count`];
  if (!allowed.includes(name))
    throw new PrometheusTextError(lineNo, `${name} is not a series of ${f.type} ${f.name}`);
}

function parseSample(line: string, lineNo: number): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new PrometheusTextError(lineNo, `not a sample: "${line}"`);
  const name = nameMatch[0];
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      pos = skipBlanks(line, pos);
      if (line[pos] === '}') {
        pos++;
        break;
      }
      const ln = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(pos));
      if (!ln) throw new PrometheusTextError(lineNo, `bad label name at column ${pos + 1}`);
      const labelName = ln[0];
      if (labelName.startsWith('__'))
        throw new PrometheusTextError(lineNo, `reserved label name ${labelName}`);
      if (labelName in labels) throw new PrometheusTextError(lineNo, `label ${labelName} twice`);
      pos = skipBlanks(line, pos + labelName.length);
      if (line[pos] !== '=') throw new PrometheusTextError(lineNo, `expected = after ${labelName}`);
      pos = skipBlanks(line, pos + 1);
      if (line[pos] !== '"') throw new PrometheusTextError(lineNo, `expected " for ${labelName}'s value`);
      const value = readQuoted(line, pos + 1, lineNo);
      labels[labelName] = value.text;
      pos = skipBlanks(line, value.end);
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') throw new PrometheusTextError(lineNo, `expected , or } after ${labelName}`);
    }
  }
  const rest = line.slice(pos);
  const m = /^[ \t]+(\S+)(?:[ \t]+(\S+))?[ \t]*$/.exec(rest);
  if (!m) throw new PrometheusTextError(lineNo, `expected a value after ${name}`);
  if (!FLOAT.test(m[1]!)) throw new PrometheusTextError(lineNo, `bad value "${m[1]}"`);
  const sample: Sample = { name, labels, value: parseFloatGo(m[1]!) };
  if (m[2] !== undefined) {
    if (!TIMESTAMP.test(m[2])) throw new PrometheusTextError(lineNo, `bad timestamp "${m[2]}"`);
    sample.timestampMs = Number(m[2]);
  }
  return sample;
}

function parseFloatGo(s: string): number {
  if (/^nan$/i.test(s)) return Number.NaN;
  if (/^\+?inf(inity)?$/i.test(s)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(s)) return Number.NEGATIVE_INFINITY;
  return Number(s);
}

function skipBlanks(line: string, pos: number): number {
  while (line[pos] === ' ' || line[pos] === '\t') pos++;
  return pos;
}

/** A label value from just after its opening quote: `\\`, `\"`, `\n` are its only escapes. */
function readQuoted(line: string, start: number, lineNo: number): { text: string; end: number } {
  let text = '';
  for (let i = start; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') return { text, end: i + 1 };
    if (ch === '\\') {
      const next = line[++i];
      if (next === '\\') text += '\\';
      else if (next === '"') text += '"';
      else if (next === 'n') text += '\n';
      else throw new PrometheusTextError(lineNo, `bad escape \\${next ?? ''} in a label value`);
    } else text += ch;
  }
  throw new PrometheusTextError(lineNo, 'unterminated label value');
}

/** HELP text: `\\` and `\n` are its only escapes. */
function unescapeHelp(raw: string, lineNo: number): string {
  return raw.replace(/\\(.?)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    throw new PrometheusTextError(lineNo, `bad escape \\${c} in HELP`);
  });
}

const seriesKey = (labels: Record<string, string>, drop: string) =>
  JSON.stringify(
    Object.entries(labels)
      .filter(([k]) => k !== drop)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

function checkHistogram(f: MetricFamily) {
  const groups = new Map<
    string,
    { buckets: { le: number; value: number }[]; sum?: number; count?: number }
  >();
  const group = (labels: Record<string, string>, drop: string) => {
    const k = seriesKey(labels, drop);
    let g = groups.get(k);
    if (!g) {
      g = { buckets: [] };
      groups.set(k, g);
    }
    return g;
  };
  for (const s of f.samples) {
    if (s.name.endsWith('_bucket')) {
      if (s.labels.le === undefined) throw new PrometheusTextError(0, `${f.name}: a bucket without le`);
      if (!FLOAT.test(s.labels.le)) throw new PrometheusTextError(0, `${f.name}: bad le "${s.labels.le}"`);
      group(s.labels, 'le').buckets.push({ le: parseFloatGo(s.labels.le), value: s.value });
    } else if (s.name.endsWith('_sum')) group(s.labels, '').sum = s.value;
    else group(s.labels, '').count = s.value;
  }
  for (const [labels, g] of groups) {
    const where = `${f.name}${labels}`;
    if (g.buckets.length === 0) throw new PrometheusTextError(0, `${where}: no buckets`);
    for (let i = 1; i < g.buckets.length; i++) {
      if (g.buckets[i]!.le <= g.buckets[i - 1]!.le)
        throw new PrometheusTextError(0, `${where}: le not increasing`);
      if (g.buckets[i]!.value < g.buckets[i - 1]!.value)
        throw new PrometheusTextError(0, `${where}: buckets not cumulative`);
    }
    const last = g.buckets.at(-1)!;
    if (last.le !== Number.POSITIVE_INFINITY)
      throw new PrometheusTextError(0, `${where}: no le="+Inf" bucket`);
    if (g.count === undefined || g.sum === undefined)
      throw new PrometheusTextError(0, `${where}: no _count or _sum`);
    if (g.count !== last.value)
      throw new PrometheusTextError(0, `${where}: _count differs from the +Inf bucket`);
  }
}

function checkSummary(f: MetricFamily) {
  for (const s of f.samples) {
    if (s.name === f.name && s.labels.quantile === undefined)
      throw new PrometheusTextError(0, `${f.name}: a quantile sample without quantile`);
  }
}

/** The value of one series (`name` with exactly `labels`), or undefined when there is none. */
export function sampleValue(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name !== name) continue;
      const keys = Object.keys(s.labels);
      if (keys.length === Object.keys(labels).length && keys.every((k) => s.labels[k] === labels[k]))
        return s.value;
    }
  }
  return undefined;
}
