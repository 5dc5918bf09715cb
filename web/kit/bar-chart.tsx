/**
 * A grouped bar chart in plain SVG: one group of bars per label (a medium, a campaign), one bar per
 * series (a model) in each, drawn from the start side of the page (mirrored in right-to-left languages).
 * Colours come from the design tokens (kit.css, `data-series`); numbers from the caller's formatter.
 * Like the line chart it is a picture for sighted users, with a label for assistive technology: the
 * figures are in a table next to it. Each bar's tooltip names its group, series and value.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface BarGroup {
  /** Unique among the groups. */
  key: string;
  label: string;
  /** One value per series, in the order of `series`. */
  values: number[];
}

/** How many token colours the series cycle through (kit.css `.pz-bars [data-series]`). */
const COLOURS = 6;
const BAR = 12;
const BAR_GAP = 2;
const GROUP_GAP = 20;
const PLOT_HEIGHT = 160;
const TOP = 8;
const LABEL_HEIGHT = 36;
const AXIS_WIDTH = 64;

/** A round step for about four grid lines up to `max` (1, 2 or 5 × a power of ten). */
const niceStep = (max: number): number => {
  if (max <= 0) return 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
};

/** A label cut to `n` characters (the tooltip keeps the whole of it). */
const short = (s: string, n = 14): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export const BarChart = ({
  groups,
  series,
  label,
  formatValue,
  testId,
}: {
  groups: BarGroup[];
  /** The name of each series (the legend). */
  series: string[];
  /** What the chart shows, for assistive technology. */
  label: string;
  formatValue: (v: number) => string;
  testId?: string;
}) => {
  const { i18n } = useTranslation('kit');
  const rtl = i18n.dir(i18n.language) === 'rtl';
  const groupWidth = series.length * (BAR + BAR_GAP) - BAR_GAP + GROUP_GAP;
  const width = AXIS_WIDTH + Math.max(1, groups.length) * groupWidth;
  const height = TOP + PLOT_HEIGHT + LABEL_HEIGHT;
  const { step, top } = useMemo(() => {
    const max = Math.max(0, ...groups.flatMap((g) => g.values));
    const s = niceStep(max);
    return { step: s, top: Math.max(s, Math.ceil(max / s) * s) };
  }, [groups]);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const y = (v: number) => TOP + PLOT_HEIGHT - (v / top) * PLOT_HEIGHT;
  // x from the start side: the axis there, the groups after it
  const x = (fromStart: number, w: number) => (rtl ? width - fromStart - w : fromStart);
  return (
    <figure className="pz-bars" data-testid={testId}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={label}
        className="pz-bars-plot"
        // a few groups are not blown up to the whole width (their labels would grow with them)
        style={{ maxInlineSize: `${Math.round(width * 1.6)}px` }}
      >
        {ticks.map((v) => (
          <g key={v}>
            <line
              className="pz-bars-grid"
              x1={x(AXIS_WIDTH, width - AXIS_WIDTH)}
              x2={x(AXIS_WIDTH, width - AXIS_WIDTH) + width - AXIS_WIDTH}
              y1={y(v)}
              y2={y(v)}
            />
            <text
              className="pz-bars-axis"
              x={rtl ? width - AXIS_WIDTH + 6 : AXIS_WIDTH - 6}
              y={y(v)}
              dominantBaseline="middle"
              textAnchor={rtl ? 'start' : 'end'}
            >
              {formatValue(v)}
            </text>
          </g>
        ))}
        {groups.map((g, gi) => {
          const start = AXIS_WIDTH + gi * groupWidth + GROUP_GAP / 2;
          return (
            <g key={g.key}>
              {g.values.map((v, si) => (
                <rect
                  // biome-ignore lint/suspicious/noArrayIndexKey: a series is its position
                  key={si}
                  className="pz-bar"
                  data-series={si % COLOURS}
                  x={x(start + si * (BAR + BAR_GAP), BAR)}
                  y={y(v)}
                  width={BAR}
                  height={Math.max(0, TOP + PLOT_HEIGHT - y(v))}
                >
                  <title>{`${g.label} · ${series[si] ?? ''}: ${formatValue(v)}`}</title>
                </rect>
              ))}
              <text
                className="pz-bars-label"
                x={x(start, groupWidth - GROUP_GAP) + (groupWidth - GROUP_GAP) / 2}
                y={TOP + PLOT_HEIGHT + 16}
                textAnchor="middle"
              >
                <title>{g.label}</title>
                {short(g.label)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="pz-bars-legend">
          {series.map((s, i) => (
            <li key={s}>
              <span className="pz-bars-swatch" data-series={i % COLOURS} aria-hidden="true" />
              {s}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
};
