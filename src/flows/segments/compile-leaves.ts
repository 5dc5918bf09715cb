/**
 * The leaf conditions of the rule language in SQL (see compile.ts for the overall shape). Each
 * returns a boolean expression over the customers row `c`; counting conditions add one aggregate,
 * grouped by customer, to `ctx.joins`. Only placeholders carry the rules' values.
 */
import { DEFAULT_PROGRAM } from '../../modules/loyalty/index.ts';
import type { Compiled, Ctx } from './compile.ts';
import { cmpTest, jsonTest, windowCond, windowStart } from './compile.ts';
import { stockRisk } from './compile-stock-risk.ts';
import { COUNTED_ORDER, ComputedTraitDefinition, IN_STORE_ORDER, traitDefault } from './computed-traits.ts';
import type {
  CartCondition,
  ChannelMixCondition,
  ConsentCondition,
  EventCondition,
  GeoCondition,
  LoyaltyCondition,
  OrdersCondition,
  PropertyFilter,
  SegmentRules,
  TraitCondition,
} from './rules.ts';

/**
 * Limits an order aggregate to the candidates when the query narrows them first (compile.ts): one
 * probe of `orders_customer_placed` (customer_id, placed_at) per candidate instead of every order.
 */
const onlyCandidates = (col: string, ctx: Ctx) =>
  ctx.narrowed ? ` AND ${col} IN (SELECT cand.id FROM cand)` : '';

/**
 * Limits an event aggregate to the customers under evaluation (incremental). Otherwise events are
 * read by name and time (`events_name_time`, index only): probing them per candidate would visit
 * every partition's index once per customer.
 */
const onlyGiven = (col: string, ctx: Ctx) => (ctx.ids ? ` AND ${col} = ANY(${ctx.ids})` : '');

/** Joins an aggregate (SELECT customer_id, … GROUP BY customer_id) and answers its alias. */
const join = (ctx: Ctx, select: string): string => {
  const a = ctx.alias();
  ctx.joins.push(`\n  LEFT JOIN (${select}) ${a} ON ${a}.customer_id = c.id`);
  return a;
};

const trait = (t: TraitCondition, ctx: Ctx): string =>
  `EXISTS (SELECT 1 FROM customer_traits t WHERE t.customer_id = c.id AND t.key = ${ctx.p.add(t.key, '::text')}
    AND ${jsonTest('t.value', t.op, t.value, ctx)})`;

/** Each kind of computed trait's value for a customer with no stored row (computed-traits.ts). */
const defaults = (): Record<string, unknown> =>
  Object.fromEntries(
    ComputedTraitDefinition.anyOf.map((s) => {
      const kind = s.properties.kind.const;
      return [kind, traitDefault(kind)];
    }),
  );

/**
 * A computed trait (customer_computed_traits, by computed_traits.key of a live definition). Only
 * values that differ from the kind's default are stored, so a customer without a row has the default.
 */
const computedTrait = (t: TraitCondition, ctx: Ctx): string => {
  const key = ctx.p.add(t.key, '::text');
  const value = `COALESCE(v.value, ${ctx.p.add(JSON.stringify(defaults()), '::jsonb')} -> (d.definition ->> 'kind'))`;
  return `EXISTS (SELECT 1 FROM computed_traits d
    LEFT JOIN customer_computed_traits v ON v.trait_id = d.id AND v.customer_id = c.id
    WHERE d.key = ${key} AND d.archived_at IS NULL AND ${jsonTest(value, t.op, t.value, ctx)})`;
};

/** `a.b.c` → the path array of `#>` (a parameter). */
const path = (property: string) => property.split('.');

const propertyTest = (f: PropertyFilter, ctx: Ctx): string =>
  jsonTest(`e.properties #> ${ctx.p.add(path(f.property), '::text[]')}`, f.op, f.value, ctx);

const event = (e: EventCondition, ctx: Ctx): string => {
  const { p } = ctx;
  const where = (e.where ?? []).map((f) => ` AND ${propertyTest(f, ctx)}`).join('');
  let sum = '';
  if (e.sum) {
    const x = `e.properties #> ${p.add(path(e.sum.property), '::text[]')}`;
    sum = `, sum(CASE WHEN jsonb_typeof(${x}) = 'number' THEN (${x} #>> '{}')::numeric END) AS s`;
  }
  const a = join(
    ctx,
    `SELECT e.customer_id, count(*) AS n${sum} FROM events e${ctx.narrowed && !ctx.ids ? ' JOIN cand ON cand.id = e.customer_id' : ''}
    WHERE e.event = ${p.add(e.name, '::text')} AND e.customer_id IS NOT NULL${windowCond('e."timestamp"', e.within, ctx)}${onlyGiven('e.customer_id', ctx)}${where}
    GROUP BY e.customer_id`,
  );
  if (e.didNot) return `(${a}.customer_id IS NULL)`;
  if (e.sum) return cmpTest(`COALESCE(${a}.s, 0)`, e.sum.op, e.sum.value, ctx);
  if (e.count) return cmpTest(`COALESCE(${a}.n, 0)`, e.count.op, e.count.value, ctx);
  return `(${a}.customer_id IS NOT NULL)`;
};

