/**
 * Per-customer figures for the single customer view: channels used (first and last seen), orders,
 * revenue and average order value per currency, lifetime value to date (money captured minus
 * refunded), and the preferred store (set on the profile, or derived from where they pick up and buy).
 */
import { cartsOfCustomers } from '../../modules/carts/index.ts';
import {
  channelSightings,
  checkProcessing,
  getCustomer,
  withMergedAliases,
} from '../../modules/customers/index.ts';
import { loyaltyBalance } from '../../modules/loyalty/index.ts';
import { type CustomerOrderFact, customerOrderFacts, NOT_SALES } from '../../modules/orders/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';

const span = (
  m: Map<string, { first: Date; last: Date; orders: number }>,
  channel: string,
  first: Date,
  last: Date,
  orders = 0,
) => {
  const cur = m.get(channel);
  if (!cur) m.set(channel, { first, last, orders });
  else {
    if (first < cur.first) cur.first = first;
    if (last > cur.last) cur.last = last;
    cur.orders += orders;
  }
};

/** The store a customer uses most (pickups and counter sales), the latest one breaking ties. */
export const derivedStore = (facts: CustomerOrderFact[]): string | null => {
  const uses = new Map<string, { n: number; last: Date }>();
  for (const o of facts) {
    const loc = o.pickup_location_id ?? o.selling_location_id;
    if (!loc || NOT_SALES.includes(o.status)) continue;
    const u = uses.get(loc) ?? { n: 0, last: o.placed_at };
    u.n++;
    if (o.placed_at > u.last) u.last = o.placed_at;
    uses.set(loc, u);
  }
  return [...uses].sort(([, a], [, b]) => b.n - a.n || b.last.getTime() - a.last.getTime())[0]?.[0] ?? null;
};

export const customerSummary = async (q: Queryable, customerId: string) => {
  const customer = await getCustomer(q, customerId);
  if (!customer || customer.status === 'erased') throw notFound('Customer', customerId);
  const ids = await withMergedAliases(q, customerId);
  const [facts, sightings, carts, loyalty] = await Promise.all([
    customerOrderFacts(q, ids),
    channelSightings(q, ids),
    cartsOfCustomers(q, ids),
    loyaltyBalance(q, customerId),
  ]);
  const channels = new Map<string, { first: Date; last: Date; orders: number }>();
  for (const o of facts)
    span(channels, o.channel_id, o.placed_at, o.placed_at, NOT_SALES.includes(o.status) ? 0 : 1);
  for (const s of sightings) span(channels, s.channel_id, s.first_seen_at, s.last_seen_at);
  for (const k of carts) span(channels, k.origin_channel_id, k.created_at, k.updated_at);

  const sales = facts.filter((o) => !NOT_SALES.includes(o.status));
  const currencies = [...new Set(facts.map((o) => o.currency))].sort();
  // Restricted processing: no profiling (lifetime value, derived preferred store); sales totals stay.
  const profiling = (await checkProcessing(q, customerId, 'profiling')).allowed;
  const money = currencies.map((currency) => {
    const mine = sales.filter((o) => o.currency === currency);
    const revenue = mine.reduce((s, o) => s + o.total, 0);
    const all = facts.filter((o) => o.currency === currency);
    return {
      currency,
      orders: mine.length,
      revenue,
      average_order_value: mine.length ? Math.round(revenue / mine.length) : 0,
      lifetime_value: profiling ? all.reduce((s, o) => s + o.captured - o.refunded, 0) : null,
      refunded: all.reduce((s, o) => s + o.refunded, 0),
    };
  });
  const seen = [...channels.values()];
  const iso = (d: Date | undefined) => d?.toISOString() ?? null;
  const derived = profiling ? derivedStore(facts) : null;
  return {
    customer_id: customerId,
    first_seen_at: iso(
      seen.map((c) => c.first).sort((a, b) => a.getTime() - b.getTime())[0] ?? customer.created_at,
    ),
    last_seen_at: iso(
      seen.map((c) => c.last).sort((a, b) => b.getTime() - a.getTime())[0] ?? customer.updated_at,
    ),
    channels: [...channels]
      .map(([channel_id, c]) => ({
        channel_id,
        first_seen_at: c.first.toISOString(),
        last_seen_at: c.last.toISOString(),
        orders: c.orders,
      }))
      .sort((a, b) => (a.first_seen_at < b.first_seen_at ? -1 : 1)),
    orders: { count: sales.length, cancelled: facts.filter((o) => o.status === 'cancelled').length },
    money,
    preferred_store: customer.preferred_location_id
      ? { location_id: customer.preferred_location_id, source: 'profile' as const }
      : derived
        ? { location_id: derived, source: 'derived' as const }
        : null,
    loyalty: { enrolled: loyalty.enrolled, balance: loyalty.balance },
    processing_restricted: customer.processing_restricted_at !== null,
  };
};
