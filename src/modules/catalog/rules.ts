/**
 * Catalog rules that need no database: SKU and barcode formats, handles, option combinations,
 * price lists. Shared by the HTTP services, the CSV import and the demo seed.
 */

/** A problem with one field of the input: `path` such as `body.variants[0].sku`. */
export interface FieldError {
  path: string;
  message: string;
}

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
export const HANDLE_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_OPTION_NAMES = 3;

/** Trims a SKU and checks it (case is kept: `abc-1` and `ABC-1` are different SKUs). */
export const normalizeSku = (raw: string): { sku: string } | { error: string } => {
  const sku = raw.trim();
  if (!SKU_PATTERN.test(sku)) {
    return {
      error:
        'must be 1-64 characters: letters, digits and . _ / -, starting with a letter or digit ' +
        `(got "${sku.slice(0, 80)}")`,
    };
  }
  return { sku };
};

/** GS1 check digit of the digits before the last one (EAN-8, UPC-A, EAN-13 all use it). */
const gs1CheckDigit = (body: string): number => {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    // Weights 3,1,3,1… starting from the rightmost digit of the body.
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
};

/** True for an EAN-8, UPC-A (12 digits) or EAN-13 code with a correct check digit. */
export const isValidGtin = (code: string): boolean => {
  if (!/^([0-9]{8}|[0-9]{12,13})$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));
};

/** Appends the check digit to 7, 11 or 12 digits (for generating demo barcodes). */
export const withCheckDigit = (body: string): string => `${body}${gs1CheckDigit(body)}`;

/** Trims a barcode and checks format and check digit; empty means none. */
export const normalizeBarcode = (
  raw: string | null | undefined,
): { barcode: string | null } | { error: string } => {
  const barcode = raw?.trim() ?? '';
  if (barcode === '') return { barcode: null };
  if (!/^([0-9]{8}|[0-9]{12,13})$/.test(barcode)) {
    return { error: 'must be an EAN-8, UPC-A (12 digits) or EAN-13 barcode' };
  }
  if (!isValidGtin(barcode)) return { error: `check digit of ${barcode} is wrong` };
  return { barcode };
};

/** A handle from a title: lower case ASCII words joined by dashes ("Crème Tee" → "creme-tee"). */
export const slugify = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90)
    .replace(/-+$/g, '') || 'item';

/** Trims option names, refusing blanks and duplicates (case-insensitive). */
export const checkOptionNames = (names: readonly string[]): { names: string[] } | { error: string } => {
  const out = names.map((n) => n.trim());
  if (out.some((n) => n === '')) return { error: 'option names must not be blank' };
  if (out.length > MAX_OPTION_NAMES) return { error: `at most ${MAX_OPTION_NAMES} option names` };
  const lower = out.map((n) => n.toLowerCase());
  if (new Set(lower).size !== lower.length) return { error: 'option names must be unique' };
  return { names: out };
};

/** Checks a variant's options against its product's option names; returns the trimmed options. */
export const checkOptions = (
  optionNames: readonly string[],
  options: Readonly<Record<string, string>>,
): { options: Record<string, string> } | { error: string } => {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(options)) {
    if (!optionNames.includes(key)) {
      return {
        error: `option "${key}" is not one of the product's option names (${optionNames.join(', ') || 'none'})`,
      };
    }
    const value = raw.trim();
    if (value === '') return { error: `option "${key}" has an empty value` };
    out[key] = value;
  }
  return { options: out };
};

/** A canonical key of an option combination (key order does not matter). */
export const optionsKey = (options: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A variant title from its option values ("M / Black"), or "Default" without options. */
export const defaultVariantTitle = (
  optionNames: readonly string[],
  options: Readonly<Record<string, string>>,
): string => {
  const values = optionNames.map((n) => options[n]).filter((v): v is string => v !== undefined);
  return values.length ? values.join(' / ') : 'Default';
};

/** One price of a variant on a channel, as validated input. */
export interface PriceWindow {
  amount: number;
  compare_at_amount: number | null;
  starts_at: Date | null;
  ends_at: Date | null;
}

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/**
 * Checks one (variant, channel) price list: amounts are safe non-negative integers, a compare-at
 * amount is above the amount, a window ends after it starts, at most one base price (no
 * starts_at), and scheduled windows (with starts_at) do not overlap each other — so the
 * current price at any time is unambiguous.
 */
export const checkPriceList = (
  prices: readonly PriceWindow[],
  pathOf: (i: number) => string,
): FieldError[] => {
  const errors: FieldError[] = [];
  prices.forEach((p, i) => {
    const at = pathOf(i);
    if (!Number.isSafeInteger(p.amount) || p.amount < 0 || p.amount > MAX_AMOUNT) {
      errors.push({ path: `${at}.amount`, message: 'must be a non-negative integer in minor units' });
    }
    if (p.compare_at_amount !== null) {
      if (!Number.isSafeInteger(p.compare_at_amount)) {
        errors.push({ path: `${at}.compare_at_amount`, message: 'must be an integer in minor units' });
      } else if (p.compare_at_amount <= p.amount) {
        errors.push({ path: `${at}.compare_at_amount`, message: 'must be greater than amount' });
      }
    }
    if (p.starts_at && p.ends_at && p.ends_at.getTime() <= p.starts_at.getTime()) {
      errors.push({ path: `${at}.ends_at`, message: 'must be after starts_at' });
    }
  });
  const bases = prices.map((p, i) => ({ p, i })).filter(({ p }) => p.starts_at === null);
  for (const { i } of bases.slice(1)) {
    errors.push({
      path: `${pathOf(i)}.starts_at`,
      message: `only one price without starts_at (the base price) is allowed; ${pathOf(bases[0]?.i ?? 0)} is one`,
    });
  }
  const windows = prices
    .map((p, i) => ({ start: p.starts_at?.getTime(), end: p.ends_at?.getTime() ?? Infinity, i }))
    .filter((w): w is { start: number; end: number; i: number } => w.start !== undefined)
    .sort((a, b) => a.start - b.start);
  for (let k = 1; k < windows.length; k++) {
    const prev = windows[k - 1] as { start: number; end: number; i: number };
    const cur = windows[k] as { start: number; end: number; i: number };
    if (cur.start < prev.end) {
      errors.push({
        path: `${pathOf(cur.i)}.starts_at`,
        message: `window overlaps ${pathOf(prev.i)}; scheduled prices must not overlap`,
      });
    }
  }
  return errors;
};

/**
 * The current price at `at` by the catalog rule (the JS twin of the SQL in repo-prices.ts): among
 * prices whose window contains `at` (start inclusive, end exclusive), the latest starts_at wins and
 * the base price (no starts_at) comes last. Undefined means not sellable.
 */
export const currentOf = <P extends { starts_at: Date | null; ends_at: Date | null }>(
  prices: readonly P[],
  at: Date,
): P | undefined => {
  const t = at.getTime();
  let best: P | undefined;
  for (const p of prices) {
    if (p.starts_at && p.starts_at.getTime() > t) continue;
    if (p.ends_at && p.ends_at.getTime() <= t) continue;
    if (!best || (p.starts_at?.getTime() ?? -Infinity) > (best.starts_at?.getTime() ?? -Infinity)) best = p;
  }
  return best;
};
