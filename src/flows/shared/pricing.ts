/**
 * Pricing for orders made by flows (checkout, POS sales, endless aisle, exchanges): the channel's
 * sellable facts turned into lines, priced by the carts module's `priceOrder` (the one pricing
 * calculation, shared with the cart view), and turned into order lines.
 */
import { type Pricing, type PricingSteps, priceOrder, unitPriceOf } from '../../modules/carts/index.ts';
import { findVariantByCode, type SellableSku, sellableSkus } from '../../modules/catalog/index.ts';
import { type ChannelSettings, channelSettings } from '../../modules/channels/index.ts';
import type { NewOrderLine } from '../../modules/orders/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';

export interface SellingLine {
  sku: string;
  quantity: number;
  unitPrice: number;
  sellable: SellableSku;
}

export interface PricedItem extends SellingLine {
  discount: number;
  tax: number;
  /** What the line costs: value − discount (+ tax unless prices include it). */
  total: number;
}

/** Priced lines with their totals and the settings they were priced with. */
export interface PricedItems<D extends { amount: number } = { amount: number }> {
  lines: PricedItem[];
  totals: Pricing<D>;
  settings: ChannelSettings;
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
 * Items at the channel's unit prices (`unitPriceOf`); an item the channel does not sell is refused
 * with UNPROCESSABLE (`sku`), worded by `detail`.
 */
export const sellingLines = (
  sellable: ReadonlyMap<string, SellableSku>,
  items: readonly { sku: string; quantity: number }[],
  detail: (sku: string) => string = (sku) => `${sku} is not sold on this channel`,
): SellingLine[] =>
  items.map((i) => {
    const s = sellable.get(i.sku);
    const unitPrice = unitPriceOf(s);
    if (!s || unitPrice === null) throw new PlazaError('UNPROCESSABLE', detail(i.sku), { sku: i.sku });
    return { sku: i.sku, quantity: i.quantity, unitPrice, sellable: s };
  });

/** Lines priced by `priceOrder`, each with its share of the discount, its tax and its total. */
export const priceLines = async <D extends { amount: number } = { amount: number }>(
  lines: readonly SellingLine[],
  settings: ChannelSettings,
  steps: PricingSteps<D>,
): Promise<PricedItems<D>> => {
  const totals = await priceOrder(lines, { ...steps, settings });
  return {
    lines: lines.map((l, i) => ({
      ...l,
      discount: totals.lines[i]?.discount ?? 0,
      tax: totals.lines[i]?.tax ?? 0,
      total: totals.lines[i]?.total ?? 0,
    })),
    totals,
    settings,
  };
};

/**
 * Prices items with the channel's current prices and settings, through `priceOrder`: shipping when
 * the order `ships`, loyalty `points` (given what is due) and a `discount` code when asked. An item the
 * channel does not sell is refused with UNPROCESSABLE (`sku`).
 */
export const priceItems = async (
  q: Queryable,
  channelId: string,
  items: readonly { sku: string; quantity: number }[],
  at: Date,
  steps: {
    ships?: boolean;
    points?: (due: number) => Promise<number>;
    /** a discount code's amount for the subtotal (POS sales; checkout prices carts with priceLines) */
    discount?: (subtotal: number) => Promise<{ id: string; code: string; amount: number }>;
  } = {},
): Promise<PricedItems<{ id: string; code: string; amount: number }>> => {
  const [sellable, settings] = await Promise.all([
    sellableSkus(
      q,
      channelId,
      items.map((i) => i.sku),
      at,
    ),
    channelSettings(q, channelId),
  ]);
  return priceLines(sellingLines(sellable, items), settings, {
    ships: steps.ships ?? false,
    points: steps.points,
    discount: steps.discount,
  });
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
