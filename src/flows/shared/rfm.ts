/**
 * RFM (recency, frequency, monetary value): each customer gets a score 1–5 per dimension, the
 * quintile of their value among the customers compared (5 = most recent, most frequent, most
 * spent; equal values share a score: 1 + ⌊5 · (rank − 1) / n⌋ with rank the SQL rank() of the value
 * ascending). Recency and frequency name the group. One rule for the analytics report
 * (src/flows/analytics/customers.ts) and the `rfm` computed trait of segments (in SQL).
 */

export const RFM_GROUPS = ['champions', 'loyal', 'new', 'at_risk', 'hibernating', 'promising'] as const;
export type RfmGroup = (typeof RFM_GROUPS)[number];

/** The rules in order: the first that holds names the group (`promising` when none does). */
const RULES: readonly { group: RfmGroup; r?: [number, number]; f?: [number, number] }[] = [
  { group: 'champions', r: [4, 5], f: [4, 5] },
  { group: 'loyal', f: [4, 5] },
  { group: 'new', r: [4, 5], f: [1, 1] },
  { group: 'at_risk', r: [1, 2], f: [3, 5] },
  { group: 'hibernating', r: [1, 2], f: [1, 2] },
];

const within = (v: number, range: [number, number] | undefined) => !range || (v >= range[0] && v <= range[1]);

export const rfmGroup = (r: number, f: number): RfmGroup =>
  RULES.find((x) => within(r, x.r) && within(f, x.f))?.group ?? 'promising';

/** The same rule as a SQL CASE over two integer expressions. */
export const rfmGroupSql = (r: string, f: string): string => {
  const cond = (col: string, range: [number, number] | undefined) =>
    range ? [`${col} BETWEEN ${range[0]} AND ${range[1]}`] : [];
  const whens = RULES.map(
    (x) => `WHEN ${[...cond(r, x.r), ...cond(f, x.f)].join(' AND ')} THEN '${x.group}'`,
  );
  return `CASE ${whens.join(' ')} ELSE 'promising' END`;
};

/** The quintile score of a value among `values` (the rule above, as in SQL). */
export const quintiles = (values: readonly number[]): number[] => {
  const sorted = [...values].sort((a, b) => a - b);
  // how many values are below v (binary search: the report ranks every customer)
  const below = (v: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] ?? 0) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return values.map((v) => Math.min(5, 1 + Math.floor((below(v) / Math.max(1, sorted.length)) * 5)));
};

/** The quintile score in SQL: `value` ordered ascending over the window `over` (e.g. an empty OVER). */
export const quintileSql = (value: string): string =>
  `LEAST(5, 1 + floor((rank() OVER (ORDER BY ${value}) - 1) * 5.0 / count(*) OVER ()))::int`;
