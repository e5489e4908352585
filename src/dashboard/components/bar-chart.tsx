import { type BarInput, type BarLayoutOptions, barLayout } from './chart-geometry.js';

/**
 * A horizontal bar chart as inline SVG: no script, no external asset. Screen readers get the title and a
 * one-line summary; the numbers are in the table the page puts beside each chart.
 */
export function BarChart(props: {
  id: string;
  title: string;
  summary: string;
  data: readonly BarInput[];
  options?: BarLayoutOptions;
  /** Text at the reference line ("Whop's 2% line"). */
  referenceLabel?: string;
}) {
  const layout = barLayout(props.data, props.options);
  const top = props.referenceLabel ? 18 : 0;
  const height = layout.height + top;
  if (props.data.length === 0) return <p class="muted">Nothing to chart yet.</p>;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${layout.width} ${height}`}
        role="img"
        aria-labelledby={`${props.id}-t ${props.id}-d`}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={`${props.id}-t`}>{props.title}</title>
        <desc id={`${props.id}-d`}>{props.summary}</desc>
        <g transform={`translate(0 ${top})`}>
          {layout.bars.map((b) => (
            <g>
              <text x={0} y={b.labelY}>
                {b.label}
              </text>
              <rect
                class={b.over ? 'bar-over' : 'bar'}
                x={b.x}
                y={b.y}
                width={b.width}
                height={b.height}
                rx={2}
              />
              {b.partWidth !== null && (
                <rect class="bar-part" x={b.x} y={b.y} width={b.partWidth} height={b.height} rx={2} />
              )}
              <text x={b.width + 6} y={b.y + b.height - 3}>
                {b.display}
              </text>
            </g>
          ))}
          <line class="axis" x1={0} y1={0} x2={0} y2={layout.height} />
        </g>
        {layout.refX !== null && (
          <g>
            <line class="ref" x1={layout.refX} y1={top - 4} x2={layout.refX} y2={height} />
            <text
              x={layout.refX < layout.width / 2 ? layout.refX + 4 : layout.refX - 4}
              y={12}
              text-anchor={layout.refX < layout.width / 2 ? 'start' : 'end'}
            >
              {props.referenceLabel}
            </text>
          </g>
        )}
      </svg>
    </figure>
  );
}
