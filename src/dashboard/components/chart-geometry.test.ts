import { describe, expect, it } from 'vitest';
import { BarChart } from './bar-chart.js';
import { barLayout, cutLabel, niceMax } from './chart-geometry.js';

describe('niceMax', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0.013, 0.02, 0.021, 3, 7, 10, 11, 240, 260].map(niceMax)).toEqual([
      0.02, 0.02, 0.025, 5, 10, 10, 20, 250, 500,
    ]);
  });

  it('is 1 when there is nothing to show', () => {
    expect([0, -3, Number.NaN, Number.POSITIVE_INFINITY].map(niceMax)).toEqual([1, 1, 1, 1]);
  });
});

describe('barLayout', () => {
  const data = [
    { label: 'Fraudulent', value: 0.5, display: '50%' },
    { label: 'Product Not Received', value: 1, display: '100%' },
    { label: 'Duplicate', value: 0, display: '0%' },
  ];

  it('scales bars to the plot, one row (label line, bar, gap) per value', () => {
    const l = barLayout(data, {
      width: 500,
      valueWidth: 100,
      barHeight: 16,
      labelHeight: 18,
      gap: 10,
      max: 1,
    });
    expect(l.bars.map((b) => b.width)).toEqual([200, 400, 0]);
    expect(l.bars.map((b) => b.y)).toEqual([18, 62, 106]);
    expect(l.bars.map((b) => b.labelY)).toEqual([13, 57, 101]);
    expect(l.height).toBe(3 * 44);
    expect(l.refX).toBeNull();
  });

  it('defaults the scale to a round number at or above the largest value, and never draws past the plot', () => {
    const l = barLayout([{ label: 'a', value: 7, display: '7' }], { width: 300, valueWidth: 100 });
    expect(l.max).toBe(10);
    expect(l.bars[0]!.width).toBeCloseTo(140);
    const capped = barLayout([{ label: 'a', value: 30, display: '30' }], {
      width: 300,
      valueWidth: 100,
      max: 10,
    });
    expect(capped.bars[0]!.width).toBe(200);
  });

  it('places a reference line (the 2 % line) and keeps it on the scale even when every value is below', () => {
    const l = barLayout([{ label: 'biz_1', value: 0.004, display: '0.4%' }], {
      width: 300,
      valueWidth: 100,
      reference: 0.02,
    });
    expect(l.max).toBe(0.02);
    expect(l.refX).toBe(200);
    expect(l.bars[0]!.width).toBeCloseTo(40);
  });

  it('draws a part of a bar (escalated of inquiries) within the bar', () => {
    const l = barLayout([{ label: 'm', value: 10, part: 4, display: '4 of 10' }], {
      width: 300,
      valueWidth: 100,
      max: 10,
    });
    expect(l.bars[0]!.partWidth).toBeCloseTo(80);
  });

  it('treats a negative or non-finite value as an empty bar', () => {
    const l = barLayout([
      { label: 'x', value: Number.NaN, display: '?' },
      { label: 'y', value: -1, display: '-1' },
    ]);
    expect(l.bars.map((b) => b.width)).toEqual([0, 0]);
  });
});

describe('cutLabel', () => {
  it('keeps short labels and ends long ones with an ellipsis within the limit', () => {
    expect(cutLabel('Fraudulent', 20)).toBe('Fraudulent');
    const cut = cutLabel('Credit not processed for a cancelled subscription', 20);
    expect(cut).toBe('Credit not processe…');
    expect(cut).toHaveLength(20);
  });
});

describe('BarChart', () => {
  it('renders an accessible SVG (role img, title and description) with escaped labels and no script', async () => {
    const html = String(
      await BarChart({
        id: 'c1',
        title: 'Win rate by reason',
        summary: 'Overall 50%',
        data: [{ label: '<script>alert(1)</script>', value: 0.5, display: '50%', over: true }],
        options: { max: 1, reference: 0.02 },
        referenceLabel: "Whop's 2%",
      }),
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="c1-t c1-d"');
    expect(html).toContain('<title id="c1-t">Win rate by reason</title>');
    expect(html).toContain('<desc id="c1-d">Overall 50%</desc>');
    expect(html).toContain('class="bar-over"');
    expect(html).toContain('class="ref"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('says there is nothing to chart rather than drawing an empty figure', async () => {
    expect(String(await BarChart({ id: 'c2', title: 't', summary: 's', data: [] }))).toContain(
      'Nothing to chart yet.',
    );
  });
});
