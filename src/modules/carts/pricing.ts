/**
 * Plaza's one pricing calculation. The cart view, checkout, a POS sale (its view and its payment),
 * the endless aisle and an exchange all price through `priceOrder`, so the total a shopper sees is
 * the total of the order they get. It is pure: the two steps that read or write elsewhere (checking
 * a discount code, redeeming loyalty points) are passed in as functions, and the order of the steps
 * lives here only.
 */
import { allocate, amountDue } from '../../platform/money.ts';
import type { SellableSku } from '../catalog/index.ts';
import type { ChannelSettings } from '../channels/index.ts';

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/** The channel settings pricing reads. */
export type PricingSettings = Pick<
  ChannelSettings,
  'tax_rate_bps' | 'prices_include_tax' | 'shipping_flat_rate' | 'free_shipping_threshold'
>;

export interface Totals {
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  total: number;
  /**
   * Per line, in input order: its share of the discount and of the tax (exact, largest remainder)
   * and what the line costs (value − discount, + tax unless prices include it).
   */
  lines: { discount: number; tax: number; total: number }[];
}

/** The result of `priceOrder`: totals, the discount code's step and what loyalty points took off. */
export interface Pricing<D extends { amount: number }> extends Totals {
  /** What the discount step answered (null without a code); its `amount` is in `discountTotal`. */
  discount: D | null;
  /** Money off paid with loyalty points (also in `discountTotal`). */
  pointsAmount: number;
}

/** What an order's pricing depends on besides its lines and settings (see `priceOrder`). */
export interface PricingSteps<D extends { amount: number }> {
  /** The order is shipped (it pays shipping). */
  ships: boolean;
  /** Checks the discount code against the subtotal: its amount, or a refusal (thrown). */
  discount?: ((subtotal: number) => D | Promise<D>) | undefined;
  /** Redeems loyalty points for at most `due` and answers the money they take off. */
  points?: ((due: number) => number | Promise<number>) | undefined;
}

/**
 * A SKU's unit price on a channel now: the price in force (a scheduled sale price while it runs)
 * when the channel sells the product, else null (not sold here).
 */
export const unitPriceOf = (s: SellableSku | undefined): number | null =>
  s?.published && s.price ? s.price.amount : null;

/** Sum of unit price × quantity. */
export const subtotalOf = (lines: readonly PricedLine[]): number =>
  lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);

/** Shipping for a subtotal after discounts: free from the threshold on, else the flat rate. */
const shippingFor = (discountedSubtotal: number, s: PricingSettings): number =>
  s.free_shipping_threshold !== null && discountedSubtotal >= s.free_shipping_threshold
    ? 0
    : s.shipping_flat_rate;

/**
 * Totals of priced lines, exact in minor units: the discount is spread over lines by value; tax is
 * computed on the discounted amount of each line (added on top, or already included in the price,
 * VAT-style). total = subtotal − discount + shipping (+ tax when not included).
 */
const computeTotals = (
  lines: readonly PricedLine[],
  discount: number,
  shipping: number,
  s: PricingSettings,
): Totals => {
  const values = lines.map((l) => l.unitPrice * l.quantity);
  const subtotal = values.reduce((a, b) => a + b, 0);
  const discountTotal = Math.min(discount, subtotal);
  const discounts = allocate(discountTotal, values);
  const taxable = values.map((v, i) => v - (discounts[i] ?? 0));
  const taxes = taxable.map((t) =>
    s.prices_include_tax
      ? t - Math.round((t * 10_000) / (10_000 + s.tax_rate_bps))
      : Math.round((t * s.tax_rate_bps) / 10_000),
  );
  const taxTotal = taxes.reduce((a, b) => a + b, 0);
  const incl = s.prices_include_tax;
  return {
    subtotal,
    discountTotal,
    shippingTotal: shipping,
    taxTotal,
    total: amountDue({ value: subtotal, discount: discountTotal, tax: taxTotal, shipping }, incl),
    lines: values.map((value, i) => {
      const [discount, tax] = [discounts[i] ?? 0, taxes[i] ?? 0];
      return { discount, tax, total: amountDue({ value, discount, tax }, incl) };
    }),
  };
};

/**
 * Prices lines, in this order:
 * 1. subtotal = Σ unit price × quantity (`unitPriceOf`: scheduled sale prices included);
 * 2. the discount code (`discount`, given the subtotal; it may refuse by throwing);
 * 3. loyalty points (`points`, given what is still due after the code: subtotal − code; they must
 *    not take more than that);
 * 4. shipping when the order `ships`: free from `free_shipping_threshold` on (compared with the
 *    subtotal after the code, not after points), else `shipping_flat_rate`; one charge per order
 *    however many shipments or fulfilments it has; pickup and counter sales pay none;
 * 5. the code and the points spread over the lines by value, tax per line on what is left,
 *    total = subtotal − discounts + shipping (+ tax unless prices include it).
 */
export const priceOrder = async <D extends { amount: number } = { amount: number }>(
  lines: readonly PricedLine[],
  o: PricingSteps<D> & { settings: PricingSettings },
): Promise<Pricing<D>> => {
  const subtotal = subtotalOf(lines);
  const discount = o.discount ? await o.discount(subtotal) : null;
  const code = Math.min(discount?.amount ?? 0, subtotal);
  const due = subtotal - code;
  const pointsAmount = o.points ? await o.points(due) : 0;
  if (pointsAmount < 0 || pointsAmount > due) {
    // Points redeemed beyond what is due would be taken from the customer and never taken off.
    throw new Error(`loyalty points took ${pointsAmount} off ${due} due`);
  }
  const shipping = o.ships ? shippingFor(due, o.settings) : 0;
  return { ...computeTotals(lines, code + pointsAmount, shipping, o.settings), discount, pointsAmount };
};
