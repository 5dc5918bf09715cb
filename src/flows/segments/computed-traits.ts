/**
 * Computed traits: the kinds of definition and the one SQL query per kind that computes their values
 * (for every live customer, or for a set of customers). Every value a definition holds is a query
 * parameter; nothing typed by a user is ever part of the SQL text. docs/segments.md lists the kinds.
 */
import { type Static, Type } from '@sinclair/typebox';
import { CurrencyCode, Obj, Str } from '../../platform/http/schemas.ts';
import { quintileSql, rfmGroupSql } from '../shared/rfm.ts';
import { cartLineAtRisk } from './compile-stock-risk.ts';
import { DEFAULT_RISK_DAYS, RiskDays } from './rules.ts';

const WindowDays = Type.Integer({ minimum: 1, maximum: 3650, description: 'Only the last N days' });
const ChannelType = Type.Union([Type.Literal('online'), Type.Literal('in_store')], {
  description:
    '`in_store`: sold at a store counter (POS or kiosk channel, or handed over in store); `online`: the rest',
});
const EventName = Str({ min: 1, max: 200, description: 'A track event name, e.g. `Product Viewed`' });

export const ComputedTraitDefinition = Type.Union(
  [
    Obj({
      kind: Type.Literal('order_count'),
      windowDays: Type.Optional(WindowDays),
      channelType: Type.Optional(ChannelType),
    }),
    Obj({
      kind: Type.Literal('total_spent'),
      currency: CurrencyCode,
      windowDays: Type.Optional(WindowDays),
      channelType: Type.Optional(ChannelType),
    }),
    Obj({ kind: Type.Literal('event_count'), event: EventName, windowDays: WindowDays }),
    Obj({ kind: Type.Literal('last_event_days'), event: Type.Optional(EventName) }),
    Obj({ kind: Type.Literal('last_visit_days'), channelType: Type.Optional(ChannelType) }),
    Obj({ kind: Type.Literal('favourite_category'), windowDays: Type.Optional(WindowDays) }),
    Obj({ kind: Type.Literal('preferred_store'), windowDays: Type.Optional(WindowDays) }),
    Obj({ kind: Type.Literal('channels_used'), windowDays: Type.Optional(WindowDays) }),
    Obj({ kind: Type.Literal('open_cart_value'), inStockOnly: Type.Boolean() }),
    Obj(
      { kind: Type.Literal('items_at_risk'), days: Type.Optional(RiskDays) },
      {
        description:
          "The SKUs of the open cart at risk of a stock-out at a location fulfilling the line's channel, sorted",
      },
    ),
    Obj({
      kind: Type.Literal('rfm'),
      currency: CurrencyCode,
      windowDays: Type.Optional(WindowDays),
      output: Type.Optional(
        Type.Union([Type.Literal('group'), Type.Literal('score')], {
          description:
            '`group` (default): champions, loyal, new, at_risk, hibernating or promising; `score`: R·100 + F·10 + M, e.g. 543',
        }),
      ),
    }),
  ],
  {
    $id: 'ComputedTraitDefinition',
    description: 'What the trait computes (docs/segments.md, "Computed traits")',
  },
);
export type ComputedTraitDefinition = Static<typeof ComputedTraitDefinition>;
export type ComputedTraitKind = ComputedTraitDefinition['kind'];

/**
 * The value of a customer for whom nothing is stored. Only values that differ from it are kept in
 * customer_computed_traits, so a rule over a computed trait reads `COALESCE(value, default)`.
 */
export const traitDefault = (kind: ComputedTraitKind): number | string[] | null => {
  switch (kind) {
    case 'order_count':
    case 'total_spent':
    case 'event_count':
    case 'open_cart_value':
      return 0;
    case 'channels_used':
    case 'items_at_risk':
      return [];
    default:
      return null;
  }
};

/** Collects query parameters; `add` answers the placeholder. */
export class Params {
  readonly values: unknown[] = [];
  add(v: unknown, cast = ''): string {
    this.values.push(v);
    return `$${this.values.length}${cast}`;
  }
}

