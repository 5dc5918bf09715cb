/** Prices: a variant's price list per channel, replaced as a whole. */
import type { Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { getChannel } from '../channels/index.ts';
import { emit, type PriceChange, priceChanged } from './events.ts';
import {
  currentPrices,
  deletePrices,
  insertPrices,
  type PriceRow,
  pricesOf,
  scheduledPairs,
} from './repo-prices.ts';
import { getVariant, type VariantRow } from './repo-variants.ts';
import { checkPriceList, type FieldError, type PriceWindow } from './rules.ts';
import type { ChannelPriceInput, PriceInput, SetPricesBody } from './schema.ts';
import { pricesToApi } from './views.ts';

/** A validated price list for one channel, in that channel's currency. */
export interface ChannelPriceList {
  channelId: string;
  currency: string;
  windows: PriceWindow[];
}

export const toWindow = (p: PriceInput): PriceWindow => ({
  amount: p.amount,
  compare_at_amount: p.compare_at_amount ?? null,
  starts_at: p.starts_at ? new Date(p.starts_at) : null,
  ends_at: p.ends_at ? new Date(p.ends_at) : null,
});

export const invalid = (errors: FieldError[]) =>
  fail('VALIDATION_FAILED', `${errors[0]?.path} ${errors[0]?.message}`, { errors });

/** Prices for one channel as given in a request, each with its path for error messages. */
export interface PriceEntry {
  channel_id: string;
  /** Currencies the caller stated (each must be the channel's). */
  currencies: { currency: string; path: string }[];
  prices: PriceInput[];
  paths: string[];
  channelPath: string;
}

/**
 * Validates price lists given per channel: the channel exists, every stated currency is the
 * channel's, and each channel's list passes checkPriceList.
 */
export const preparePriceLists = async (
  tx: Tx,
  entries: readonly PriceEntry[],
): Promise<Result<ChannelPriceList[]>> => {
  const errors: FieldError[] = [];
  const out: ChannelPriceList[] = [];
  for (const e of entries) {
    const channel = await getChannel(tx, e.channel_id);
    if (!channel) {
      errors.push({ path: e.channelPath, message: `channel ${e.channel_id} does not exist` });
      continue;
    }
    const wrong = e.currencies.filter((c) => c.currency !== channel.currency);
    for (const c of wrong) {
      errors.push({
        path: c.path,
        message: `must be the channel's currency ${channel.currency} (got ${c.currency})`,
      });
    }
    const windows = e.prices.map(toWindow);
    errors.push(...checkPriceList(windows, (i) => e.paths[i] ?? `${e.channelPath}[${i}]`));
    out.push({ channelId: channel.id, currency: channel.currency, windows });
  }
  return errors.length ? invalid(errors) : ok(out);
};

/** Groups the prices given with a new variant by channel (for preparePriceLists). */
export const groupVariantPrices = (prices: readonly ChannelPriceInput[], path: string): PriceEntry[] => {
  const groups = new Map<string, PriceEntry>();
  prices.forEach((p, i) => {
    const at = `${path}[${i}]`;
    const g: PriceEntry = groups.get(p.channel_id) ?? {
      channel_id: p.channel_id,
      currencies: [],
      prices: [],
      paths: [],
      channelPath: `${at}.channel_id`,
    };
    if (p.currency !== undefined) g.currencies.push({ currency: p.currency, path: `${at}.currency` });
    g.prices.push({
      amount: p.amount,
      compare_at_amount: p.compare_at_amount,
      starts_at: p.starts_at,
      ends_at: p.ends_at,
    });
    g.paths.push(at);
    groups.set(p.channel_id, g);
  });
  return [...groups.values()];
};

const listKey = (rows: readonly PriceWindow[]): string =>
  rows
    .map((r) =>
      [r.amount, r.compare_at_amount, r.starts_at?.getTime() ?? null, r.ends_at?.getTime() ?? null].join('|'),
    )
    .sort()
    .join(';');

/**
 * Replaces the variant's prices on one channel. Returns the price.changed fact (the amount in force
 * before and after, at the clock's now) when the list actually changed, undefined otherwise.
 */
export const applyPriceList = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  variant: Pick<VariantRow, 'id' | 'sku' | 'product_id'>,
  list: ChannelPriceList,
): Promise<PriceChange | undefined> => {
  const now = deps.clock.now();
  const existing = await pricesOf(tx, [variant.id], list.channelId);
  const sameCurrency = existing.every((r) => r.currency === list.currency);
  if (sameCurrency && listKey(existing) === listKey(list.windows)) return undefined;
  const before = (await currentPrices(tx, list.channelId, [variant.id], now)).get(variant.id);
  await deletePrices(tx, variant.id, list.channelId);
  const rows: PriceRow[] = list.windows.map((w) => ({
    id: newId('prc'),
    variant_id: variant.id,
    channel_id: list.channelId,
    currency: list.currency,
    ...w,
    created_at: now,
  }));
  await insertPrices(tx, rows);
  const after = (await currentPrices(tx, list.channelId, [variant.id], now)).get(variant.id);
  return {
    product_id: variant.product_id,
    variant_id: variant.id,
    sku: variant.sku,
    channel_id: list.channelId,
    currency: list.currency,
    old_amount: before?.amount ?? null,
    new_amount: after?.amount ?? null,
  };
};

