/**
 * Opening hours, closures and promises in a location's own time zone (luxon, on the runtime's IANA
 * data): whether a store is open, when an order can really be ready, and deadlines that keep their
 * wall-clock time across daylight-saving changes.
 */
import { DateTime } from 'luxon';
import type { Closure, Interval, OpeningHours, Weekday } from './schema.ts';

/** What the time rules need to know about a location. */
export interface Hours {
  timezone: string;
  opening_hours: OpeningHours;
  closures?: readonly Closure[];
}

export interface OpeningStatus {
  open_now: boolean;
  open_later_today: boolean;
}

/** luxon's weekday 1..7 is Monday..Sunday. */
const LUXON_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const localOf = (at: Date, timeZone: string): DateTime => DateTime.fromJSDate(at, { zone: timeZone });

const within = (md: string, from: string, to: string): boolean =>
  from <= to ? from <= md && md <= to : md >= from || md <= to;

/** True when a closure (holiday, stock-taking …) covers this local date ("YYYY-MM-DD"). */
export const isClosedOn = (closures: readonly Closure[] | undefined, ymd: string): boolean =>
  (closures ?? []).some((c) => {
    const to = c.to ?? c.from;
    return c.yearly ? within(ymd.slice(5), c.from.slice(5), to.slice(5)) : c.from <= ymd && ymd <= to;
  });

const intervalsOn = (l: Hours, day: DateTime): readonly Interval[] =>
  isClosedOn(l.closures, day.toISODate() ?? '')
    ? []
    : (l.opening_hours[LUXON_DAYS[day.weekday - 1] as Weekday] ?? []);

const hhmm = (t: DateTime): string => t.toFormat('HH:mm');

const statusAt = (l: Hours, now: DateTime): OpeningStatus => {
  const today = intervalsOn(l, now);
  const t = hhmm(now);
  return {
    open_now: today.some((i) => i.open <= t && t < i.close),
    open_later_today: today.some((i) => t < i.close),
  };
};

/**
 * Whether a location is open at `at`, and whether it still opens (or is open) later that local day.
 * A closure day (holiday) is closed all day.
 */
export const openingStatus = (l: Hours, at: Date): OpeningStatus => statusAt(l, localOf(at, l.timezone));

/** `openingStatus` for many locations at once, reading the local time once per time zone. */
export const openingStatuses = <L extends Hours & { id: string }>(
  locations: readonly L[],
  at: Date,
): Map<string, OpeningStatus> => {
  const local = new Map<string, DateTime>();
  const out = new Map<string, OpeningStatus>();
  for (const l of locations) {
    let now = local.get(l.timezone);
    if (!now) {
      now = localOf(at, l.timezone);
      local.set(l.timezone, now);
    }
    out.set(l.id, statusAt(l, now));
  }
  return out;
};

/** The instant of a local "HH:MM" on a local day ("24:00" is the next midnight). */
const at = (day: DateTime, time: string): DateTime =>
  time === '24:00'
    ? day.startOf('day').plus({ days: 1 })
    : day.set({
        hour: Number(time.slice(0, 2)),
        minute: Number(time.slice(3, 5)),
        second: 0,
        millisecond: 0,
      });

/** How far ahead to look for an opening (a store closed for a year has no next opening). */
const HORIZON_DAYS = 400;

const hasHours = (l: Hours): boolean => Object.values(l.opening_hours).some((d) => d && d.length > 0);

/**
 * The first instant at or after `from` when the location is open, or null when it has no opening
 * hours or does not open within about a year.
 */
export const nextOpenAt = (l: Hours, from: Date): Date | null => {
  if (!hasHours(l)) return null;
  const start = localOf(from, l.timezone);
  for (let d = 0; d < HORIZON_DAYS; d++) {
    const day = start.startOf('day').plus({ days: d });
    for (const i of intervalsOn(l, day)) {
      const open = at(day, i.open);
      const close = at(day, i.close);
      if (close > start) return (open > start ? open : start).toJSDate();
    }
  }
  return null;
};

/**
 * When an order started at `from` that takes `minutes` to prepare (or bring by transfer) can be
 * collected: `from + minutes` if the location is open then, else its next opening after that
 * (Friday 19:50 in Paris + 120 minutes, closing at 20:00, is Saturday's opening, not 21:50).
 * Closures (holidays) count as closed. A location without opening hours is taken as always open.
 */
export const readyAt = (l: Hours, from: Date, minutes: number): Date => {
  const done = new Date(from.getTime() + minutes * 60_000);
  return nextOpenAt(l, done) ?? done;
};

/**
 * `days` calendar days after `from` at the same local wall-clock time in the location's time zone
 * (a 7-day hold from 12:00 ends at 12:00, even across a daylight-saving change).
 */
export const plusLocalDays = (timezone: string, from: Date, days: number): Date =>
  localOf(from, timezone).plus({ days }).toJSDate();
