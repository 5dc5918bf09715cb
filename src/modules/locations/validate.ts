/**
 * Checks of location values the schema cannot express: time zones, countries, opening hours,
 * closures, coordinates.
 */
import { isCountry } from '../../platform/country.ts';
import { validation } from '../../platform/errors.ts';
import { type Closure, type OpeningHours, WEEKDAYS } from './schema.ts';

type Issue = { path: string; message: string };

const TIMEZONE_NAME = /^(UTC|[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)+)$/;

/** True for an IANA time zone name the runtime knows (kept as given: ICU may map Europe/Kyiv to an old alias). */
export const isTimezone = (tz: string): boolean => {
  if (!TIMEZONE_NAME.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Problems with opening hours: each interval must close after it opens, sorted and not overlapping. */
export const openingHoursIssues = (hours: OpeningHours, base = 'body.opening_hours'): Issue[] => {
  const issues: Issue[] = [];
  for (const day of WEEKDAYS) {
    let lastClose = -1;
    (hours[day] ?? []).forEach((iv, i) => {
      const open = minutes(iv.open);
      const close = minutes(iv.close);
      const path = `${base}.${day}.${i}`;
      if (iv.open === '24:00') issues.push({ path: `${path}.open`, message: 'cannot be 24:00' });
      else if (close <= open) issues.push({ path, message: 'must close after it opens' });
      else if (open < lastClose)
        issues.push({ path, message: 'overlaps or is before the previous interval' });
      lastClose = Math.max(lastClose, close);
    });
  }
  return issues;
};

/** A real calendar date (the pattern lets 2026-02-30 through). */
const isDate = (ymd: string): boolean => {
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd;
};

/** Problems with closures: real dates, `to` not before `from`, a yearly range shorter than a year. */
export const closureIssues = (closures: readonly Closure[], base = 'body.closures'): Issue[] =>
  closures.flatMap((c, i) => {
    const path = `${base}.${i}`;
    if (!isDate(c.from)) return [{ path: `${path}.from`, message: 'is not a calendar date' }];
    if (c.to !== undefined && !isDate(c.to))
      return [{ path: `${path}.to`, message: 'is not a calendar date' }];
    if (c.to !== undefined && c.to < c.from) return [{ path: `${path}.to`, message: 'is before from' }];
    if (
      c.yearly &&
      c.to !== undefined &&
      c.to.slice(0, 4) > c.from.slice(0, 4) &&
      c.to.slice(5) >= c.from.slice(5)
    ) {
      return [{ path: `${path}.to`, message: 'a yearly closure lasts less than a year' }];
    }
    return [];
  });

export interface PlaceInput {
  timezone: string;
  country: string;
  latitude: number | null;
  longitude: number | null;
  opening_hours: OpeningHours;
  closures: readonly Closure[];
  default_country: string | null;
}

/** Validates the parts of a location (after a patch is merged); throws VALIDATION_FAILED listing every problem. */
export const checkPlace = (p: PlaceInput): void => {
  const issues: Issue[] = [];
  if (!isTimezone(p.timezone)) issues.push({ path: 'body.timezone', message: 'is not an IANA time zone' });
  if (!isCountry(p.country)) {
    issues.push({ path: 'body.address.country', message: 'is not an ISO 3166-1 alpha-2 country code' });
  }
  if ((p.latitude === null) !== (p.longitude === null)) {
    issues.push({
      path: 'body.latitude',
      message: 'latitude and longitude go together: give both or neither',
    });
  }
  if (p.default_country !== null && !isCountry(p.default_country)) {
    issues.push({ path: 'body.default_country', message: 'is not an ISO 3166-1 alpha-2 country code' });
  }
  issues.push(...openingHoursIssues(p.opening_hours));
  issues.push(...closureIssues(p.closures));
  const first = issues[0];
  if (first) throw validation(`${first.path} ${first.message}`, issues);
};
