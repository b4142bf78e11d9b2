/**
 * Small SVG charts with no dependencies. Each is an image with a text alternative (role="img" +
 * aria-label) and a visually hidden table of its numbers for screen readers.
 */
import type { ReactNode } from 'react';

export interface Bar {
  label: string;
  value: number;
  tone?: string;
}

/** Horizontal bars, one per row, with the value at the end. */
export function BarChart({
  title,
  bars,
  unit = '',
  width = 360,
}: {
  title: string;
  bars: Bar[];
  unit?: string;
  width?: number;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 22;
  const labelW = 120;
  const valueW = 56;
  const plotW = width - labelW - valueW;
  const height = Math.max(row, bars.length * row);
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.value}${unit}`).join(', ')}`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: width }}
      >
        {bars.map((b, i) => {
          const w = (b.value / max) * plotW;
          const y = i * row;
          return (
            <g key={b.label}>
              <text x={labelW - 6} y={y + row / 2 + 4} textAnchor="end" className="chart-label">
                {b.label}
              </text>
              <rect
                x={labelW}
                y={y + 3}
                width={Math.max(w, b.value > 0 ? 2 : 0)}
                height={row - 6}
                rx={3}
                className={`bar ${b.tone ?? ''}`}
              />
              <text x={labelW + w + 4} y={y + row / 2 + 4} className="chart-value">
                {b.value}
                {unit}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="sr-only">
        <DataTable caption={title} head={['', 'value']} rows={bars.map((b) => [b.label, `${b.value}${unit}`])} />
      </figcaption>
    </figure>
  );
}

export interface Point {
  x: number;
  y: number;
  label: string;
  highlight?: boolean;
}

/** A scatter plot with axis ranges from the data, ticks at the ends, and a title on each point. */
export function ScatterPlot({
  title,
  points,
  xLabel,
  yLabel,
  formatX = String,
  formatY = String,
  width = 420,
  height = 260,
}: {
  title: string;
  points: Point[];
  xLabel: string;
  yLabel: string;
  formatX?: (n: number) => string;
  formatY?: (n: number) => string;
  width?: number;
  height?: number;
}) {
  const pad = { l: 70, r: 12, t: 10, b: 36 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = range(xs);
  const [y0, y1] = range(ys);
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const sy = (y: number) => height - pad.b - ((y - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-label={`${title}: ${points.length} points`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: width }}
      >
        <line x1={pad.l} y1={height - pad.b} x2={width - pad.r} y2={height - pad.b} className="axis" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={height - pad.b} className="axis" />
        <text x={pad.l} y={height - pad.b + 14} className="chart-label">
          {formatX(x0)}
        </text>
        <text x={width - pad.r} y={height - pad.b + 14} textAnchor="end" className="chart-label">
          {formatX(x1)}
        </text>
        <text x={(pad.l + width - pad.r) / 2} y={height - 4} textAnchor="middle" className="chart-label">
          {xLabel}
        </text>
        <text x={pad.l - 4} y={height - pad.b} textAnchor="end" className="chart-label">
          {formatY(y0)}
        </text>
        <text x={pad.l - 4} y={pad.t + 10} textAnchor="end" className="chart-label">
          {formatY(y1)}
        </text>
        <text
          x={12}
          y={(pad.t + height - pad.b) / 2}
          transform={`rotate(-90 12 ${(pad.t + height - pad.b) / 2})`}
          textAnchor="middle"
          className="chart-label"
        >
          {yLabel}
        </text>
        {points.map((p, i) => (
          <circle
            key={i}
            cx={sx(p.x)}
            cy={sy(p.y)}
            r={p.highlight ? 6 : 4}
            className={p.highlight ? 'point highlight' : 'point'}
          >
            <title>{`${p.label}: ${formatX(p.x)}, ${formatY(p.y)}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="sr-only">
        <DataTable
          caption={title}
          head={['', xLabel, yLabel]}
          rows={points.map((p) => [p.label, formatX(p.x), formatY(p.y)])}
        />
      </figcaption>
    </figure>
  );
}

function range(values: number[]): [number, number] {
  if (!values.length) return [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  return [lo, hi];
}

export function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) =>
              j === 0 ? (
                <th key={j} scope="row">
                  {c}
                </th>
              ) : (
                <td key={j}>{c}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