/** Orders that count as bought: paid or past payment, neither cancelled nor an uncollected pickup. */
export const COUNTED_ORDER = `o.status NOT IN ('pending_payment', 'cancelled', 'expired')`;
/** An order sold in store (`ch` is the order's channel). */
export const IN_STORE_ORDER = `(ch.type IN ('pos', 'kiosk') OR o.fulfillment_type = 'in_store')`;

const channelCond = (t: 'online' | 'in_store' | undefined): string =>
  t === 'in_store' ? ` AND ${IN_STORE_ORDER}` : t === 'online' ? ` AND NOT ${IN_STORE_ORDER}` : '';

const windowCond = (col: string, days: number | undefined, now: string, p: Params): string =>
  days === undefined ? '' : ` AND ${col} >= ${now} - make_interval(days => ${p.add(days, '::int')})`;

const daysSince = (expr: string, now: string): string =>
  `to_jsonb(GREATEST(0, floor(extract(epoch FROM (${now} - ${expr})) / 86400))::int)`;

/** Counted orders of the customers in `scope`, with their channel as `ch` (and `joins`). */
const orders = (joins = ''): string => `orders o JOIN scope s ON s.id = o.customer_id
  JOIN channels ch ON ch.id = o.channel_id ${joins}
  WHERE ${COUNTED_ORDER}`;
const ORDERS = orders();

/**
 * A SELECT of (customer_id, value jsonb) for the customers of the CTE `scope(id)` whose value is not
 * the kind's default. `now` is the placeholder of the evaluation instant.
 */
export const traitValueSql = (d: ComputedTraitDefinition, now: string, p: Params): string => {
  switch (d.kind) {
    case 'order_count':
      return `SELECT o.customer_id, to_jsonb(count(*)) AS value FROM ${ORDERS}
        ${windowCond('o.placed_at', d.windowDays, now, p)}${channelCond(d.channelType)}
        GROUP BY o.customer_id`;
    case 'total_spent':
      return `SELECT x.customer_id, to_jsonb(sum(x.net)) AS value
        FROM (SELECT o.customer_id, o.total - COALESCE(r.amount, 0) AS net
              FROM ${orders(`LEFT JOIN LATERAL (SELECT sum(rf.amount) AS amount FROM refunds rf
                WHERE rf.order_id = o.id AND rf.status = 'succeeded') r ON true`)}
                AND o.currency = ${p.add(d.currency, '::text')}
                ${windowCond('o.placed_at', d.windowDays, now, p)}${channelCond(d.channelType)}) x
        GROUP BY x.customer_id
        HAVING sum(x.net) <> 0`;
    case 'event_count':
      return `SELECT e.customer_id, to_jsonb(count(*)) AS value
        FROM events e JOIN scope s ON s.id = e.customer_id
        WHERE e.event = ${p.add(d.event, '::text')} AND e."timestamp" <= ${now}
        ${windowCond('e."timestamp"', d.windowDays, now, p)}
        GROUP BY e.customer_id`;
    case 'last_event_days':
      return `SELECT e.customer_id, ${daysSince('max(e."timestamp")', now)} AS value
        FROM events e JOIN scope s ON s.id = e.customer_id
        WHERE e."timestamp" <= ${now}${d.event === undefined ? '' : ` AND e.event = ${p.add(d.event, '::text')}`}
        GROUP BY e.customer_id`;
    case 'last_visit_days':
      return lastVisitSql(d.channelType, now);
    case 'favourite_category':
      return `SELECT DISTINCT ON (x.customer_id) x.customer_id, to_jsonb(x.category_id) AS value
        FROM (SELECT o.customer_id, pc.category_id, sum(l.quantity - l.returned_quantity) AS qty,
                     max(o.placed_at) AS last
              FROM ${orders(`JOIN order_lines l ON l.order_id = o.id
                JOIN product_categories pc ON pc.product_id = l.product_id`)}
              ${windowCond('o.placed_at', d.windowDays, now, p)}
              GROUP BY o.customer_id, pc.category_id) x
        WHERE x.qty > 0
        ORDER BY x.customer_id, x.qty DESC, x.last DESC, x.category_id`;
    case 'preferred_store':
      return `SELECT DISTINCT ON (x.customer_id) x.customer_id, to_jsonb(x.location_id) AS value
        FROM (SELECT o.customer_id, COALESCE(o.pickup_location_id, o.selling_location_id) AS location_id,
                     count(*) AS n, max(o.placed_at) AS last
              FROM ${ORDERS} AND (${IN_STORE_ORDER} OR o.fulfillment_type = 'pickup')
                AND COALESCE(o.pickup_location_id, o.selling_location_id) IS NOT NULL
                ${windowCond('o.placed_at', d.windowDays, now, p)}
              GROUP BY 1, 2) x
        ORDER BY x.customer_id, x.n DESC, x.last DESC, x.location_id`;
    case 'channels_used':
      return `SELECT u.customer_id, jsonb_agg(DISTINCT u.type ORDER BY u.type) AS value
        FROM (SELECT o.customer_id, ch.type FROM ${ORDERS}${windowCond('o.placed_at', d.windowDays, now, p)}
              UNION
              SELECT e.customer_id, ch.type FROM events e JOIN scope s ON s.id = e.customer_id
              JOIN channels ch ON ch.id = e.channel_id
              WHERE e.origin = 'client' AND e."timestamp" <= ${now}
              ${windowCond('e."timestamp"', d.windowDays, now, p)}) u
        GROUP BY u.customer_id`;
    case 'open_cart_value':
      return openCartSql(d.inStockOnly, now);
    case 'items_at_risk':
      // the customer has at most one active cart (carts_one_active_per_customer); SKUs in byte order
      return `SELECT k.customer_id, jsonb_agg(kl.sku ORDER BY kl.sku COLLATE "C") AS value
        FROM carts k JOIN scope s ON s.id = k.customer_id JOIN cart_lines kl ON kl.cart_id = k.id
        WHERE k.status = 'active' AND ${cartLineAtRisk(p.add(d.days ?? DEFAULT_RISK_DAYS, '::int'))}
        GROUP BY k.customer_id`;
    case 'rfm':
      return rfmSql(d.currency, d.windowDays, d.output ?? 'group', now, p);
  }
};

