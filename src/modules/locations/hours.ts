import type { OpeningHours } from './schema.ts';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Weekday and "HH:MM" of an instant in a time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
};

const localTime = (at: Date, timeZone: string): { day: (typeof DAYS)[number]; hhmm: string } => {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = get('weekday').slice(0, 3).toLowerCase() as (typeof DAYS)[number];
  return { day, hhmm: `${get('hour')}:${get('minute')}` };
};

/** Whether a location is open at `at`, and whether it still opens (or is open) later that local day. */
export const openingStatus = (
  l: { timezone: string; opening_hours: OpeningHours },
  at: Date,
): { open_now: boolean; open_later_today: boolean } => statusAt(l.opening_hours, localTime(at, l.timezone));

const statusAt = (hours: OpeningHours, { day, hhmm }: ReturnType<typeof localTime>) => {
  const today = hours[day] ?? [];
  return {
    open_now: today.some((i) => i.open <= hhmm && hhmm < i.close),
    open_later_today: today.some((i) => hhmm < i.close),
  };
};

/**
 * `openingStatus` for many locations at once, reading the local time once per time zone (formatting
 * a date in a time zone is the expensive part).
 */
export const openingStatuses = <L extends { id: string; timezone: string; opening_hours: OpeningHours }>(
  locations: readonly L[],
  at: Date,
): Map<string, { open_now: boolean; open_later_today: boolean }> => {
  const local = new Map<string, ReturnType<typeof localTime>>();
  const out = new Map<string, { open_now: boolean; open_later_today: boolean }>();
  for (const l of locations) {
    let t = local.get(l.timezone);
    if (!t) {
      t = localTime(at, l.timezone);
      local.set(l.timezone, t);
    }
    out.set(l.id, statusAt(l.opening_hours, t));
  }
  return out;
};
