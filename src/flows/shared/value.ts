import { allocate } from '../../platform/money.ts';

/** What an order line is worth: its total (after discount, with tax when added) for its quantity. */
export interface Valued {
  quantity: number;
  total: number;
  tax_amount: number;
}

/** The value of the first `k` units of a line: a proportional share of its total, exact in minor units. */
const upTo = (amount: number, quantity: number, k: number): number =>
  k <= 0 ? 0 : k >= quantity ? amount : (allocate(amount, [k, quantity - k])[0] ?? 0);

/**
 * The value of units `from + 1 … from + count` of a line. Taking units in any number of steps
 * (pickups, returns) adds up to exactly the line's total, because each step is the difference of
 * two cumulative shares.
 */
export const unitsValue = (line: Valued, from: number, count: number): { amount: number; tax: number } => ({
  amount: upTo(line.total, line.quantity, from + count) - upTo(line.total, line.quantity, from),
  tax: upTo(line.tax_amount, line.quantity, from + count) - upTo(line.tax_amount, line.quantity, from),
});
