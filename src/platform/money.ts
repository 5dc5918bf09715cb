import currencyCodes from 'currency-codes';

/** Money is an integer amount in minor units with an ISO 4217 currency. Never a float. */
export interface Money {
  amount: number;
  currency: string;
}

/**
 * ISO 4217 codes that are not money one sells in: precious metals, bond market units, IMF and
 * regional units of account, the testing code and "no currency". The maintained list marks their
 * minor units "N.A.".
 */
const NOT_TENDER = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
]);

/**
 * True for an active ISO 4217 currency code, from the maintained ISO list (the currency-codes
 * package), not from the runtime's ICU data, which lags behind and disagrees on minor units.
 */
export const isCurrency = (code: string): boolean =>
  /^[A-Z]{3}$/.test(code) && !NOT_TENDER.has(code) && currencyCodes.code(code) !== undefined;

/**
 * Digits after the decimal point as ISO 4217 defines them: 2 for EUR and HUF, 0 for JPY and KRW, 3
 * for KWD, 4 for CLF. ICU (Intl) differs for 17 currencies (HUF, IDR, PKR, COP … show 0 digits
 * there, but ISO and payment providers count them in hundredths), so ISO is the source.
 * A well-formed code the list no longer has (a retired currency such as HRK on an old order) counts 2,
 * as ICU does.
 */
export const minorUnitDigits = (currency: string): number =>
  (isCurrency(currency) ? currencyCodes.code(currency)?.digits : undefined) ?? 2;

/** Checks that an amount is a safe integer number of minor units. */
export const isMinorAmount = (n: number): boolean => Number.isSafeInteger(n);

/** Formats minor units for display, e.g. formatMoney(1999, 'EUR', 'fr-FR') → "19,99 €". */
export const formatMoney = (amount: number, currency: string, locale = 'en'): string => {
  const digits = minorUnitDigits(currency);
  // ISO's digits, not ICU's: 1999 HUF minor units are 19,99 Ft, not "20 Ft".
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
};

/**
 * What priced goods cost: their value less discounts, plus shipping, plus tax unless the prices
 * already include it. The one formula for a line's total and an order's (pricing and stored orders).
 */
export const amountDue = (
  a: { value: number; discount: number; tax: number; shipping?: number },
  pricesIncludeTax: boolean,
): number => a.value - a.discount + (a.shipping ?? 0) + (pricesIncludeTax ? 0 : a.tax);

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
