/**
 * Forecasting and replenishment settings (plaza_settings; docs/forecasting.md, "Settings"): read with
 * their defaults and bounds, written through PUT /admin/forecasts/settings.
 */
import type { Queryable } from '../../platform/db.ts';

export const RECONCILIATIONS = ['forecast_proportions', 'bottom_up'] as const;
export type Reconciliation = (typeof RECONCILIATIONS)[number];

export interface ForecastSettings {
  /** Days forecast from today (7–120). */
  horizon: number;
  reconciliation: Reconciliation;
  /** The IANA time zone "today" is taken in (the analytics time zone unless set). */
  timeZone: string;
  /** Target probability of not running out during a replenishment cycle (0.5–0.999). */
  serviceLevel: number;
  /** Days between two orders of the same item (the review period, 1–90). */
  reviewDays: number;
  /** Days a transfer takes between two locations unless a policy says otherwise (0–60). */
  transferLeadDays: number;
  /** Items whose projected stock reaches zero within this many days are at risk (1–90). */
  riskDays: number;
  /** A dismissed suggestion is not made again for this many days (1–90). */
  dismissDays: number;
}

export const SETTING_KEYS = {
  horizon: 'forecasting.horizon_days',
  reconciliation: 'forecasting.reconciliation',
  timeZone: 'forecasting.time_zone',
  serviceLevel: 'replenishment.service_level',
  reviewDays: 'replenishment.review_days',
  transferLeadDays: 'replenishment.transfer_lead_days',
  riskDays: 'replenishment.risk_days',
  dismissDays: 'replenishment.dismiss_days',
} as const satisfies Record<keyof ForecastSettings, string>;

export const DEFAULTS: Omit<ForecastSettings, 'timeZone'> = {
  horizon: 28,
  reconciliation: 'forecast_proportions',
  serviceLevel: 0.95,
  reviewDays: 7,
  transferLeadDays: 2,
  riskDays: 14,
  dismissDays: 7,
};

export const BOUNDS = {
  horizon: [7, 120],
  serviceLevel: [0.5, 0.999],
  reviewDays: [1, 90],
  transferLeadDays: [0, 60],
  riskDays: [1, 90],
  dismissDays: [1, 90],
} as const;

const num = (v: unknown, [min, max]: readonly [number, number], integer: boolean): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))
    ? v
    : undefined;

export const forecastSettings = async (q: Queryable): Promise<ForecastSettings> => {
  const rows = (
    await q.query<{ key: string; value: unknown }>(
      'SELECT key, value FROM plaza_settings WHERE key = ANY($1)',
      [[...Object.values(SETTING_KEYS), 'analytics.time_zone']],
    )
  ).rows;
  const v = (key: string): unknown => rows.find((r) => r.key === key)?.value;
  const rec = v(SETTING_KEYS.reconciliation);
  const tz = v(SETTING_KEYS.timeZone) ?? v('analytics.time_zone');
  return {
    horizon: num(v(SETTING_KEYS.horizon), BOUNDS.horizon, true) ?? DEFAULTS.horizon,
    reconciliation: RECONCILIATIONS.find((r) => r === rec) ?? DEFAULTS.reconciliation,
    timeZone: typeof tz === 'string' && tz.length > 0 ? tz : 'UTC',
    serviceLevel: num(v(SETTING_KEYS.serviceLevel), BOUNDS.serviceLevel, false) ?? DEFAULTS.serviceLevel,
    reviewDays: num(v(SETTING_KEYS.reviewDays), BOUNDS.reviewDays, true) ?? DEFAULTS.reviewDays,
    transferLeadDays:
      num(v(SETTING_KEYS.transferLeadDays), BOUNDS.transferLeadDays, true) ?? DEFAULTS.transferLeadDays,
    riskDays: num(v(SETTING_KEYS.riskDays), BOUNDS.riskDays, true) ?? DEFAULTS.riskDays,
    dismissDays: num(v(SETTING_KEYS.dismissDays), BOUNDS.dismissDays, true) ?? DEFAULTS.dismissDays,
  };
};
