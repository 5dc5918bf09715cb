import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import type { ChannelSettings } from '../channels/index.ts';
import * as repo from './repo.ts';
import type { Adjustment } from './schema.ts';
import { availableFor, loadCartContext, type PricingChannel } from './view.ts';

export type MergeStrategy = ChannelSettings['cart_merge_strategy'];

export interface AttachResult {
  /** The customer's active cart after the merge (null when nothing could be attached). */
  cart: repo.CartRow | null;
  adjustments: Adjustment[];
  /** Why the anonymous cart was left alone. */
  skipped: 'not_anonymous' | 'not_active' | null;
}

/**
 * Sets `target`'s lines to `wanted` quantities, capped by what the channel can supply for the
 * target's fulfilment; lists every line it had to change.
 */
const writeCapped = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  target: repo.CartRow,
  channel: PricingChannel,
  wanted: Map<string, number>,
): Promise<Adjustment[]> => {
  const now = deps.clock.now();
  const lines = [...wanted].map(([sku, quantity]) => ({ sku, quantity }));
  const ctx = await loadCartContext(tx, channel, lines, now);
  const adjustments: Adjustment[] = [];
  await repo.deleteLines(tx, target.id);
  for (const [sku, requested] of wanted) {
    const s = ctx.sellable.get(sku);
    if (!s?.published || !s.price) {
      adjustments.push({ sku, requested, quantity: 0, reason: 'not_sold_on_channel' });
      continue;
    }
    const available = availableFor(target, ctx.routing, sku);
    const quantity = Math.min(requested, available, 999);
    if (quantity === 0) {
      adjustments.push({ sku, requested, quantity: 0, reason: 'unavailable' });
      continue;
    }
    if (quantity < requested)
      adjustments.push({ sku, requested, quantity, reason: 'capped_by_availability' });
    await repo.addToLine(tx, {
      id: newId('cli'),
      cartId: target.id,
      sku,
      quantity,
      channelId: channel.channelId,
      at: now,
    });
  }
  return adjustments;
};

const sumLines = (...sets: repo.LineRow[][]) => {
  const m = new Map<string, number>();
  for (const set of sets) for (const l of set) m.set(l.sku, (m.get(l.sku) ?? 0) + l.quantity);
  return m;
};

/**
 * Attaches an anonymous cart to a customer who just logged in (or asked to attach it). Only an
 * active, anonymous cart is ever attached: a cart token left on a shared device never moves one
 * customer's cart to another. With no cart of their own the anonymous cart simply becomes theirs;
 * otherwise `strategy` decides: `merge` sums quantities (capped by stock), `keep_customer` keeps
 * their cart, `keep_latest` keeps whichever cart changed last.
 */
export const attachCart = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  a: { anonymous: repo.CartRow; customerId: string; channel: PricingChannel; strategy: MergeStrategy },
): Promise<AttachResult> => {
  const now = deps.clock.now();
  const anon = (await repo.getCart(tx, a.anonymous.id, true)) as repo.CartRow;
  if (anon.customer_id !== null) {
    const own =
      anon.customer_id === a.customerId ? anon : ((await repo.activeCartOf(tx, a.customerId)) ?? null);
    return {
      cart: own,
      adjustments: [],
      skipped: anon.customer_id === a.customerId ? null : 'not_anonymous',
    };
  }
  if (anon.status !== 'active') {
    return {
      cart: (await repo.activeCartOf(tx, a.customerId)) ?? null,
      adjustments: [],
      skipped: 'not_active',
    };
  }
  const target = await repo.activeCartOf(tx, a.customerId, true);
  if (!target) {
    const cart = await repo.touchCart(tx, anon.id, { customer_id: a.customerId }, now);
    await writeEvent(tx, deps.clock, {
      type: 'cart.attached',
      aggregateType: 'cart',
      aggregateId: cart.id,
      data: { cart_id: cart.id, customer_id: a.customerId },
    });
    return { cart, adjustments: [], skipped: null };
  }
  const [anonLines, targetLines] = await Promise.all([
    repo.linesOf(tx, anon.id),
    repo.linesOf(tx, target.id),
  ]);
  const anonWins = a.strategy === 'keep_latest' && anon.updated_at > target.updated_at;
  let adjustments: Adjustment[];
  if (a.strategy === 'merge') {
    adjustments = await writeCapped(tx, deps, target, a.channel, sumLines(targetLines, anonLines));
  } else if (anonWins) {
    adjustments = [
      ...targetLines.map((l) => ({
        sku: l.sku,
        requested: l.quantity,
        quantity: 0,
        reason: 'discarded' as const,
      })),
      ...(await writeCapped(tx, deps, target, a.channel, sumLines(anonLines))),
    ];
  } else {
    adjustments = anonLines.map((l) => ({
      sku: l.sku,
      requested: l.quantity,
      quantity: 0,
      reason: 'discarded' as const,
    }));
  }
  const carry = {
    email: target.email ?? anon.email ?? undefined,
    discount_code: target.discount_code ?? anon.discount_code ?? undefined,
    fulfillment: target.fulfillment ?? anon.fulfillment ?? undefined,
  };
  const merged = await repo.touchCart(tx, target.id, carry, now);
  await repo.touchCart(tx, anon.id, { status: 'merged', merged_into: target.id }, now);
  await writeEvent(tx, deps.clock, {
    type: 'cart.merged',
    aggregateType: 'cart',
    aggregateId: target.id,
    data: {
      cart_id: target.id,
      from_cart_id: anon.id,
      customer_id: a.customerId,
      strategy: a.strategy,
      adjustments,
    },
  });
  return { cart: merged, adjustments, skipped: null };
};
