/**
 * The touches attribution credits (docs/analytics.md, "Attribution"), copied from the event store by
 * a cursor on received_at into `analytics_touches` (one compact row per touch, indexed by customer
 * and time):
 * - Plaza's own campaign touches (source src_plaza): e-mail and SMS link clicks, push taps, banner
 *   and in-app promotion clicks, offers shown at the POS, coupons redeemed (a brochure's code or QR);
 *   never a holdout's. Medium and campaign come from the touch's properties.
 * - Store visits: a pickup collected (`Order Picked Up`), medium `store`, campaign `store:<location>`.
 * - Clients' events that arrived from an ad or another site: a UTM medium (context.campaign.medium)
 *   other than Plaza's own media (those clicks are already Plaza's touches). The medium is the UTM
 *   medium (`cpc`, `social` …), the campaign `utm:<utm_campaign>`.
 * Each new touch marks the days whose attribution it changes: its own (a path that did not convert
 * ends there), the customer's previous touch (that path goes on now) and the customer's sales in
 * the lookback after it.
 */
import { PLAZA_SOURCE_ID } from '../../modules/events/index.ts';
import { MEDIA } from '../../modules/messaging/types.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { getSetting, setSetting } from '../../platform/settings.ts';
import { analyticsTimeZone, lookbackDays } from './options.ts';

export const TOUCH_EVENTS = [
  'Email Link Clicked',
  'Message Link Clicked',
  'Push Notification Tapped',
  'Promotion Clicked',
  'Offer Shown',
  'Coupon Applied',
] as const;

/** A store visit: the customer came to collect a pickup (Plaza's own fact, docs/customer-data.md). */
export const STORE_VISIT_EVENT = 'Order Picked Up';

const CURSOR_SETTING = 'analytics.touch_cursor';
const VISIT_CURSOR_SETTING = 'analytics.visit_cursor';
/** Events read per run; the cursor re-reads 5 s before its position (a late commit is not skipped). */
const BATCH = 5_000;
const OVERLAP_MS = 5_000;

/** The SQL condition of a touch on events aliased `e` ($1 touch event names, $2 Plaza's media). */
const IS_TOUCH = `((e.source_id = '${PLAZA_SOURCE_ID}' AND e.type = 'track' AND e.event = ANY($1::text[])
    AND coalesce(e.properties->>'holdout', 'false') <> 'true' AND coalesce(e.properties->>'medium', '') <> '')
  OR (e.source_id = '${PLAZA_SOURCE_ID}' AND e.type = 'track' AND e.event = '${STORE_VISIT_EVENT}')
  OR (e.source_id <> '${PLAZA_SOURCE_ID}' AND coalesce(e.context->'campaign'->>'medium', '') <> ''
    AND lower(e.context->'campaign'->>'medium') <> ALL($2::text[])))`;
const MEDIUM = `CASE WHEN e.event = '${STORE_VISIT_EVENT}' AND e.source_id = '${PLAZA_SOURCE_ID}' THEN 'store'
  WHEN e.source_id = '${PLAZA_SOURCE_ID}' THEN e.properties->>'medium'
  ELSE left(lower(e.context->'campaign'->>'medium'), 64) END`;
const CAMPAIGN = `CASE WHEN e.event = '${STORE_VISIT_EVENT}' AND e.source_id = '${PLAZA_SOURCE_ID}'
    THEN coalesce('store:' || e.location_id, 'store')
  WHEN e.source_id = '${PLAZA_SOURCE_ID}'
  THEN coalesce(e.properties->>'campaign_id', e.properties->>'journey_id', '')
  ELSE left('utm:' || coalesce(e.context->'campaign'->>'name', ''), 200) END`;

interface NewTouch {
  customer_id: string;
  at: Date;
}

/**
 * Marks the days a set of new touches changes (see the file's comment). `touches` are grouped per
 * customer: their own days, the customer's touch before the earliest of them (within the lookback),
 * and the customer's orders in the lookback after each.
 */
const markTouchDays = async (tx: Tx, touches: readonly NewTouch[], now: Date): Promise<void> => {
  if (touches.length === 0) return;
  const tz = await analyticsTimeZone(tx);
  const lookback = `${await lookbackDays(tx)} days`;
  await tx.query(
    `WITH t AS (SELECT * FROM unnest($1::text[], $2::timestamptz[]) AS t (customer_id, at)),
     days AS (
       SELECT t.at AS x FROM t
       UNION ALL
       SELECT (SELECT max(p.at) FROM analytics_touches p
               WHERE p.customer_id = t.customer_id AND p.at < t.at AND p.at >= t.at - $4::interval) FROM t
       UNION ALL
       SELECT o.placed_at FROM t JOIN orders o ON o.customer_id = t.customer_id
       WHERE o.placed_at > t.at AND o.placed_at <= t.at + $4::interval)
     INSERT INTO analytics_dirty_days (day, marked_at)
     SELECT DISTINCT (x AT TIME ZONE $3)::date, $5::timestamptz FROM days WHERE x IS NOT NULL`,
    [touches.map((t) => t.customer_id), touches.map((t) => t.at), tz, lookback, now],
  );
};

