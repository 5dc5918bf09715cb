/** Money is an integer amount in minor units with an ISO 4217 currency. Never a float. */
export interface Money {
  amount: number;
  currency: string;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** True for an active ISO 4217 code (as known to the runtime's ICU data). */
export const isCurrency = (code: string): boolean => /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);

/** Digits after the decimal point: 2 for EUR, 0 for JPY and KRW, 3 for KWD. */
export const minorUnitDigits = (currency: string): number =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** Checks that an amount is a safe integer number of minor units. */
export const isMinorAmount = (n: number): boolean => Number.isSafeInteger(n);

/** Formats minor units for display, e.g. formatMoney(1999, 'EUR', 'fr-FR') → "19,99 €". */
export const formatMoney = (amount: number, currency: string, locale = 'en'): string => {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** digits);
};

/**
 * Splits `total` into parts proportional to `weights`, exactly (largest remainder): the parts
 * always sum to `total`. Used to spread discounts and refunds over lines.
 */
export const allocate = (total: number, weights: readonly number[]): number[] => {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map((r) => Math.floor(r));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => ({ i, frac: r - Math.floor(r) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) {
    const idx = order[k]?.i ?? 0;
    parts[idx] = (parts[idx] ?? 0) + 1;
  }
  return parts;
};
