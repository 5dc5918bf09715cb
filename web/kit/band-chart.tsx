/**
 * A daily chart with interval bands on uPlot (loaded on first render, like the line chart): shaded
 * bands between an upper and a lower series (a forecast's 80 % and 95 % intervals), lines (the history,
 * the forecast's mean), marks drawn as dots only (days to point out, such as stock-outs) and an
 * optional divider before a day (where the forecast starts). A gap in a series is `null`. Colours come
 * from the design tokens; numbers and labels from the caller. Like every chart of the kit it is a
 * picture for sighted users, with a label for assistive technology: the figures belong in a table.
 */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { token, useTheme } from './chart.tsx';

export type ChartTone = 'primary' | 'success' | 'warning' | 'danger' | 'muted';
const TONE_TOKENS: Record<ChartTone, string> = {
  primary: '--color-primary',
  success: '--color-success',
  warning: '--color-warning',
  danger: '--color-danger',
  muted: '--color-text-muted',
};

export interface ChartLine {
  label: string;
  values: (number | null)[];
  tone?: ChartTone;
  dashed?: boolean;
}

export interface ChartBand {
  /** Legend names of the band's edges. */
  upperLabel: string;
  lowerLabel: string;
  upper: (number | null)[];
  lower: (number | null)[];
  tone?: ChartTone;
  /** How strongly the band is shaded (0–1): a wider interval is lighter. */
  opacity: number;
}

export interface ChartMarks {
  label: string;
  values: (number | null)[];
  tone?: ChartTone;
}

/** A colour with an alpha, whatever CSS colour syntax the token uses (the canvas normalises it). */
const withAlpha = (color: string, alpha: number): string => {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return color;
  ctx.fillStyle = color;
  const normal = String(ctx.fillStyle);
  const hex = /^#([0-9a-f]{6})$/i.exec(normal);
  if (hex) {
    const n = Number.parseInt(hex[1] ?? '0', 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return normal.replace(/rgba?\(([^)]+?)(,\s*[\d.]+)?\)/, `rgba($1, ${alpha})`);
};

const toneColor = (tone: ChartTone | undefined): string => token(TONE_TOKENS[tone ?? 'primary']);

export const BandChart = ({
  days,
  lines,
  bands = [],
  marks = [],
  splitAt,
  label,
  formatValue,
  dayLabel,
  height = 260,
  testId,
}: {
  /** The label of each day (the x axis), oldest first; every series has one value per day. */
  days: string[];
  lines: ChartLine[];
  bands?: ChartBand[];
  marks?: ChartMarks[];
  /** Index of the first day after the divider (a vertical dashed line before that day). */
  splitAt?: number;
  /** What the chart shows, for assistive technology. */
  label: string;
  formatValue: (v: number) => string;
  /** The legend's name of the x value ("Day"). */
  dayLabel: string;
  height?: number;
  testId?: string;
}) => {
  const box = useRef<HTMLDivElement>(null);
  const theme = useTheme();
  // biome-ignore lint/correctness/useExhaustiveDependencies: theme: the colours are read from the tokens when the chart is made
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot: uPlot | undefined;
    let cancelled = false;
    const resize = new ResizeObserver(() => plot?.setSize({ width: el.clientWidth, height }));
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const axis = {
        stroke: token('--color-text-muted'),
        grid: { stroke: token('--color-border'), width: 1 },
      };
      const show = (_u: uPlot, v: number | null) => (v == null ? '' : formatValue(v));
      const series: uPlot.Series[] = [
        { label: dayLabel, value: (_u, v) => (v == null ? '' : (days[v] ?? '')) },
      ];
      const data: (number | null)[][] = [];
      const uBands: uPlot.Band[] = [];
      for (const b of bands) {
        const edge = withAlpha(toneColor(b.tone), Math.min(1, b.opacity * 2));
        const at = series.length;
        for (const [name, values] of [
          [b.upperLabel, b.upper],
          [b.lowerLabel, b.lower],
        ] as const) {
          series.push({ label: name, stroke: edge, width: 1, points: { show: false }, value: show });
          data.push(values);
        }
        uBands.push({ series: [at, at + 1], fill: withAlpha(toneColor(b.tone), b.opacity) });
      }
      for (const l of lines) {
        series.push({
          label: l.label,
          stroke: toneColor(l.tone),
          width: 2,
          spanGaps: false,
          points: { show: false },
          ...(l.dashed ? { dash: [6, 4] } : {}),
          value: show,
        });
        data.push(l.values);
      }
      for (const m of marks) {
        const color = toneColor(m.tone ?? 'danger');
        series.push({
          label: m.label,
          stroke: color,
          fill: color,
          width: 0,
          paths: () => null,
          points: { show: true, size: 8, stroke: color, fill: color },
          value: show,
        });
        data.push(m.values);
      }
      const divider = token('--color-text-muted');
      const opts: uPlot.Options = {
        width: el.clientWidth,
        height,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: false },
          // from zero (or below), with headroom above the highest band
          y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.08 : 1] },
        },
        axes: [
          { ...axis, incrs: [1, 2, 7, 14, 28], values: (_u, splits) => splits.map((s) => days[s] ?? '') },
          {
            ...axis,
            size: (_u, values) => 16 + 7.5 * Math.max(4, ...(values ?? []).map((v) => v.length)),
            values: (_u, splits) => splits.map((s) => formatValue(s)),
          },
        ],
        series,
        bands: uBands,
        hooks:
          splitAt === undefined
            ? {}
            : {
                draw: [
                  (u) => {
                    const x = u.valToPos(splitAt - 0.5, 'x', true);
                    const { ctx } = u;
                    ctx.save();
                    ctx.strokeStyle = divider;
                    ctx.lineWidth = 1;
                    ctx.setLineDash([4, 4]);
                    ctx.beginPath();
                    ctx.moveTo(x, u.bbox.top);
                    ctx.lineTo(x, u.bbox.top + u.bbox.height);
                    ctx.stroke();
                    ctx.restore();
                  },
                ],
              },
      };
      plot = new UPlot(opts, [days.map((_d, i) => i), ...data] as uPlot.AlignedData, el);
      resize.observe(el);
    });
    return () => {
      cancelled = true;
      resize.disconnect();
      plot?.destroy();
    };
  }, [days, lines, bands, marks, splitAt, height, formatValue, dayLabel, theme]);
  return <div ref={box} role="img" aria-label={label} className="pz-chart" dir="ltr" data-testid={testId} />;
};