/**
 * RFM scores among all the profiled customers who bought in the currency (not only those refreshed:
 * a quintile is relative to everyone), by the rule of src/flows/shared/rfm.ts: recency = the last
 * purchase, frequency = purchase days, monetary = the sum of order totals.
 */
const rfmSql = (
  currency: string,
  days: number | undefined,
  output: 'group' | 'score',
  now: string,
  p: Params,
) => `
  SELECT x.customer_id, ${output === 'group' ? `to_jsonb(${rfmGroupSql('x.r', 'x.f')})` : 'to_jsonb(x.r * 100 + x.f * 10 + x.m)'} AS value
  FROM (
    SELECT b.customer_id, ${quintileSql('b.last')} AS r, ${quintileSql('b.days')} AS f, ${quintileSql('b.revenue')} AS m
    FROM (SELECT o.customer_id, max(o.placed_at) AS last, count(DISTINCT o.placed_at::date) AS days, sum(o.total) AS revenue
          FROM orders o JOIN customers c ON c.id = o.customer_id AND ${PROFILED_CUSTOMER}
          WHERE ${COUNTED_ORDER} AND o.currency = ${p.add(currency, '::text')} AND o.placed_at <= ${now}
            ${windowCond('o.placed_at', days, now, p)}
          GROUP BY o.customer_id) b) x
  JOIN scope s ON s.id = x.customer_id`;

const lastVisitSql = (t: 'online' | 'in_store' | undefined, now: string): string => {
  const parts: string[] = [];
  if (t !== 'online')
    parts.push(
      `SELECT o.customer_id, o.placed_at AS at FROM ${ORDERS} AND ${IN_STORE_ORDER}`,
      `SELECT pk.customer_id, pk.closed_at FROM pickups pk JOIN scope s ON s.id = pk.customer_id
       WHERE pk.status IN ('collected', 'partially_collected') AND pk.closed_at IS NOT NULL`,
    );
  if (t !== 'in_store')
    parts.push(
      `SELECT o.customer_id, o.placed_at FROM ${ORDERS} AND NOT ${IN_STORE_ORDER}`,
      `SELECT e.customer_id, e."timestamp" FROM events e JOIN scope s ON s.id = e.customer_id
       LEFT JOIN channels ch ON ch.id = e.channel_id
       WHERE e.origin = 'client' AND (ch.type IS NULL OR ch.type NOT IN ('pos', 'kiosk'))`,
    );
  return `SELECT v.customer_id, ${daysSince('max(v.at)', now)} AS value
    FROM (${parts.join('\n UNION ALL ')}) v WHERE v.at <= ${now} GROUP BY v.customer_id`;
};