/** Counted orders (not cancelled, expired or awaiting payment) of a customer, `o` with channel `ch`. */
const orders = (r: OrdersCondition, ctx: Ctx): string => {
  const { p } = ctx;
  const conds: string[] = [];
  if (r.channelIds) conds.push(`o.channel_id = ANY(${p.add(r.channelIds, '::text[]')})`);
  if (r.channelTypes) conds.push(`ch.type = ANY(${p.add(r.channelTypes, '::text[]')})`);
  if (r.locationIds) {
    const l = p.add(r.locationIds, '::text[]');
    conds.push(`(o.selling_location_id = ANY(${l}) OR o.pickup_location_id = ANY(${l}))`);
  }
  if (r.revenue) conds.push(`o.currency = ${p.add(r.revenue.currency, '::text')}`);
  const line: string[] = [];
  if (r.productIds) line.push(`l.product_id = ANY(${p.add(r.productIds, '::text[]')})`);
  if (r.skus) line.push(`l.sku = ANY(${p.add(r.skus, '::text[]')})`);
  if (r.categoryIds)
    line.push(`l.product_id IN (SELECT pc.product_id FROM product_categories pc
      WHERE pc.category_id = ANY(${p.add(r.categoryIds, '::text[]')}))`);
  if (line.length)
    conds.push(`EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND (${line.join(' OR ')}))`);
  // Counting only (no revenue, no channel type): count(*) without total or channels, so the
  // aggregate reads `orders_customer_placed` (customer_id, placed_at) INCLUDE (status) index only.
  const sum = r.revenue ? ', sum(o.total) AS s' : '';
  const channels = r.channelTypes ? ' JOIN channels ch ON ch.id = o.channel_id' : '';
  const a = join(
    ctx,
    `SELECT o.customer_id, count(*) AS n${sum}
    FROM orders o${channels}
    WHERE o.customer_id IS NOT NULL AND ${COUNTED_ORDER}${windowCond('o.placed_at', r.within, ctx)}${onlyCandidates('o.customer_id', ctx)}${conds.map((c) => ` AND ${c}`).join('')}
    GROUP BY o.customer_id`,
  );
  if (r.revenue) return cmpTest(`COALESCE(${a}.s, 0)`, r.revenue.op, r.revenue.value, ctx);
  if (r.count) return cmpTest(`COALESCE(${a}.n, 0)`, r.count.op, r.count.value, ctx);
  return `(${a}.customer_id IS NOT NULL)`;
};

const channelMix = (m: ChannelMixCondition, ctx: Ctx): string => {
  const a = join(
    ctx,
    `SELECT o.customer_id, bool_or(${IN_STORE_ORDER}) AS in_store, bool_or(NOT ${IN_STORE_ORDER}) AS online
    FROM orders o JOIN channels ch ON ch.id = o.channel_id
    WHERE o.customer_id IS NOT NULL AND ${COUNTED_ORDER}${windowCond('o.placed_at', m.within, ctx)}${onlyCandidates('o.customer_id', ctx)}
    GROUP BY o.customer_id`,
  );
  const parts: string[] = [];
  if (m.online !== undefined) parts.push(`${m.online ? '' : 'NOT '}COALESCE(${a}.online, false)`);
  if (m.inStore !== undefined) parts.push(`${m.inStore ? '' : 'NOT '}COALESCE(${a}.in_store, false)`);
  return `(${parts.join(' AND ')})`;
};

/**
 * Loyalty: enrolment, points balance, and the tier reached by the qualifying spend of the last 365
 * days (the program's tiers from the settings, else the default program's), as loyalty/service.ts.
 */