/**
 * PUT /admin/variants/:id/prices: replaces the variant's price list for one channel (an empty list
 * removes its prices there). Writes price.changed when the list changed.
 */
export const setVariantPrices = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  variantId: string,
  body: SetPricesBody,
) => {
  const variant = await getVariant(tx, variantId, { lock: true });
  if (!variant) return fail('NOT_FOUND', `Variant ${variantId} was not found`, { id: variantId });
  const prepared = await preparePriceLists(tx, [
    {
      channel_id: body.channel_id,
      currencies: body.currency ? [{ currency: body.currency, path: 'body.currency' }] : [],
      prices: body.prices,
      paths: body.prices.map((_, i) => `body.prices[${i}]`),
      channelPath: 'body.channel_id',
    },
  ]);
  if (!prepared.ok) return prepared;
  const list = prepared.value[0] as ChannelPriceList;
  const change = await applyPriceList(tx, deps, variant, list);
  if (change) await emit(tx, deps.clock, [priceChanged(change)]);
  const rows = await pricesOf(tx, [variant.id], list.channelId);
  return ok({
    variant_id: variant.id,
    channel_id: list.channelId,
    currency: list.currency,
    prices: pricesToApi(rows, list.currency, deps.clock.now()),
  });
};

export interface ScheduledPrice {
  variant: Pick<VariantRow, 'id' | 'sku' | 'product_id'>;
  channelId: string;
  currency: string;
  price: PriceWindow & { starts_at: Date };
}

/**
 * Adds one scheduled price to each (variant, channel) pair that has no scheduled price yet, in
 * a few statements (for seeding: running it twice adds nothing). Writes price.changed for each
 * pair it changed. Returns how many prices it added.
 */
export const addScheduledPricesIfNone = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  entries: readonly ScheduledPrice[],
): Promise<number> => {
  const now = deps.clock.now();
  const have = new Set(
    (
      await scheduledPairs(
        tx,
        entries.map((e) => e.variant.id),
      )
    ).map((r) => `${r.variant_id} ${r.channel_id}`),
  );
  const todo = entries.filter((e) => !have.has(`${e.variant.id} ${e.channelId}`));
  if (todo.length === 0) return 0;
  const channels = [...new Set(todo.map((e) => e.channelId))];
  const ids = (c: string) => todo.filter((e) => e.channelId === c).map((e) => e.variant.id);
  const before = new Map<string, Map<string, { amount: number }>>();
  for (const c of channels) before.set(c, await currentPrices(tx, c, ids(c), now));
  await insertPrices(
    tx,
    todo.map((e) => ({
      id: newId('prc'),
      variant_id: e.variant.id,
      channel_id: e.channelId,
      currency: e.currency,
      ...e.price,
      created_at: now,
    })),
  );
  const events = [];
  for (const c of channels) {
    const after = await currentPrices(tx, c, ids(c), now);
    for (const e of todo.filter((x) => x.channelId === c)) {
      events.push(
        priceChanged({
          product_id: e.variant.product_id,
          variant_id: e.variant.id,
          sku: e.variant.sku,
          channel_id: c,
          currency: e.currency,
          old_amount: before.get(c)?.get(e.variant.id)?.amount ?? null,
          new_amount: after.get(e.variant.id)?.amount ?? null,
        }),
      );
    }
  }
  await emit(tx, deps.clock, events);
  return todo.length;
};
