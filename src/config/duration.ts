const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `10m`, `24h`, `7d`, `250ms` or plain milliseconds → milliseconds; undefined if unreadable. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) * UNITS[m[2] ?? 'ms']!;
  return Number.isFinite(value) ? Math.round(value) : undefined;
}
