/**
 * Analytics settings (docs/analytics.md, "Settings"): the time zone days are counted in, the
 * attribution lookback and the time-decay half-life (changing any of them marks every day for a
 * rebuild: the rollups are made with them), and the smallest number of people a row of an export
 * may describe.
 */
import { DateTime } from 'luxon';
import { isTimezone } from '../../modules/locations/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { validation } from '../../platform/errors.ts';
import { setSetting } from '../../platform/settings.ts';
import {
  analyticsTimeZone,
  HALF_LIFE_SETTING,
  halfLifeHours,
  LOOKBACK_SETTING,
  lookbackDays,
  MIN_CELL_SETTING,
  minCellSize,
  TIME_ZONE_SETTING,
} from './options.ts';
import { markAllDays } from './rollup.ts';

export interface AnalyticsSettings {
  time_zone: string;
  lookback_days: number;
  half_life_hours: number;
  min_cell_size: number;
}

export const analyticsSettings = async (q: Queryable): Promise<AnalyticsSettings> => ({
  time_zone: await analyticsTimeZone(q),
  lookback_days: await lookbackDays(q),
  half_life_hours: await halfLifeHours(q),
  min_cell_size: await minCellSize(q),
});

export const updateAnalyticsSettings = async (
  tx: Tx,
  patch: Partial<AnalyticsSettings>,
  now: Date,
): Promise<AnalyticsSettings> => {
  if (patch.time_zone !== undefined && !isTimezone(patch.time_zone))
    throw validation('time_zone is not an IANA time zone', [
      { path: 'body.time_zone', message: 'is not an IANA time zone' },
    ]);
  const before = await analyticsSettings(tx);
  if (patch.min_cell_size !== undefined) await setSetting(tx, MIN_CELL_SETTING, patch.min_cell_size);
  let rebuild = false;
  for (const [key, setting] of [
    ['time_zone', TIME_ZONE_SETTING],
    ['lookback_days', LOOKBACK_SETTING],
    ['half_life_hours', HALF_LIFE_SETTING],
  ] as const) {
    const value = patch[key];
    if (value === undefined || value === before[key]) continue;
    await setSetting(tx, setting, value);
    rebuild = true;
  }
  // every day is rebuilt with the new settings (the days already in the rollups, of the old time
  // zone, are marked too, so their rows are emptied)
  if (rebuild) await markAllDays(tx, now);
  return analyticsSettings(tx);
};

/** The period of a report: `to` defaults to today (analytics time zone), `from` to 29 days before. */
export const period = (
  q: { from?: string | undefined; to?: string | undefined },
  now: Date,
  timeZone: string,
): { from: string; to: string } => {
  const parse = (s: string, path: string) => {
    const d = DateTime.fromISO(s, { zone: 'UTC' });
    if (!d.isValid)
      throw validation(`${path} is not a date`, [{ path: `querystring.${path}`, message: 'is not a date' }]);
    return d;
  };
  const to = q.to ? parse(q.to, 'to') : DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const from = q.from ? parse(q.from, 'from') : to.minus({ days: 29 });
  if (from > to) throw validation('from is after to', [{ path: 'querystring.from', message: 'is after to' }]);
  if (to.diff(from, 'days').days > 3660)
    throw validation('the period is longer than 10 years', [
      { path: 'querystring.from', message: 'is too far back' },
    ]);
  return { from: from.toISODate() ?? '', to: to.toISODate() ?? '' };
};
