/**
 * Who may be sent what, now: the gate of every send, at plan time (the planner, over the audience in
 * chunks) and again at send time (the sender, per claimed batch). Set-based: a handful of queries per
 * call whatever the number of customers, and the timezone arithmetic once per distinct zone.
 * The first reason that applies wins, in this order: erased (or unknown/merged: their survivor is the
 * recipient) → restricted (marketing) → no_consent (marketing) → suppressed (an erased identity's
 * address) → bounced_before → no_address → capped (marketing) → quiet hours (marketing: delayed).
 */

import type { ConsentStatus, ContactChannel } from '../../modules/consent/index.ts';
import { canContactMany, currentConsentStatusesByChannel } from '../../modules/consent/index.ts';
import {
  type ContactProfile,
  contactProfiles,
  suppressedAmong,
  suppressionHash,
} from '../../modules/customers/index.ts';
import {
  bouncedAmong,
  marketingTouches,
  pushAddresses,
  type SkipReason,
} from '../../modules/messaging/index.ts';
import { type Medium, SENT_MEDIA, type SentMedium } from '../../modules/messaging/types.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { isTimeZone, type MessagingSettings, messagingSettings, type QuietHours } from './sends-settings.ts';

export type GateDecision =
  | {
      ok: true;
      /** where to send (e-mail, E.164 phone, FCM token or endpoint id); null for shown media (banner, pos …) */
      address: string | null;
      /** the recipient's IANA timezone (profile trait, preferred store, or the shop's default) */
      timezone: string;
      /** set when quiet hours hold the message back: send at this time instead (never dropped) */
      delayUntil?: Date;
      /** marketing: how many more marketing touches the cap allows now (the sender spends it per batch) */
      capLeft?: number;
    }
  | { ok: false; reason: SkipReason };

