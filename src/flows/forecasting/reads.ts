/** What /admin/forecasts reads: the list of series, one series (or a total) with its history, the runs. */
import type { Queryable } from '../../platform/db.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/schemas.ts';
import { addDays } from './history.ts';

export interface ListFilter {
  sku?: string;
  location_id?: string;
  model?: string;
  cursor?: string;
  limit: number;
}

const num = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e4) / 1e4);

export const listForecasts = async (q: Queryable, f: ListFilter) => {
  const after = decodeCursor(f.cursor);
  const { rows } = await q.query<{
    sku: string;
    location_id: string;
    model: string;
    mase: number | null;
    baseline_mase: number | null;
    demand_class: string;
    fallback: string | null;
    history_days: number;
    bias: number | null;
    first_day: string;
    horizon_total: number;
    computed_at: Date;
  }>(
    `SELECT sku, location_id, model, mase, baseline_mase, demand_class, fallback, history_days, bias,
            to_char(first_day, 'YYYY-MM-DD') AS first_day,
            (SELECT coalesce(sum(x), 0) FROM unnest(mean) x)::float8 AS horizon_total, computed_at
       FROM forecasts
      WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR location_id = $2)
        AND ($3::text IS NULL OR model = $3)
        AND ($4::text IS NULL OR (sku, location_id) > ($4, $5::text))
      ORDER BY sku, location_id LIMIT $6`,
    [
      f.sku ?? null,
      f.location_id ?? null,
      f.model ?? null,
      typeof after?.[0] === 'string' ? after[0] : null,
      typeof after?.[1] === 'string' ? after[1] : '',
      f.limit + 1,
    ],
  );
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({
      ...r,
      mase: num(r.mase),
      baseline_mase: num(r.baseline_mase),
      bias: num(r.bias),
      horizon_total: num(r.horizon_total) ?? 0,
      computed_at: r.computed_at.toISOString(),
    })),
    next_cursor: rows.length > f.limit && last ? encodeCursor([last.sku, last.location_id]) : null,
  };
};

interface ForecastArrays {
  first_day: string;
  demand_class: string | null;
  history_days: number | null;
  bias: number | null;
  model: string;
  mase: number | null;
  baseline_mase: number | null;
  fallback: string | null;
  computed_at: Date;
  mean: number[];
  lo80: number[];
  hi80: number[];
  lo95: number[];
  hi95: number[];
}

/**
 * One series: a SKU at a location, a SKU over every location (its reconciled total), or every SKU
 * at a location (the sum of its reconciled forecasts; the intervals are summed, which overstates
 * them: a bound, documented). Null when nothing is forecast for it.
 */
export const readSeries = async (
  q: Queryable,
  sku: string | undefined,
  locationId: string | undefined,
  historyDays: number,
) => {
  let f: ForecastArrays | undefined;
  const cols = `to_char(first_day, 'YYYY-MM-DD') AS first_day, model, mase, baseline_mase, computed_at, mean, lo80, hi80, lo95, hi95`;
  if (sku && locationId) {
    f = (
      await q.query<ForecastArrays>(
        `SELECT ${cols}, fallback, demand_class, history_days, bias FROM forecasts WHERE sku = $1 AND location_id = $2`,
        [sku, locationId],
      )
    ).rows[0];
  } else if (sku) {
    f = (
      await q.query<ForecastArrays>(
        `SELECT ${cols}, null AS fallback, null AS demand_class, null AS history_days, null AS bias FROM forecast_totals WHERE sku = $1`,
        [sku],
      )
    ).rows[0];
  } else {
    f = (
      await q.query<ForecastArrays>(
        `SELECT to_char(min(first_day), 'YYYY-MM-DD') AS first_day, 'sum' AS model, null::real AS mase,
                null::real AS baseline_mase, null AS fallback, null AS demand_class, null::int AS history_days,
                null::real AS bias, max(computed_at) AS computed_at,
                array_agg(m ORDER BY i) AS mean, array_agg(a ORDER BY i) AS lo80, array_agg(b ORDER BY i) AS hi80,
                array_agg(c ORDER BY i) AS lo95, array_agg(d ORDER BY i) AS hi95
           FROM (SELECT i, min(first_day) AS first_day, max(computed_at) AS computed_at,
                        sum(m) AS m, sum(a) AS a, sum(b) AS b, sum(c) AS c, sum(d) AS d
                   FROM forecasts, unnest(mean, lo80, hi80, lo95, hi95) WITH ORDINALITY AS u(m, a, b, c, d, i)
                  WHERE location_id = $1 GROUP BY i) s
         HAVING count(*) > 0`,
        [locationId],
      )
    ).rows[0];
  }
  if (!f) return null;
  const end = f.first_day;
  const start = addDays(end, -historyDays);
  const history = (
    await q.query<{ day: string; quantity: number; stockout: boolean }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(sold - returned)::int AS quantity, bool_or(stockout) AS stockout
         FROM demand_days
        WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR location_id = $2)
          AND day >= $3::date AND day < $4::date
        GROUP BY day`,
      [sku ?? null, locationId ?? null, start, end],
    )
  ).rows;
  const byDay = new Map(history.map((h) => [h.day, h]));
  const dense = [];
  for (let d = start; d < end; d = addDays(d, 1))
    dense.push(byDay.get(d) ?? { day: d, quantity: 0, stockout: false });
  const r = (x: number | undefined) => Math.round(Math.max(0, x ?? 0) * 1e4) / 1e4;
  return {
    sku: sku ?? null,
    location_id: locationId ?? null,
    level: sku && locationId ? ('sku_location' as const) : sku ? ('sku' as const) : ('location' as const),
    model: f.model,
    mase: num(f.mase),
    baseline_mase: num(f.baseline_mase),
    fallback: f.fallback,
    demand_class: f.demand_class,
    history_days: f.history_days,
    bias: num(f.bias),
    computed_at: f.computed_at.toISOString(),
    history: dense,
    forecast: f.mean.map((m, i) => ({
      day: addDays(f.first_day, i),
      mean: r(m),
      lo80: r(f.lo80[i]),
      hi80: r(f.hi80[i]),
      lo95: r(f.lo95[i]),
      hi95: r(f.hi95[i]),
    })),
  };
};
