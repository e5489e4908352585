/**
 * The simulated clock. Object timestamps come from it (so tests can back-date payments for the
 * 120-day rule or jump past deadlines); webhook signing uses real time because receivers check
 * `webhook-timestamp` against their own clock.
 */
export class SimClock {
  private offsetMs = 0;

  constructor(private readonly source: () => Date | number = () => Date.now()) {}

  nowMs(): number {
    const v = this.source();
    return (typeof v === 'number' ? v : v.getTime()) + this.offsetMs;
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(to: Date | string | number): void {
    const target = toMs(to);
    this.offsetMs += target - this.nowMs();
  }
}

export function toMs(v: Date | string | number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Date.parse(v);
  return v.getTime();
}

export function toIso(v: Date | string | number): string {
  return new Date(toMs(v)).toISOString();
}

export const DAY_MS = 24 * 60 * 60 * 1000;
