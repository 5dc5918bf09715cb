/**
 * The single customer view's feed: everything that happened with a customer, from every channel, in
 * one time-ordered, keyset-paged list (newest first). Built from the outbox — every event about a
 * customer carries `customer_id`, and order and payment events are also found through the customer's
 * orders — plus the carts table (their carts, and anonymous carts from their linked devices). Any
 * event type with a `customer_id` shows up; known families get a `kind`. Tracked `track` events (from
 * the shop, app and POS through /v1) join as kind `tracked`. Events about an order follow
 * the order: after a merge or its undo they appear on whichever profile holds the order now.
 */
import { cartsOfCustomers } from '../../modules/carts/index.ts';
import { identitiesOf, withMergedAliases } from '../../modules/customers/index.ts';
import { type CustomerOrderFact, customerOrderFacts } from '../../modules/orders/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/schemas.ts';

export const KINDS: readonly [string, string][] = [
  ['order.', 'order'],
  ['payment.', 'payment'],
  ['refund.', 'return'],
  ['return.', 'return'],
  ['pickup.', 'pickup'],
  ['pos.', 'in_store_sale'],
  ['cart.', 'cart'],
  ['consent.confirmation_requested', 'message'],
  ['message.', 'message'],
  ['notification.', 'message'],
  ['consent.', 'consent'],
  ['loyalty.', 'loyalty'],
  ['identity.', 'identity'],
  ['privacy.', 'privacy'],
  ['customer.', 'profile'],
];

export const kindOf = (type: string): string => KINDS.find(([p]) => type.startsWith(p))?.[1] ?? 'other';

/** Secrets never shown in a feed (confirmation tokens travel in events for the mailer only). */
const HIDDEN = new Set(['token', 'password', 'password_hash', 'token_hash']);

export interface TimelineEntry {
  id: string;
  at: string;
  kind: string;
  type: string;
  channel_id: string | null;
  location_id: string | null;
  order_id: string | null;
  data: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

interface EventRow {
  id: string;
  type: string;
  data: Record<string, unknown>;
  occurred_at: Date;
}

const eventEntry = (e: EventRow, orders: Map<string, CustomerOrderFact>): TimelineEntry => {
  const orderId = str(e.data.order_id);
  const o = orderId ? orders.get(orderId) : undefined;
  return {
    id: e.id,
    at: e.occurred_at.toISOString(),
    kind: kindOf(e.type),
    type: e.type,
    channel_id: str(e.data.channel_id) ?? o?.channel_id ?? null,
    location_id:
      str(e.data.location_id) ??
      str(e.data.pickup_location_id) ??
      str(e.data.selling_location_id) ??
      o?.pickup_location_id ??
      o?.selling_location_id ??
      null,
    order_id: orderId,
    data: Object.fromEntries(Object.entries(e.data).filter(([k]) => !HIDDEN.has(k))),
  };
};

/**
 * One page of a customer's timeline, newest first. `cursor` is the `next_cursor` of the previous page.
 */
export const customerTimeline = async (
  q: Queryable,
  customerId: string,
  page: { limit: number; cursor?: string },
): Promise<{ data: TimelineEntry[]; next_cursor: string | null }> => {
  const ids = await withMergedAliases(q, customerId);
  const [facts, devices] = await Promise.all([
    customerOrderFacts(q, ids),
    identitiesOf(q, ids, { kind: 'anonymous' }),
  ]);
  const orders = new Map(facts.map((f) => [f.id, f]));
  const orderIds = [...orders.keys()];
  const c = decodeCursor(page.cursor);
  const before = c && typeof c[0] === 'string' && typeof c[1] === 'string' ? { at: c[0], id: c[1] } : null;
  const { rows } = await q.query<EventRow>(
    `SELECT id, type, data, occurred_at FROM outbox_events
     WHERE (((data ->> 'customer_id') = ANY($1) AND ((data ->> 'order_id') IS NULL OR (data ->> 'order_id') = ANY($2)))
            OR (data ->> 'order_id') = ANY($2)
            OR (aggregate_type = 'order' AND aggregate_id = ANY($2)))
       AND ($3::timestamptz IS NULL OR occurred_at < $3 OR (occurred_at = $3 AND id COLLATE "C" < $4))
     ORDER BY occurred_at DESC, id COLLATE "C" DESC LIMIT $5`,
    [ids, orderIds, before?.at ?? null, before?.id ?? '', page.limit + 1],
  );
  // Tracked `track` events from the shop, app and POS (Plaza's own facts are the outbox events above).
  const tracked = await q.query<{
    id: string;
    event: string | null;
    channel_id: string | null;
    location_id: string | null;
    source_id: string;
    properties: Record<string, unknown>;
    timestamp: Date;
  }>(
    `SELECT id::text AS id, event, channel_id, location_id, source_id, properties, "timestamp" FROM events
     WHERE customer_id = ANY($1) AND origin = 'client' AND type = 'track'
       AND ($2::timestamptz IS NULL OR "timestamp" < $2 OR ("timestamp" = $2 AND ('trk_' || id) COLLATE "C" < $3))
     ORDER BY "timestamp" DESC, ('trk_' || id) COLLATE "C" DESC LIMIT $4`,
    [
      ids,
      before && !Number.isNaN(Date.parse(before.at)) ? new Date(before.at).toISOString() : null,
      before?.id ?? '',
      page.limit + 1,
    ],
  );
  const trackedEntries = tracked.rows.map(
    (e): TimelineEntry => ({
      id: `trk_${e.id}`,
      at: e.timestamp.toISOString(),
      kind: 'tracked',
      type: 'event.tracked',
      channel_id: e.channel_id,
      location_id: e.location_id,
      order_id: str(e.properties.order_id),
      data: { event: e.event, source_id: e.source_id, properties: e.properties },
    }),
  );
  const carts = (
    await cartsOfCustomers(
      q,
      ids,
      devices.map((d) => d.value),
    )
  )
    .filter(
      (k) =>
        !before ||
        k.created_at.toISOString() < before.at ||
        (k.created_at.toISOString() === before.at && k.id < before.id),
    )
    .map(
      (k): TimelineEntry => ({
        id: k.id,
        at: k.created_at.toISOString(),
        kind: 'cart',
        type: 'cart.created',
        channel_id: k.origin_channel_id,
        location_id: null,
        order_id: k.order_id,
        data: {
          cart_id: k.id,
          status: k.status,
          anonymous: k.customer_id === null,
          updated_at: k.updated_at.toISOString(),
        },
      }),
    );
  const all = [...rows.map((e) => eventEntry(e, orders)), ...carts, ...trackedEntries].sort((x, y) =>
    x.at === y.at ? (x.id < y.id ? 1 : -1) : x.at < y.at ? 1 : -1,
  );
  const data = all.slice(0, page.limit);
  const last = data.at(-1);
  return { data, next_cursor: all.length > page.limit && last ? encodeCursor([last.at, last.id]) : null };
};