/**
 * The customer's most recently changed active cart: each line at the price in force on its channel
 * (lines not sold there count nothing), and with `inStock` only the lines whose quantity is available
 * at the cart's pickup store, or else at the locations of the line's channel together.
 */
const openCartSql = (inStock: boolean, now: string): string => `
  SELECT cart.customer_id, to_jsonb(sum(cl.quantity * price.amount)) AS value
  FROM (SELECT DISTINCT ON (c.customer_id) c.id, c.customer_id, c.fulfillment
        FROM carts c JOIN scope s ON s.id = c.customer_id
        WHERE c.status = 'active'
        ORDER BY c.customer_id, c.updated_at DESC, c.id) cart
  JOIN cart_lines cl ON cl.cart_id = cart.id
  JOIN variants v ON v.sku = cl.sku
  CROSS JOIN LATERAL (
    SELECT p.amount FROM prices p
    WHERE p.variant_id = v.id AND p.channel_id = cl.channel_id
      AND (p.starts_at IS NULL OR p.starts_at <= ${now}) AND (p.ends_at IS NULL OR p.ends_at > ${now})
      AND p.currency = (SELECT chc.currency FROM channels chc WHERE chc.id = cl.channel_id)
    ORDER BY p.starts_at DESC NULLS LAST LIMIT 1) price
  ${
    inStock
      ? `WHERE cl.quantity <= (
      SELECT COALESCE(sum(GREATEST(il.on_hand - il.reserved - il.safety_stock, 0)), 0) FROM inventory_levels il
      WHERE il.sku = cl.sku AND CASE WHEN cart.fulfillment->>'type' = 'pickup'
        THEN il.location_id = cart.fulfillment->>'location_id'
        ELSE il.location_id IN (SELECT cloc.location_id FROM channel_locations cloc WHERE cloc.channel_id = cl.channel_id)
      END)`
      : ''
  }
  GROUP BY cart.customer_id
  HAVING sum(cl.quantity * price.amount) <> 0`;

/** Live customers whose data may be used for profiling (not merged away, not erased, not restricted). */
export const PROFILED_CUSTOMER = `c.status = 'active' AND c.processing_restricted_at IS NULL`;

/**
 * One statement that brings a trait's stored values in line with the definition, for the customers
 * in `customerIds` or for everyone: changed values are written (computed_at = when it last changed),
 * values back to the default and customers no longer profiled are deleted. Returns how many rows changed.
 */
export const refreshTraitSql = (
  traitId: string,
  d: ComputedTraitDefinition,
  now: Date,
  customerIds: readonly string[] | undefined,
): { sql: string; params: unknown[] } => {
  const p = new Params();
  const at = p.add(now, '::timestamptz');
  const id = p.add(traitId, '::text');
  const ids = customerIds ? p.add([...customerIds], '::text[]') : undefined;
  const value = traitValueSql(d, at, p);
  const sql = `WITH scope AS (
      SELECT c.id FROM customers c WHERE ${PROFILED_CUSTOMER}${ids ? ` AND c.id = ANY(${ids})` : ''}),
    v AS (${value}),
    gone AS (
      DELETE FROM customer_computed_traits t WHERE t.trait_id = ${id}${ids ? ` AND t.customer_id = ANY(${ids})` : ''}
        AND NOT EXISTS (SELECT 1 FROM v WHERE v.customer_id = t.customer_id)
      RETURNING 1),
    put AS (
      INSERT INTO customer_computed_traits (trait_id, customer_id, value, computed_at)
      SELECT ${id}, v.customer_id, v.value, ${at} FROM v
      ON CONFLICT (trait_id, customer_id) DO UPDATE SET value = EXCLUDED.value, computed_at = EXCLUDED.computed_at
        WHERE customer_computed_traits.value IS DISTINCT FROM EXCLUDED.value
      RETURNING 1)
    SELECT (SELECT count(*) FROM gone)::int + (SELECT count(*) FROM put)::int AS changed`;
  return { sql, params: p.values };
};
