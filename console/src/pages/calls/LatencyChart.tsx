/**
 * Per-reply latency of a call: one group of columns per agent reply (endpointing, brain first token, tool
 * time, TTS first byte), an image with a text alternative and a visually hidden table of the numbers, and the
 * medians. A timing that is absent or -1 was not measured: no column, "—" in the table. The series differ by
 * colour and by texture (solid, stripes, dots, grid), so the legend reads without colour too.
 */
import { useId, type ReactNode } from 'react';
import { count } from '../../format.ts';
import { Facts } from '../../components/ui.tsx';
import { DataTable } from '../../components/charts.tsx';

export interface LatencyTurn {
  label: string;
  timings: Record<string, number>;
}

interface Series {
  key: string;
  label: string;
  /** Drawn as a column (the whole turn is only in the table and the medians). */
  bar: boolean;
}

export const LATENCY_SERIES: Series[] = [
  { key: 'endpointingMs', label: 'Endpointing', bar: true },
  { key: 'firstTextMs', label: 'Brain first token', bar: true },
  { key: 'toolMs', label: 'Tool time', bar: true },
  { key: 'ttsFirstByteMs', label: 'TTS first byte', bar: true },
  { key: 'totalMs', label: 'Whole turn', bar: false },
];

/** The texture over each series' colour, in a 4×4 tile. */
const TEXTURE: Record<string, ReactNode> = {
  endpointingMs: null,
  firstTextMs: <rect width="1.5" height="4" className="lat-texture" />,
  toolMs: <circle cx="2" cy="2" r="1" className="lat-texture" />,
  ttsFirstByteMs: <path d="M0 0.5H4M0.5 0V4" className="lat-texture-line" />,
};

/** The SVG patterns (series colour + texture) that the columns and the legend are filled with. */
function Textures({ prefix, series }: { prefix: string; series: Series[] }) {
  return (
    <defs>
      {series.map((s) => (
        <pattern
          key={s.key}
          id={`${prefix}-${s.key}`}
          width="4"
          height="4"
          patternUnits="userSpaceOnUse"
          patternTransform={s.key === 'firstTextMs' ? 'rotate(45)' : undefined}
        >
          <rect width="4" height="4" className={`lat-${s.key}`} />
          {TEXTURE[s.key]}
        </pattern>
      ))}
    </defs>
  );
}

const measured = (v: number | undefined): number | null => (typeof v === 'number' && v >= 0 ? v : null);
/** "Brain first token" → "brain first token"; "TTS first byte" stays. */
const lower = (s: string): string => s.replace(/^[A-Z][a-z]/, (m) => m.toLowerCase());
const ms = (v: number | null): string => (v === null ? '—' : `${count(Math.round(v))} ms`);

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** 0 → 1; 830 → 1000; 1300 → 2000; 2600 → 5000. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

export function LatencyChart({ title, turns }: { title: string; turns: LatencyTurn[] }) {
  const series = LATENCY_SERIES.filter((s) => turns.some((t) => measured(t.timings[s.key]) !== null));
  const bars = series.filter((s) => s.bar);
  const medians = series.map((s) => ({
    s,
    value: median(turns.map((t) => measured(t.timings[s.key])).filter((v): v is number => v !== null)),
  }));

  const pad = { l: 64, r: 8, t: 10, b: 30 };
  const barW = 10;
  const groupW = Math.max(1, bars.length) * barW + 16;
  const width = Math.max(320, pad.l + pad.r + turns.length * groupW);
  const height = 190;
  const plotH = height - pad.t - pad.b;
  const top = niceMax(Math.max(0, ...turns.flatMap((t) => bars.map((s) => measured(t.timings[s.key]) ?? 0))));
  const y = (v: number) => pad.t + plotH - (v / top) * plotH;
  const summary = medians.map(({ s, value }) => `median ${lower(s.label)} ${ms(value)}`).join(', ');
  const prefix = `lat${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const fill = (s: Series) => `url(#${prefix}-${s.key})`;

  return (
    <div className="latency">
      <figure className="chart">
        <div className="chart-scroll">
          <svg
            role="img"
            aria-label={`${title}: ${turns.length} agent replies; ${summary}`}
            width={width}
            height={height}
            viewBox={`0 0 ${width} ${height}`}
          >
            <Textures prefix={prefix} series={bars} />
            {[0, top / 2, top].map((v) => (
              <g key={v}>
                <line x1={pad.l} x2={width - pad.r} y1={y(v)} y2={y(v)} className="axis" />
                <text x={pad.l - 4} y={y(v) + 4} textAnchor="end" className="chart-label">
                  {v === 0 ? '0' : ms(v)}
                </text>
              </g>
            ))}
            {turns.map((t, i) => {
              const x0 = pad.l + i * groupW + 8;
              return (
                <g key={i}>
                  {bars.map((s, j) => {
                    const v = measured(t.timings[s.key]);
                    if (v === null) return null;
                    return (
                      <rect
                        key={s.key}
                        x={x0 + j * barW}
                        y={y(v)}
                        width={barW - 1}
                        height={Math.max(v > 0 ? 1 : 0, pad.t + plotH - y(v))}
                        className="lat"
                        fill={fill(s)}
                      >
                        <title>{`${t.label} · ${s.label}: ${ms(v)}`}</title>
                      </rect>
                    );
                  })}
                  <text
                    x={x0 + (bars.length * barW) / 2}
                    y={height - pad.b + 14}
                    textAnchor="middle"
                    className="chart-label"
                  >
                    {i + 1}
                  </text>
                </g>
              );
            })}
            <text x={(pad.l + width - pad.r) / 2} y={height - 2} textAnchor="middle" className="chart-label">
              Agent reply
            </text>
          </svg>
        </div>
        <ul className="legend" aria-hidden="true">
          {bars.map((s) => (
            <li key={s.key}>
              <svg className="swatch" width="12" height="12" viewBox="0 0 12 12">
                <rect width="12" height="12" fill={fill(s)} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
        <figcaption className="sr-only">
          <DataTable
            caption={title}
            head={['Reply', ...series.map((s) => s.label)]}
            rows={turns.map((t) => [t.label, ...series.map((s) => ms(measured(t.timings[s.key])))])}
          />
        </figcaption>
      </figure>
      <Facts items={medians.map(({ s, value }) => [`Median ${lower(s.label)}`, ms(value)])} />
    </div>
  );
}
