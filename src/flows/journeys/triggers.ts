/**
 * Triggers found by polling: track events in the event store (client events and Plaza's facts such as
 * Order Completed), idle carts of known customers, and date traits (a birthday). Every pass is
 * idempotent: an entry is unique per (journey, customer, trigger key), so a pass that runs twice, or
 * two workers, enter a customer once.
 */
import { DateTime } from 'luxon';
import type { Deps } from '../../platform/module.ts';
import { getSetting, setSetting } from '../../platform/settings.ts';
import { activeTriggers, enroll } from './repo.ts';

/** Events received this long before the last pass are looked at again (transactions commit late). */
const EVENT_OVERLAP_MS = 2 * 60_000;
const EVENT_BATCH = 1000;
const cursorKey = (journeyId: string) => `journeys.event_cursor.${journeyId}`;

type JobDeps = Pick<Deps, 'db' | 'clock'>;

/**
 * Event triggers: the events of each active event journey received since its last pass (the first
 * pass starts at its first publication; a newer version carries on where the last one stopped) enter
 * their customers. Key: the event's message id, or `once` (once_per customer).
 */
export const scanEventTriggers = async (deps: JobDeps, batch = EVENT_BATCH): Promise<number> => {
  const now = deps.clock.now();
  // paused journeys take no one: their cursor moves on, so resuming does not replay the pause
  const paused = await deps.db.query<{ id: string }>(
    `SELECT j.id FROM journeys j JOIN journey_versions v ON v.journey_id = j.id AND v.version = j.current_version
     WHERE j.status = 'paused' AND v.trigger->>'type' = 'event'`,
  );
  for (const p of paused.rows) {
    const after = new Date(now.getTime() + 1).toISOString();
    await setSetting(deps.db, cursorKey(p.id), { at: after, floor: after });
  }
  const journeys = await activeTriggers(deps.db, 'event');
  let entered = 0;
  for (const j of journeys) {
    const cursor = await getSetting<{ at: string; id?: string; floor?: string }>(
      deps.db,
      cursorKey(j.journey_id),
    );
    // never before the first publication, nor before the end of a pause
    const floor = cursor?.floor ?? j.published_at.toISOString();
    // Caught up last time: look again at the last EVENT_OVERLAP_MS (late commits). In the middle of a
    // backlog: carry on strictly after the last event read (received_at, id), so a burst of more than
    // a batch within the overlap cannot hold the cursor in place.
    const after = cursor?.id ? { at: new Date(cursor.at), id: cursor.id } : null;
    const from = new Date(
      Math.max(cursor ? new Date(cursor.at).getTime() - EVENT_OVERLAP_MS : 0, new Date(floor).getTime()),
    );
    const { rows } = await deps.db.query<{
      id: string;
      customer_id: string;
      message_id: string;
      properties: Record<string, unknown>;
      received_at: Date;
    }>(
      `SELECT id, customer_id, message_id, properties, received_at FROM events
       WHERE event = $1 AND type = 'track' AND customer_id IS NOT NULL AND received_at <= $3
         AND ${after ? '(received_at, id) > ($2::timestamptz, $5::bigint)' : 'received_at >= $2'}
       ORDER BY received_at, id LIMIT $4`,
      after ? [j.trigger.event, after.at, now, batch, after.id] : [j.trigger.event, from, now, batch],
    );
    if (rows.length) {
      const once = j.trigger.once_per === 'customer';
      entered += await deps.db.tx((tx) =>
        enroll(
          tx,
          rows.map((r) => ({
            journeyId: j.journey_id,
            version: j.version,
            customerId: r.customer_id,
            triggerKey: once ? 'once' : r.message_id,
            context: { event: j.trigger.event, message_id: r.message_id, ...r.properties },
          })),
          now,
        ),
      );
    }
    // a full batch: carry on after its last event; otherwise everything up to now was seen
    const last = rows.at(-1);
    await setSetting(
      deps.db,
      cursorKey(j.journey_id),
      rows.length === batch && last
        ? { at: last.received_at.toISOString(), id: last.id, floor }
        : { at: now.toISOString(), floor },
    );
  }
  return entered;
};