const loyalty = (l: LoyaltyCondition, ctx: Ctx): string => {
  const { p } = ctx;
  const parts: string[] = [];
  const account = 'SELECT 1 FROM loyalty_accounts la WHERE la.customer_id = c.id';
  if (l.enrolled !== undefined) parts.push(`${l.enrolled ? '' : 'NOT '}EXISTS (${account})`);
  if (l.points)
    parts.push(`EXISTS (${account} AND ${cmpTest('la.balance', l.points.op, l.points.value, ctx)})`);
  if (l.tiers) {
    const tiers = `jsonb_array_elements(COALESCE((SELECT value -> 'tiers' FROM plaza_settings
      WHERE key = 'loyalty.program'), ${p.add(JSON.stringify(DEFAULT_PROGRAM.tiers), '::jsonb')}))`;
    const spend = `(SELECT COALESCE(sum(ll.spend), 0) FROM loyalty_ledger ll WHERE ll.customer_id = la.customer_id
      AND ll.kind IN ('earn', 'reverse') AND ll.created_at > ${ctx.now} - make_interval(hours => 8760))`;
    parts.push(`EXISTS (${account} AND (SELECT t ->> 'name' FROM ${tiers} t
      WHERE (t ->> 'min_spend')::bigint <= ${spend}
      ORDER BY (t ->> 'min_spend')::bigint DESC LIMIT 1) = ANY(${p.add(l.tiers, '::text[]')}))`);
  }
  return `(${parts.join(' AND ')})`;
};

/**
 * Reachable for marketing on a medium: the latest consent statement for marketing on it is
 * `granted` (consent/service.ts canContact), and the customer has an address there: an e-mail, a
 * phone for SMS, an app device (a live anonymous id first seen on an app channel) for push.
 */
const consent = (r: ConsentCondition, ctx: Ctx): string => {
  const medium = ctx.p.add(r.reachable, '::text');
  // a granted statement with no later one (set-based, so the planner may hash it)
  const granted = `EXISTS (SELECT 1 FROM consent_records cr WHERE cr.customer_id = c.id
    AND cr.purpose = 'marketing' AND cr.channel = ${medium} AND cr.status = 'granted'
    AND NOT EXISTS (SELECT 1 FROM consent_records later WHERE later.customer_id = cr.customer_id
      AND later.purpose = cr.purpose AND later.channel = cr.channel
      AND (later.recorded_at, later.id) > (cr.recorded_at, cr.id)))`;
  const identity = (kind: string) =>
    `EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = '${kind}' AND i.unlinked_at IS NULL)`;
  const address =
    r.reachable === 'email'
      ? `(c.email IS NOT NULL OR ${identity('email')})`
      : r.reachable === 'sms'
        ? `(c.phone IS NOT NULL OR ${identity('phone')})`
        : `EXISTS (SELECT 1 FROM customer_identities i JOIN channels ich ON ich.id = i.source_channel_id
            WHERE i.customer_id = c.id AND i.kind = 'anonymous' AND i.unlinked_at IS NULL AND ich.type = 'app')`;
  return `(${granted} AND ${address})`;
};

/** A trait holding a number, as float8 (NULL otherwise). */
const numericTrait = (key: 'latitude' | 'longitude') =>
  `(SELECT (t.value #>> '{}')::float8 FROM customer_traits t WHERE t.customer_id = c.id AND t.key = '${key}'
    AND jsonb_typeof(t.value) = 'number')`;

/**
 * Geography. `preferredStore`: the profile's preferred store is one of these. `withinKm`: the
 * customer's position is within `km` of one of these active stores (any active store when none is
 * named). The position is the `latitude`/`longitude` traits when both are numbers, else the
 * preferred store's coordinates; customers with neither do not match.
 */
const geo = (g: GeoCondition, ctx: Ctx): string => {
  const { p } = ctx;
  const parts: string[] = [];
  if (g.preferredStore)
    parts.push(`COALESCE(c.preferred_location_id = ANY(${p.add(g.preferredStore, '::text[]')}), false)`);
  if (g.withinKm) {
    const lat = numericTrait('latitude');
    const lng = numericTrait('longitude');
    const stores = g.withinKm.locationIds
      ? ` AND s.id = ANY(${p.add(g.withinKm.locationIds, '::text[]')})`
      : '';
    parts.push(`EXISTS (SELECT 1 FROM (SELECT
        CASE WHEN ${lat} IS NOT NULL AND ${lng} IS NOT NULL THEN ${lat} ELSE pl.latitude END AS lat,
        CASE WHEN ${lat} IS NOT NULL AND ${lng} IS NOT NULL THEN ${lng} ELSE pl.longitude END AS lng
        FROM (SELECT 1) one LEFT JOIN locations pl ON pl.id = c.preferred_location_id) pos
      JOIN locations s ON s.type = 'store' AND s.active AND s.latitude IS NOT NULL${stores}
      WHERE pos.lat IS NOT NULL AND 2 * 6371 * asin(least(1, sqrt(
        power(sin(radians(s.latitude - pos.lat) / 2), 2)
        + cos(radians(pos.lat)) * cos(radians(s.latitude)) * power(sin(radians(s.longitude - pos.lng) / 2), 2)
      ))) <= ${p.add(g.withinKm.km, '::float8')})`);
  }
  return `(${parts.join(' AND ')})`;
};

