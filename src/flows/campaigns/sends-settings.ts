/**
 * Messaging settings (plaza_settings): the frequency cap, quiet hours and the default timezone,
 * edited with PUT /admin/messaging/settings and read by the gate (gate.ts) on every check.
 */
import type { Queryable } from '../../platform/db.ts';
import { setSetting } from '../../platform/settings.ts';

export interface CapSetting {
  per_day: number;
  per_week: number;
}
export interface QuietHours {
  start: string;
  end: string;
}
export interface MessagingSettings {
  cap: CapSetting;
  quiet_hours: QuietHours;
  default_timezone: string;
}

export const DEFAULT_CAP: CapSetting = { per_day: 1, per_week: 3 };
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

const zoneCache = new Map<string, boolean>();
/** True for an IANA timezone name this runtime knows (Intl). */
export const isTimeZone = (tz: unknown): tz is string => {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  const hit = zoneCache.get(tz);
  if (hit !== undefined) return hit;
  let ok = false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    ok = true;
  } catch {
    ok = false;
  }
  if (zoneCache.size < 10_000) zoneCache.set(tz, ok);
  return ok;
};

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The settings in force (defaults for what was never set, or set to something unusable). */
export const messagingSettings = async (q: Queryable): Promise<MessagingSettings> => {
  const r = await q.query<{ key: string; value: unknown }>(
    `SELECT key, value FROM plaza_settings WHERE key IN ('messaging.cap', 'messaging.quiet_hours', 'messaging.default_timezone')`,
  );
  const v = new Map(r.rows.map((x) => [x.key, x.value]));
  const cap = v.get('messaging.cap') as Partial<CapSetting> | undefined;
  const quiet = v.get('messaging.quiet_hours') as Partial<QuietHours> | undefined;
  const tz = v.get('messaging.default_timezone');
  const int = (n: unknown, d: number) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : d);
  return {
    cap: {
      per_day: int(cap?.per_day, DEFAULT_CAP.per_day),
      per_week: int(cap?.per_week, DEFAULT_CAP.per_week),
    },
    quiet_hours:
      quiet &&
      typeof quiet.start === 'string' &&
      typeof quiet.end === 'string' &&
      HHMM.test(quiet.start) &&
      HHMM.test(quiet.end)
        ? { start: quiet.start, end: quiet.end }
        : DEFAULT_QUIET_HOURS,
    default_timezone: isTimeZone(tz) ? tz : 'UTC',
  };
};

/** Stores the settings (validated by the route). */
export const saveMessagingSettings = async (q: Queryable, s: MessagingSettings): Promise<void> => {
  await setSetting(q, 'messaging.cap', s.cap);
  await setSetting(q, 'messaging.quiet_hours', s.quiet_hours);
  await setSetting(q, 'messaging.default_timezone', s.default_timezone);
};
