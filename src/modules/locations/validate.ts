/** Checks of location values the schema cannot express: time zones, countries, opening hours, coordinates. */
import { validation } from '../../platform/errors.ts';
import { type OpeningHours, WEEKDAYS } from './schema.ts';

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

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** User-assigned and reserved codes ICU still names (Kosovo's XK is in use and allowed). */
const NOT_COUNTRIES = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

/** True for an assigned ISO 3166-1 alpha-2 country code (ICU knows its name). */
export const isCountry = (code: string): boolean => {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.test(code)) return false;
  try {
    return regionNames.of(code) !== code;
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

export interface PlaceInput {
  timezone: string;
  country: string;
  latitude: number | null;
  longitude: number | null;
  opening_hours: OpeningHours;
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
  issues.push(...openingHoursIssues(p.opening_hours));
  const first = issues[0];
  if (first) throw validation(`${first.path} ${first.message}`, issues);
};
