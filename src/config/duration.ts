const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export type DurationUnit = keyof typeof UNITS;

const ALL_UNITS: readonly DurationUnit[] = ['ms', 's', 'm', 'h', 'd'];

/**
 * `90s`, `10m`, `24h`, `7d`, `250ms` or plain milliseconds → milliseconds (rounded); undefined if
 * unreadable. Units are lower-case (`M` could be read as months). `units` narrows what is accepted: a
 * bare number is milliseconds, so without `ms` among them a unit is required.
 */
export function parseDuration(text: string, units: readonly DurationUnit[] = ALL_UNITS): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'ms') as DurationUnit;
  if (!units.includes(unit)) return undefined;
  const value = Number(m[1]) * UNITS[unit];
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

// Seconds are for trying reminders out (and for tests); real deadlines are days away. No milliseconds,
// so a unit is required: a bare "72" is far more likely a forgotten `h` than 72 ms.
const OFFSET_UNITS: readonly DurationUnit[] = ['s', 'm', 'h', 'd'];

/**
 * `REMINDER_OFFSETS`: `"72h,24h,6h"` → durations before a due date in milliseconds, largest first,
 * duplicates dropped; `""` → none (reminders off). Each entry is a duration in s, m, h or d, read by
 * `parseDuration` (units in either case: `72H` has always been accepted here). Throws an Error whose
 * message names the bad entry.
 */
export function parseReminderOffsets(text: string): number[] {
  if (text.trim() === '') return [];
  const out = new Set<number>();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    const ms = parseDuration(entry.toLowerCase(), OFFSET_UNITS);
    if (ms === undefined) {
      throw new Error(
        entry === ''
          ? `empty entry in "${text}" (write offsets like 72h,24h,6h)`
          : `"${entry}" is not an offset like 72h, 24h, 90m or 7d`,
      );
    }
    if (!(ms > 0)) throw new Error(`"${entry}" must be more than zero`);
    out.add(ms);
  }
  return [...out].sort((a, b) => b - a);
}
