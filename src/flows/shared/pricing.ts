/** Pricing items on a channel for orders made at a counter (POS sales, endless aisle, exchanges). */
import { computeTotals, type Totals } from '../../modules/carts/index.ts';
import { findVariantByCode, type SellableSku, sellableSkus } from '../../modules/catalog/index.ts';
import { type ChannelSettings, channelSettings } from '../../modules/channels/index.ts';
import type { NewOrderLine } from '../../modules/orders/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';

export interface PricedItem {
  sku: string;
  quantity: number;
  unitPrice: number;
  sellable: SellableSku;
  discount: number;
  tax: number;
}

/**
 * The SKU a scanner or a keyboard gives: a barcode (EAN/UPC) or a SKU. NOT_FOUND when no variant
 * has it.
 */
export const skuOfCode = async (q: Queryable, code: string): Promise<string> => {
  const v = await findVariantByCode(q, code);
  if (!v) throw new PlazaError('NOT_FOUND', `No product has the SKU or barcode "${code.trim()}"`, { code });
  return v.sku;
};

/**
 * Prices items with the channel's current prices and tax settings (no discount, no shipping).
 * An item the channel does not sell is refused with UNPROCESSABLE (`sku`).
 */
export const priceItems = async (
  q: Queryable,
  channelId: string,
  items: readonly { sku: string; quantity: number }[],
  at: Date,
): Promise<{ lines: PricedItem[]; totals: Totals; settings: ChannelSettings }> => {
  const [sellable, settings] = await Promise.all([
    sellableSkus(
      q,
      channelId,
      items.map((i) => i.sku),
      at,
    ),
    channelSettings(q, channelId),
  ]);
  const priced = items.map((i) => {
    const s = sellable.get(i.sku);
    if (!s?.published || !s.price) {
      throw new PlazaError('UNPROCESSABLE', `${i.sku} is not sold on this channel`, { sku: i.sku });
    }
    return { sku: i.sku, quantity: i.quantity, unitPrice: s.price.amount, sellable: s };
  });
  const totals = computeTotals(priced, 0, 0, {
    taxRateBps: settings.tax_rate_bps,
    pricesIncludeTax: settings.prices_include_tax,
  });
  return {
    lines: priced.map((p, i) => ({
      ...p,
      discount: totals.lines[i]?.discount ?? 0,
      tax: totals.lines[i]?.tax ?? 0,
    })),
    totals,
    settings,
  };
};

/**
 * The same items with `discount` (minor units, e.g. loyalty points) taken off the total: spread
 * over the lines by value, tax recomputed on what is left.
 */
export const withDiscount = (
  p: { lines: PricedItem[]; totals: Totals; settings: ChannelSettings },
  discount: number,
): { lines: PricedItem[]; totals: Totals; settings: ChannelSettings } => {
  if (discount <= 0) return p;
  const totals = computeTotals(p.lines, discount, 0, {
    taxRateBps: p.settings.tax_rate_bps,
    pricesIncludeTax: p.settings.prices_include_tax,
  });
  return {
    ...p,
    totals,
    lines: p.lines.map((l, i) => ({
      ...l,
      discount: totals.lines[i]?.discount ?? 0,
      tax: totals.lines[i]?.tax ?? 0,
    })),
  };
};

/** Priced items as order lines. */
export const orderLinesOf = (lines: readonly PricedItem[]): NewOrderLine[] =>
  lines.map((l) => ({
    sku: l.sku,
    variantId: l.sellable.variant_id,
    productId: l.sellable.product_id,
    title: `${l.sellable.product_title} — ${l.sellable.variant_title}`,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    compareAtPrice: l.sellable.price?.compare_at_amount ?? null,
    discountAmount: l.discount,
    taxAmount: l.tax,
  }));

/** Sums scanned items per SKU (a barcode and its SKU are the same item); quantity 1 when not given. */
export const itemsOfCodes = async (
  q: Queryable,
  codes: readonly { code: string; quantity?: number }[],
): Promise<{ sku: string; quantity: number }[]> => {
  const sums = new Map<string, number>();
  for (const c of codes) {
    const sku = await skuOfCode(q, c.code);
    sums.set(sku, (sums.get(sku) ?? 0) + (c.quantity ?? 1));
  }
  return [...sums].map(([sku, quantity]) => ({ sku, quantity }));
};