/** The consent channel of each medium (purpose marketing). */
export const MEDIUM_CHANNEL: Record<Medium, ContactChannel> = {
  email: 'email',
  sms: 'sms',
  push: 'push',
  web_push: 'push',
  banner: 'in_app',
  in_app: 'in_app',
  print: 'mail',
  ads: 'ads',
  pos: 'in_store',
};

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Minutes to add to UTC to get the wall clock in `tz` at `at`. */
export const tzOffsetMinutes = (tz: string, at: Date): number => {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0);
  return Math.round((wall - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
};

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When quiet hours hold a message in `tz` at `now`: the next end of quiet hours (in that zone), else
 * undefined. Quiet hours may wrap midnight (21:00–08:00).
 */
export const quietUntil = (q: QuietHours, tz: string, now: Date): Date | undefined => {
  const s = minutesOf(q.start);
  const e = minutesOf(q.end);
  if (s === e) return undefined;
  const offset = tzOffsetMinutes(tz, now);
  const local = new Date(now.getTime() + offset * 60_000);
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  const inside = s < e ? m >= s && m < e : m >= s || m < e;
  if (!inside) return undefined;
  const day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const targetWall = day + (m < e ? 0 : 86_400_000) + e * 60_000;
  // the offset at the target (a DST change may lie in between)
  const guess = new Date(targetWall - offset * 60_000);
  return new Date(targetWall - tzOffsetMinutes(tz, guess) * 60_000);
};

/** Each customer's timezone: trait `timezone` if a valid IANA zone, else the preferred store's, else the default. */
const timezones = async (
  q: Queryable,
  profiles: Map<string, ContactProfile>,
  ids: readonly string[],
  fallback: string,
): Promise<Map<string, string>> => {
  const locations = [
    ...new Set([...profiles.values()].flatMap((p) => (p.preferredLocationId ? [p.preferredLocationId] : []))),
  ];
  const [traits, stores] = await Promise.all([
    ids.length
      ? q.query<{ customer_id: string; tz: string | null }>(
          `SELECT customer_id, value #>> '{}' AS tz FROM customer_traits
           WHERE customer_id = ANY($1::text[]) AND key = 'timezone' AND jsonb_typeof(value) = 'string'`,
          [ids],
        )
      : { rows: [] },
    locations.length
      ? q.query<{ id: string; timezone: string }>(
          'SELECT id, timezone FROM locations WHERE id = ANY($1::text[])',
          [locations],
        )
      : { rows: [] },
  ]);
  const trait = new Map(traits.rows.map((r) => [r.customer_id, r.tz]));
  const store = new Map(stores.rows.map((r) => [r.id, r.timezone]));
  const out = new Map<string, string>();
  for (const id of ids) {
    const t = trait.get(id);
    const loc = profiles.get(id)?.preferredLocationId;
    const s = loc ? store.get(loc) : undefined;
    out.set(id, isTimeZone(t) ? t : isTimeZone(s) ? s : fallback);
  }
  return out;
};

const contactAddress = (
  p: ContactProfile,
  medium: Medium,
  push: Map<string, string>,
): string | null | undefined => {
  if (medium === 'email') return p.email || undefined;
  if (medium === 'sms') return p.phone || undefined;
  if (medium === 'push' || medium === 'web_push') return push.get(p.id);
  return null; // shown media need no address
};

const hashOfErased = (deps: Deps, medium: Medium, address: string): string | undefined =>
  medium === 'email'
    ? suppressionHash(deps, 'email', address.trim().toLowerCase())
    : medium === 'sms'
      ? suppressionHash(deps, 'phone', address)
      : undefined;

/** What the gate reads once per call whatever the number of media: profiles, cap counts, timezones. */
interface Shared {
  settings: MessagingSettings;
  profiles: Map<string, ContactProfile>;
  touches: Map<string, { day: number; week: number }>;
  zones: Map<string, string>;
  /** marketing: the current consent per contact channel of the media asked */
  consents: Map<ContactChannel, Map<string, ConsentStatus>>;
}

/** One medium's decisions over the shared reads: consent on its channel, suppression, address, cap, quiet hours. */
const decide = async (
  q: Queryable,
  deps: Deps,
  ids: readonly string[],
  medium: Medium,
  marketing: boolean,
  now: Date,
  s: Shared,
): Promise<Map<string, GateDecision>> => {
  const out = new Map<string, GateDecision>();
  const { settings, profiles, touches, zones } = s;
  const contact = await canContactMany(
    q,
    ids,
    {
      purpose: 'marketing',
      channel: MEDIUM_CHANNEL[medium],
      kind: marketing ? 'marketing' : 'transactional',
    },
    profiles,
    s.consents.get(MEDIUM_CHANNEL[medium]),
  );
  const allowed = ids.filter((id) => contact.get(id)?.allowed);
  const push =
    medium === 'push' || medium === 'web_push'
      ? await pushAddresses(q, allowed, medium)
      : new Map<string, string>();
  const addresses = new Map<string, string | null | undefined>();
  // A profile's e-mail and phone are stored normalised (normalizeIdentity, a fixed point of itself:
  // phones.test.ts), so the bounce list's key (addressHash) is the erasure list's: one HMAC, no
  // second libphonenumber parse (15 µs a number, most of the gate's CPU for SMS at 1M recipients).
  const hashes = new Map<string, string>();
  for (const id of allowed) {
    const p = profiles.get(id) as ContactProfile;
    const addr = contactAddress(p, medium, push);
    addresses.set(id, addr);
    const h = addr ? hashOfErased(deps, medium, addr) : undefined;
    if (h) hashes.set(id, h);
  }
  const keys = [...hashes.values()];
  const [erased, bounced] = await Promise.all([suppressedAmong(q, keys), bouncedAmong(q, keys)]);
  const quiet = new Map<string, Date | undefined>();
  for (const id of ids) {
    const c = contact.get(id);
    if (!c?.allowed) {
      const reason: SkipReason =
        c?.reason === 'processing_restricted'
          ? 'restricted'
          : c?.reason === 'erased' || c?.reason === 'unknown_customer'
            ? 'erased'
            : 'no_consent';
      out.set(id, { ok: false, reason });
      continue;
    }
    const h = hashes.get(id);
    if (h && erased.has(h)) {
      out.set(id, { ok: false, reason: 'suppressed' });
      continue;
    }
    if (h && bounced.has(h)) {
      out.set(id, { ok: false, reason: 'bounced_before' });
      continue;
    }
    const address = addresses.get(id);
    if (address === undefined) {
      out.set(id, { ok: false, reason: 'no_address' });
      continue;
    }
    const timezone = zones.get(id) ?? settings.default_timezone;
    if (!marketing) {
      out.set(id, { ok: true, address, timezone });
      continue;
    }
    const t = touches.get(id) ?? { day: 0, week: 0 };
    const capLeft = Math.min(settings.cap.per_day - t.day, settings.cap.per_week - t.week);
    if (capLeft <= 0) {
      out.set(id, { ok: false, reason: 'capped' });
      continue;
    }
    if (!SENT_MEDIA.includes(medium as SentMedium)) {
      out.set(id, { ok: true, address, timezone, capLeft });
      continue;
    }
    if (!quiet.has(timezone)) quiet.set(timezone, quietUntil(settings.quiet_hours, timezone, now));
    const delayUntil = quiet.get(timezone);
    out.set(
      id,
      delayUntil
        ? { ok: true, address, timezone, delayUntil, capLeft }
        : { ok: true, address, timezone, capLeft },
    );
  }
  return out;
};

/**
 * One decision per customer for each of several media, in a few set-based queries (used by the
 * campaign planner over the whole audience in chunks): erased or restricted, consent for the purpose
 * on each medium's contact channel, the suppression lists, an address for the medium, the frequency
 * cap (marketing only) and quiet hours in the customer's own timezone. Profiles, the cap's counts and
 * timezones are read once for all media. `settings` may be passed by a caller that checks many chunks.
 */
export const gateCheckMedia = async (
  q: Queryable,
  deps: Deps,
  a: {
    customerIds: readonly string[];
    media: readonly Medium[];
    marketing: boolean;
    now: Date;
    settings?: MessagingSettings;
  },
): Promise<Map<Medium, Map<string, GateDecision>>> => {
  const out = new Map<Medium, Map<string, GateDecision>>();
  const ids = [...new Set(a.customerIds)];
  if (ids.length === 0) {
    for (const m of a.media) out.set(m, new Map());
    return out;
  }
  const settings = a.settings ?? (await messagingSettings(q));
  const profiles = await contactProfiles(q, ids);
  // the cap and timezones matter only for live customers (erased, merged and unknown ids are refused first)
  const live = ids.filter((id) => profiles.get(id)?.status === 'active');
  // consent is asked only of live customers whose processing is not restricted (canContactMany's rule)
  const asked = a.marketing ? live.filter((id) => !profiles.get(id)?.restricted) : [];
  const channels = [...new Set(a.media.map((m) => MEDIUM_CHANNEL[m]))];
  const [touches, zones, consents] = await Promise.all([
    a.marketing ? marketingTouches(q, live, a.now) : new Map<string, { day: number; week: number }>(),
    timezones(q, profiles, live, settings.default_timezone),
    a.marketing
      ? currentConsentStatusesByChannel(q, asked, 'marketing', channels)
      : new Map<ContactChannel, Map<string, ConsentStatus>>(),
  ]);
  const shared: Shared = { settings, profiles, touches, zones, consents };
  for (const m of new Set(a.media)) out.set(m, await decide(q, deps, ids, m, a.marketing, a.now, shared));
  return out;
};

/** One decision per customer for one medium (gateCheckMedia for a single medium). */
export const gateCheck = async (
  q: Queryable,
  deps: Deps,
  a: {
    customerIds: readonly string[];
    medium: Medium;
    marketing: boolean;
    now: Date;
    settings?: MessagingSettings;
  },
): Promise<Map<string, GateDecision>> =>
  (await gateCheckMedia(q, deps, { ...a, media: [a.medium] })).get(a.medium) ?? new Map();
