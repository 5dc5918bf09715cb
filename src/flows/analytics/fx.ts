/**
 * Daily exchange rates into a report currency (docs/analytics.md, "Report currency"): entered in the
 * console or imported as CSV (`day,currency,report_currency,rate`). A day's amount is converted with
 * the rate of that day, else the latest rate before it; a currency without any rate on or before the
 * day is reported as missing (its converted figures are null, never a guess).
 */

import type { Queryable } from '../../platform/db.ts';
import { validation } from '../../platform/errors.ts';
import { isCurrency, minorUnitDigits } from '../../platform/money.ts';

export interface Rate {
  day: string;
  currency: string;
  report_currency: string;
  rate: number;
}

export interface DailyAmount {
  date: string;
  currency: string;
  /** minor units of `currency` */
  amount: number;
}

/** Most rates per request or CSV file. */
export const MAX_RATES = 10_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isDate = (s: string): boolean =>
  DATE.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** Checks rates; every problem is reported with its index (JSON) or line (CSV). */
export const checkRates = (rates: readonly Rate[], where: (i: number) => string): void => {
  const errors: { path: string; message: string }[] = [];
  rates.forEach((r, i) => {
    if (!isDate(r.day)) errors.push({ path: `${where(i)}.day`, message: 'is not a date YYYY-MM-DD' });
    if (!isCurrency(r.currency))
      errors.push({ path: `${where(i)}.currency`, message: 'is not an ISO 4217 code' });
    if (!isCurrency(r.report_currency))
      errors.push({ path: `${where(i)}.report_currency`, message: 'is not an ISO 4217 code' });
    if (r.currency === r.report_currency)
      errors.push({ path: `${where(i)}.currency`, message: 'is the report currency itself' });
    if (!(Number.isFinite(r.rate) && r.rate > 0 && r.rate < 1e9))
      errors.push({ path: `${where(i)}.rate`, message: 'must be a number > 0 and < 1e9' });
  });
  if (errors.length > 0) throw validation(`${errors.length} rate(s) are invalid`, errors.slice(0, 100));
};

/** Saves rates (a rate of the same day, currency and report currency is replaced). */
export const saveRates = async (q: Queryable, rates: readonly Rate[], now: Date): Promise<number> => {
  if (rates.length === 0) return 0;
  const last = new Map<string, Rate>();
  for (const r of rates) last.set(`${r.report_currency}|${r.currency}|${r.day}`, r);
  const rows = [...last.values()].sort((a, b) =>
    `${a.report_currency}|${a.currency}|${a.day}` < `${b.report_currency}|${b.currency}|${b.day}` ? -1 : 1,
  );
  await q.query(
    `INSERT INTO analytics_fx_rates (day, currency, report_currency, rate, updated_at)
     SELECT d, c, rc, r, $5 FROM unnest($1::date[], $2::text[], $3::text[], $4::numeric[]) AS x (d, c, rc, r)
     ON CONFLICT (report_currency, currency, day) DO UPDATE SET rate = excluded.rate, updated_at = excluded.updated_at`,
    [
      rows.map((r) => r.day),
      rows.map((r) => r.currency),
      rows.map((r) => r.report_currency),
      rows.map((r) => String(r.rate)),
      now,
    ],
  );
  return rows.length;
};

/** Parses the CSV import: a header `day,currency,report_currency,rate` then one rate per line. */
export const parseRatesCsv = (text: string): Rate[] => {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const want = ['day', 'currency', 'report_currency', 'rate'];
  if (want.some((w, i) => header[i] !== w))
    throw validation('the first line must be the header day,currency,report_currency,rate', [
      { path: 'body.line[1]', message: `is "${lines[0]?.slice(0, 80) ?? ''}"` },
    ]);
  if (lines.length - 1 > MAX_RATES) throw validation(`at most ${MAX_RATES} rates per file`);
  const rates = lines.slice(1).map((line) => {
    const [day = '', currency = '', report = '', rate = ''] = line.split(',').map((c) => c.trim());
    return {
      day,
      currency: currency.toUpperCase(),
      report_currency: report.toUpperCase(),
      rate: Number(rate),
    };
  });
  checkRates(rates, (i) => `body.line[${i + 2}]`);
  return rates;
};

export const listRates = async (
  q: Queryable,
  f: {
    reportCurrency?: string | undefined;
    currency?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    limit: number;
  },
): Promise<Rate[]> =>
  (
    await q.query<{ day: string; currency: string; report_currency: string; rate: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, currency::text AS currency, report_currency::text AS report_currency,
         rate::text AS rate
       FROM analytics_fx_rates
       WHERE ($1::text IS NULL OR report_currency = $1) AND ($2::text IS NULL OR currency = $2)
         AND ($3::date IS NULL OR day >= $3) AND ($4::date IS NULL OR day <= $4)
       ORDER BY report_currency, currency, day DESC LIMIT $5`,
      [f.reportCurrency ?? null, f.currency ?? null, f.from ?? null, f.to ?? null, f.limit],
    )
  ).rows.map((r) => ({ ...r, rate: Number(r.rate) }));

/**
 * Converts daily amounts (minor units of their currency) into minor units of `report` with the rate
 * of the day or the latest before it, rounded half away from zero. `amounts[i]` is null when no rate
 * was known; those currencies are listed in `missing`.
 */
export const convertDaily = async (
  q: Queryable,
  amounts: readonly DailyAmount[],
  report: string,
): Promise<{ amounts: (number | null)[]; missing: string[] }> => {
  const foreign = amounts.filter((a) => a.currency !== report);
  const rates = new Map<string, number | null>();
  if (foreign.length > 0) {
    const pairs = [...new Set(foreign.map((a) => `${a.currency}|${a.date}`))].sort();
    const { rows } = await q.query<{ currency: string; date: string; rate: string | null }>(
      `SELECT p.currency, p.date, (
         SELECT f.rate::text FROM analytics_fx_rates f
         WHERE f.report_currency = $3 AND f.currency = p.currency AND f.day <= p.date::date
         ORDER BY f.day DESC LIMIT 1) AS rate
       FROM unnest($1::text[], $2::text[]) AS p (currency, date)`,
      [pairs.map((p) => p.split('|')[0]), pairs.map((p) => p.split('|')[1]), report],
    );
    for (const r of rows) rates.set(`${r.currency}|${r.date}`, r.rate === null ? null : Number(r.rate));
  }
  const missing = new Set<string>();
  const to = minorUnitDigits(report);
  const out = amounts.map((a) => {
    if (a.currency === report) return a.amount;
    const rate = rates.get(`${a.currency}|${a.date}`) ?? null;
    if (rate === null) {
      missing.add(a.currency);
      return null;
    }
    const value = (a.amount / 10 ** minorUnitDigits(a.currency)) * rate * 10 ** to;
    return Math.sign(value) * Math.round(Math.abs(value));
  });
  return { amounts: out, missing: [...missing].sort() };
};