/**
 * Abandoned carts: active carts of known customers, with lines, untouched for the trigger's idle
 * minutes (and not older than max_age_hours, so a new journey does not mail every old cart). Key: the
 * cart id, so a cart is reminded of once.
 */
export const scanIdleCarts = async (deps: JobDeps, batch = 500): Promise<number> => {
  const journeys = await activeTriggers(deps.db, 'cart_abandoned');
  let entered = 0;
  for (const j of journeys) {
    const now = deps.clock.now();
    const idleSince = new Date(now.getTime() - j.trigger.idle_minutes * 60_000);
    const oldest = new Date(idleSince.getTime() - (j.trigger.max_age_hours ?? 72) * 3_600_000);
    const { rows } = await deps.db.query<{ id: string; customer_id: string; origin_channel_id: string }>(
      `SELECT c.id, c.customer_id, c.origin_channel_id FROM carts c
       WHERE c.status = 'active' AND c.customer_id IS NOT NULL AND c.order_id IS NULL
         AND c.updated_at <= $1 AND c.updated_at > $2
         AND EXISTS (SELECT 1 FROM cart_lines l WHERE l.cart_id = c.id)
         AND NOT EXISTS (SELECT 1 FROM journey_enrollments e
                         WHERE e.journey_id = $3 AND e.customer_id = c.customer_id AND e.trigger_key = c.id)
       ORDER BY c.updated_at LIMIT $4`,
      [idleSince, oldest, j.journey_id, batch],
    );
    if (rows.length === 0) continue;
    entered += await deps.db.tx((tx) =>
      enroll(
        tx,
        rows.map((c) => ({
          journeyId: j.journey_id,
          version: j.version,
          customerId: c.customer_id,
          triggerKey: c.id,
          context: { cart_id: c.id, channel_id: c.origin_channel_id },
        })),
        now,
      ),
    );
  }
  return entered;
};

/**
 * Date traits, once a day per customer: customers whose date (customers.birthday for `birthday`,
 * else a trait holding 'YYYY-MM-DD…') has its anniversary `offset_days` from today (UTC) enter,
 * keyed by the year of that anniversary. 29 February counts on 28 February in other years.
 */
export const scanDateTraits = async (deps: JobDeps): Promise<number> => {
  const journeys = await activeTriggers(deps.db, 'date_trait');
  let entered = 0;
  for (const j of journeys) {
    const now = deps.clock.now();
    const target = DateTime.fromJSDate(now, { zone: 'UTC' }).plus({ days: -j.trigger.offset_days });
    const md = target.toFormat('MM-dd');
    const mds = md === '02-28' && !target.isInLeapYear ? [md, '02-29'] : [md];
    const source =
      j.trigger.trait === 'birthday'
        ? `SELECT id AS customer_id, birthday::text AS d FROM customers WHERE status = 'active' AND birthday IS NOT NULL AND $3::text IS NULL`
        : `SELECT customer_id, value #>> '{}' AS d FROM customer_traits WHERE key = $3 AND jsonb_typeof(value) = 'string'`;
    const { rows } = await deps.db.query<{ customer_id: string }>(
      `SELECT customer_id FROM (${source}) x
       WHERE d ~ '^\\d{4}-\\d{2}-\\d{2}' AND substr(d, 6, 5) = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM journey_enrollments e
                         WHERE e.journey_id = $2 AND e.customer_id = x.customer_id AND e.trigger_key = $4)
       LIMIT 5000`,
      [mds, j.journey_id, j.trigger.trait === 'birthday' ? null : j.trigger.trait, String(target.year)],
    );
    if (rows.length === 0) continue;
    entered += await deps.db.tx((tx) =>
      enroll(
        tx,
        rows.map((r) => ({
          journeyId: j.journey_id,
          version: j.version,
          customerId: r.customer_id,
          triggerKey: String(target.year),
          context: { trait: j.trigger.trait, date: target.toISODate() },
        })),
        now,
      ),
    );
  }
  return entered;
};
