/**
 * A time-series line chart on uPlot, loaded when the chart first renders (uPlot stays in its own
 * chunk, fetched by the screens that draw a chart: the dashboard, segments, analytics). Colours come from the design tokens; labels and numbers from Intl through the
 * caller's formatters. The chart is a picture for sighted users: the same figures are in the tables.
 */
import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: number[];
}

/** The token colours that series cycle through (dashed after the first round). */
const SERIES_TOKENS = [
  '--color-primary',
  '--color-success',
  '--color-warning',
  '--color-danger',
  '--color-text-muted',
];

/** Whole-number axis steps for counts. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

/** The value of a design token (`--color-primary`) on the page. */
export const token = (name: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Changes when the page's colours change (the theme switch or the system's dark mode), so charts redraw. */
const readTheme = (): string =>
  `${document.documentElement.getAttribute('data-theme') ?? 'system'}:${matchMedia('(prefers-color-scheme: dark)').matches}`;

/** Changes when the page's colours change, so a chart redraws with the new tokens. */
export const useTheme = (): string => {
  const [theme, setTheme] = useState(readTheme);
  useEffect(() => {
    const update = () => setTheme(readTheme());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', update);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', update);
    };
  }, []);
  return theme;
};

export const LineChart = ({
  days,
  series,
  label,
  formatValue,
  dayLabel,
  integers = false,
  height = 220,
}: {
  /** The label of each day (the x axis), oldest first. */
  days: string[];
  series: ChartSeries[];
  /** What the chart shows, for assistive technology. */
  label: string;
  formatValue: (v: number) => string;
  /** The legend's name of the x value ("Day"). */
  dayLabel: string;
  /** Counts: the value axis has whole-number steps only. */
  integers?: boolean;
  height?: number;
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
      const opts: uPlot.Options = {
        width: el.clientWidth,
        height,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        axes: [
          { ...axis, incrs: [1, 2, 7, 14, 28], values: (_u, splits) => splits.map((s) => days[s] ?? '') },
          {
            ...axis,
            // wide enough for the longest label (money in Arabic digits and its currency)
            size: (_u, values) => 16 + 7.5 * Math.max(4, ...(values ?? []).map((v) => v.length)),
            ...(integers ? { incrs: COUNT_STEPS } : {}),
            values: (_u, splits) => splits.map((s) => formatValue(s)),
          },
        ],
        series: [
          { label: dayLabel, value: (_u, v) => (v == null ? '' : (days[v] ?? '')) },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: token(SERIES_TOKENS[i % SERIES_TOKENS.length] ?? '--color-primary'),
            width: 2,
            points: { fill: token('--color-surface') },
            ...(i >= SERIES_TOKENS.length ? { dash: [6, 4] } : {}),
            value: (_u: uPlot, v: number | null) => (v == null ? '' : formatValue(v)),
          })),
        ],
      };
      plot = new UPlot(opts, [days.map((_d, i) => i), ...series.map((s) => s.values)], el);
      resize.observe(el);
    });
    return () => {
      cancelled = true;
      resize.disconnect();
      plot?.destroy();
    };
  }, [days, series, height, formatValue, dayLabel, integers, theme]);
  return <div ref={box} role="img" aria-label={label} className="pz-chart" dir="ltr" />;
};