/**
 * A run's window of the event store: from the cursor (setting `setting`, a received_at) minus the
 * overlap, up to a batch of matching events past the cursor (or now). `save` moves the cursor to
 * the last matching event read; an idle run writes nothing. `where` may use $1… of `params`.
 * The cursor is kept as PostgreSQL's own text of the instant, to the microsecond: a JavaScript Date
 * would cut it to the millisecond, and the last event would be read past the cursor forever.
 */
const eventWindow = async (tx: Tx, setting: string, where: string, params: unknown[], now: Date) => {
  const cursor = (await getSetting<string>(tx, setting)) ?? '-infinity';
  const n = params.length;
  const read = await tx.query<{ at: string }>(
    `SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM (
       SELECT received_at FROM events e
       WHERE received_at > $${n + 1}::timestamptz AND received_at <= $${n + 2} AND ${where}
       ORDER BY received_at LIMIT ${BATCH}) x`,
    [...params, cursor, now],
  );
  const last = read.rows.at(-1)?.at;
  const from = cursor === '-infinity' ? new Date(0) : new Date(Date.parse(cursor) - OVERLAP_MS);
  return {
    from,
    /** A full batch ends at its last event (to the microsecond), else at now. */
    upto: read.rows.length === BATCH && last ? last : now.toISOString(),
    read: read.rows.length,
    save: async () => {
      if (last) await setSetting(tx, setting, last);
    },
  };
};

/**
 * One run of the touch cursor: copies the touches received since the cursor (with the overlap) and
 * marks their days. Returns how many new touches it copied.
 */
export const copyTouchesStep = async (deps: Pick<Deps, 'db' | 'clock'>): Promise<number> =>
  deps.db.tx(async (tx) => {
    const now = deps.clock.now();
    const where = `e.customer_id IS NOT NULL AND ${IS_TOUCH}`;
    const w = await eventWindow(tx, CURSOR_SETTING, where, [TOUCH_EVENTS, MEDIA], now);
    const added = await tx.query<NewTouch>(
      `INSERT INTO analytics_touches (event_id, received_at, customer_id, at, medium, campaign)
       SELECT e.id, e.received_at, e.customer_id, e."timestamp", ${MEDIUM}, ${CAMPAIGN}
       FROM events e WHERE e.received_at > $3 AND e.received_at <= $4::timestamptz AND ${where}
       ORDER BY e.id
       ON CONFLICT (event_id) DO NOTHING
       RETURNING customer_id, at`,
      [TOUCH_EVENTS, MEDIA, w.from, w.upto],
    );
    await markTouchDays(tx, added.rows, now);
    await w.save();
    return added.rows.length;
  });

const VISIT = `e.type IN ('page', 'screen') AND e.channel_id IS NOT NULL`;

/**
 * One run of the visit cursor: marks the days of the page and screen events received since the
 * cursor (their sessions are counted by the day's rebuild). Returns how many events it read past
 * the cursor.
 */
export const markVisitDaysStep = async (deps: Pick<Deps, 'db' | 'clock'>): Promise<number> =>
  deps.db.tx(async (tx) => {
    const now = deps.clock.now();
    const w = await eventWindow(tx, VISIT_CURSOR_SETTING, VISIT, [], now);
    if (w.read === 0) return 0;
    await tx.query(
      `INSERT INTO analytics_dirty_days (day, marked_at)
       SELECT DISTINCT (e."timestamp" AT TIME ZONE $3)::date, $4::timestamptz FROM events e
       WHERE e.received_at > $1 AND e.received_at <= $2::timestamptz AND ${VISIT}`,
      [w.from, w.upto, await analyticsTimeZone(tx), now],
    );
    await w.save();
    return w.read;
  });

/** A merge moved the merged profile's events to the survivor: its touches follow. */
export const moveTouches = async (tx: Tx, from: string, to: string): Promise<void> => {
  await tx.query('UPDATE analytics_touches SET customer_id = $2 WHERE customer_id = $1', [from, to]);
};

/** An undone merge gave the events back by what they carry: the touches take their event's owner again. */
export const retakeTouchOwners = async (tx: Tx, customerIds: readonly string[]): Promise<void> => {
  await tx.query(
    `UPDATE analytics_touches t SET customer_id = e.customer_id FROM events e
     WHERE t.customer_id = ANY($1) AND e.received_at = t.received_at AND e.id = t.event_id
       AND e.customer_id IS NOT NULL AND e.customer_id <> t.customer_id`,
    [customerIds],
  );
};
