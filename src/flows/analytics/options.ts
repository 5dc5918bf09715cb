/**
 * The analytics settings as the rollups and reports read them (plaza_settings; docs/analytics.md,
 * "Settings"). Changing the time zone, the lookback or the half-life rebuilds every day (settings.ts).
 */
import type { Queryable } from '../../platform/db.ts';
import { getSetting } from '../../platform/settings.ts';
import { DEFAULTS } from './attribution.ts';

export const TIME_ZONE_SETTING = 'analytics.time_zone';
export const LOOKBACK_SETTING = 'analytics.lookback_days';
export const HALF_LIFE_SETTING = 'analytics.half_life_hours';
export const MIN_CELL_SETTING = 'analytics.min_cell_size';
export const DEFAULT_LOOKBACK_DAYS = 30;
export const DEFAULT_MIN_CELL = 5;

const int = (v: unknown, min: number, max: number): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;

/** The IANA time zone days are counted in (UTC until set). */
export const analyticsTimeZone = async (q: Queryable): Promise<string> => {
  const v = await getSetting<unknown>(q, TIME_ZONE_SETTING);
  return typeof v === 'string' && v.length > 0 ? v : 'UTC';
};

/** Days before a sale whose touches it is attributed to (1–90, default 30). */
export const lookbackDays = async (q: Queryable): Promise<number> =>
  int(await getSetting<unknown>(q, LOOKBACK_SETTING), 1, 90) ?? DEFAULT_LOOKBACK_DAYS;

/** The time-decay model's half-life in hours (1–2160, default 168: a week). */
export const halfLifeHours = async (q: Queryable): Promise<number> =>
  int(await getSetting<unknown>(q, HALF_LIFE_SETTING), 1, 2160) ?? DEFAULTS.halfLifeHours;

/** Exports suppress rows describing fewer people than this (default 5). */
export const minCellSize = async (q: Queryable): Promise<number> =>
  int(await getSetting<unknown>(q, MIN_CELL_SETTING), 1, 1000) ?? DEFAULT_MIN_CELL;
