import { allocate } from '../../platform/money.ts';

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

export interface TaxSettings {
  taxRateBps: number;
  pricesIncludeTax: boolean;
}

export interface Totals {
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  total: number;
  /** Per line, in input order: its share of the discount and of the tax (exact, largest remainder). */
  lines: { discount: number; tax: number }[];
}

/** Shipping for a subtotal after discounts: free from the threshold on, else the flat rate. */
export const shippingFor = (
  discountedSubtotal: number,
  s: { flatRate: number; freeThreshold: number | null },
): number => (s.freeThreshold !== null && discountedSubtotal >= s.freeThreshold ? 0 : s.flatRate);

/**
 * Totals of a priced cart, exact in minor units: the discount is spread over lines by value; tax is
 * computed on the discounted amount of each line (added on top, or already included in the price,
 * VAT-style). total = subtotal − discount + shipping (+ tax when not included).
 */
export const computeTotals = (
  lines: readonly PricedLine[],
  discount: number,
  shipping: number,
  tax: TaxSettings,
): Totals => {
  const values = lines.map((l) => l.unitPrice * l.quantity);
  const subtotal = values.reduce((a, b) => a + b, 0);
  const discountTotal = Math.min(discount, subtotal);
  const discounts = allocate(discountTotal, values);
  const taxable = values.map((v, i) => v - (discounts[i] ?? 0));
  const taxes = taxable.map((t) =>
    tax.pricesIncludeTax
      ? t - Math.round((t * 10_000) / (10_000 + tax.taxRateBps))
      : Math.round((t * tax.taxRateBps) / 10_000),
  );
  const taxTotal = taxes.reduce((a, b) => a + b, 0);
  return {
    subtotal,
    discountTotal,
    shippingTotal: shipping,
    taxTotal,
    total: subtotal - discountTotal + shipping + (tax.pricesIncludeTax ? 0 : taxTotal),
    lines: lines.map((_, i) => ({ discount: discounts[i] ?? 0, tax: taxes[i] ?? 0 })),
  };
};
