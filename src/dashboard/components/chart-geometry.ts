/**
 * Geometry of the dashboard's horizontal bar charts, pure so it is tested without a browser: each row is
 * a label line above a bar, which reads on a phone as well as on a desktop. Units are SVG user units in a
 * viewBox `width` wide.
 */

export interface BarInput {
  label: string;
  value: number;
  /** The value as the chart writes it ("62%", "$1,240.00"). */
  display: string;
  /** A part of `value` drawn darker inside the bar (e.g. inquiries that escalated). */
  part?: number;
  /** Drawn in the warning colour (over a limit). */
  over?: boolean;
}

export interface Bar {
  label: string;
  display: string;
  labelY: number;
  x: number;
  y: number;
  width: number;
  partWidth: number | null;
  height: number;
  over: boolean;
}

export interface BarLayout {
  width: number;
  height: number;
  bars: Bar[];
  /** Where the reference value falls (x), when one is given and fits. */
  refX: number | null;
  /** The value at the right edge of the plot. */
  max: number;
}

export interface BarLayoutOptions {
  width?: number;
  barHeight?: number;
  /** Space above each bar for its label. */
  labelHeight?: number;
  gap?: number;
  /** Room on the right for the value text. */
  valueWidth?: number;
  /** The scale's maximum; defaults to a round number at or above the largest value (or the reference). */
  max?: number;
  reference?: number;
  /** Labels longer than this are cut with an ellipsis (the table beside the chart has them in full). */
  maxLabel?: number;
}

/** The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `v` (1 for nothing to show). */
export function niceMax(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= v - 1e-12 * exp) return m * exp;
  return 10 * exp;
}

export function cutLabel(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

export function barLayout(data: readonly BarInput[], o: BarLayoutOptions = {}): BarLayout {
  const width = o.width ?? 480;
  const barHeight = o.barHeight ?? 16;
  const labelHeight = o.labelHeight ?? 18;
  const gap = o.gap ?? 10;
  const valueWidth = o.valueWidth ?? 90;
  const plot = width - valueWidth;
  const largest = Math.max(0, ...data.map((d) => (Number.isFinite(d.value) ? d.value : 0)), o.reference ?? 0);
  const max = o.max ?? niceMax(largest);
  const scale = (v: number) => (Number.isFinite(v) && v > 0 ? Math.min(plot, (v / max) * plot) : 0);
  const rowHeight = labelHeight + barHeight + gap;
  const bars = data.map((d, i) => {
    const top = i * rowHeight;
    const w = scale(d.value);
    return {
      label: cutLabel(d.label, o.maxLabel ?? 48),
      display: d.display,
      labelY: top + labelHeight - 5,
      x: 0,
      y: top + labelHeight,
      width: w,
      partWidth: d.part === undefined ? null : Math.min(w, scale(d.part)),
      height: barHeight,
      over: d.over ?? false,
    };
  });
  const refX = o.reference !== undefined && o.reference <= max ? scale(o.reference) : null;
  return { width, height: Math.max(rowHeight, data.length * rowHeight), bars, refX, max };
}