/**
 * Cart state of the customer's open (active, non-empty) cart. `value`: quantity × the line's current
 * price on its channel (scheduled price in force, else base price; no discounts), minor units.
 * `itemsInStock`: lines with available stock (on hand − reserved − safety stock) for their quantity
 * at `locationIds`, or at the locations that fulfil the line's channel.
 */
const cart = (r: CartCondition, ctx: Ctx): string => {
  const { p } = ctx;
  const open = `SELECT 1 FROM carts k WHERE k.customer_id = c.id AND k.status = 'active'
    AND EXISTS (SELECT 1 FROM cart_lines kl WHERE kl.cart_id = k.id)`;
  if (r.open === false) return `NOT EXISTS (${open})`;
  const conds: string[] = [];
  if (r.value) {
    const now = ctx.now;
    const price = `(SELECT pr.amount FROM variants v JOIN prices pr ON pr.variant_id = v.id
      WHERE v.sku = kl.sku AND pr.channel_id = kl.channel_id
        AND (pr.starts_at IS NULL OR pr.starts_at <= ${now}) AND (pr.ends_at IS NULL OR pr.ends_at > ${now})
      ORDER BY pr.starts_at DESC NULLS LAST LIMIT 1)`;
    conds.push(
      cmpTest(
        `(SELECT COALESCE(sum(kl.quantity * ${price}), 0) FROM cart_lines kl WHERE kl.cart_id = k.id)`,
        r.value.op,
        r.value.value,
        ctx,
      ),
    );
  }
  if (r.itemsInStock) {
    const at = r.locationIds
      ? `il.location_id = ANY(${p.add(r.locationIds, '::text[]')})`
      : 'il.location_id IN (SELECT cl.location_id FROM channel_locations cl WHERE cl.channel_id = kl.channel_id)';
    const inStock = `(SELECT COALESCE(sum(GREATEST(il.on_hand - il.reserved - il.safety_stock, 0)), 0)
      FROM inventory_levels il WHERE il.sku = kl.sku AND ${at}) >= kl.quantity`;
    const line = (cond: string) => `EXISTS (SELECT 1 FROM cart_lines kl WHERE kl.cart_id = k.id AND ${cond})`;
    conds.push(
      r.itemsInStock === 'all'
        ? `NOT ${line(`NOT (${inStock})`)}`
        : r.itemsInStock === 'any'
          ? line(inStock)
          : `NOT ${line(inStock)}`,
    );
  }
  if (r.updatedWithin) conds.push(`k.updated_at >= ${windowStart(r.updatedWithin, ctx)}`);
  if (r.idleFor) conds.push(`k.updated_at < ${windowStart(r.idleFor, ctx)}`);
  return `EXISTS (${open}${conds.map((x) => ` AND ${x}`).join('')})`;
};

/** One leaf of the tree in SQL. */
export const compileLeaf = (leaf: SegmentRules, ctx: Ctx): Compiled => {
  if ('trait' in leaf) return { where: trait(leaf.trait, ctx) };
  if ('computedTrait' in leaf) return { where: computedTrait(leaf.computedTrait, ctx) };
  if ('event' in leaf) return { where: event(leaf.event, ctx) };
  if ('orders' in leaf) return { where: orders(leaf.orders, ctx) };
  if ('channelMix' in leaf) return { where: channelMix(leaf.channelMix, ctx) };
  if ('loyalty' in leaf) return { where: loyalty(leaf.loyalty, ctx) };
  if ('consent' in leaf) return { where: consent(leaf.consent, ctx) };
  if ('geo' in leaf) return { where: geo(leaf.geo, ctx) };
  if ('cart' in leaf) return { where: cart(leaf.cart, ctx) };
  if ('stockRisk' in leaf) return { where: stockRisk(leaf.stockRisk, ctx) };
  throw new Error(`not a leaf condition: ${Object.keys(leaf).join(', ')}`);
};
