/**
 * A small E.164 phone normaliser (no dependency): `+1 (503) 555-0100`, `503.555.0100`,
 * `001 503 555 0100` and `+44 (0)20 7946 0958` all become `+<country code><number>`.
 *
 * Limits (documented in docs/customers.md): numbers without a country code are read in the default
 * country, which must be one of COUNTRIES; national lengths are checked only roughly; number types
 * (mobile, landline) are not told apart; extensions are refused.
 */

interface CountryPlan {
  /** Country calling code. */
  code: string;
  /** National trunk prefix dropped in international form (the 0 in 020 …, the 1 of NANP). */
  trunk?: string;
  /** Length range of the national significant number. */
  nsn: readonly [number, number];
  /** International call prefixes besides 00. */
  exits?: readonly string[];
}

const NANP: CountryPlan = { code: '1', trunk: '1', nsn: [10, 10], exits: ['011'] };

export const COUNTRIES: Readonly<Record<string, CountryPlan>> = {
  US: NANP,
  CA: NANP,
  GB: { code: '44', trunk: '0', nsn: [9, 10] },
  IE: { code: '353', trunk: '0', nsn: [7, 9] },
  FR: { code: '33', trunk: '0', nsn: [9, 9] },
  DE: { code: '49', trunk: '0', nsn: [6, 13] },
  AT: { code: '43', trunk: '0', nsn: [4, 13] },
  CH: { code: '41', trunk: '0', nsn: [9, 9] },
  BE: { code: '32', trunk: '0', nsn: [8, 9] },
  NL: { code: '31', trunk: '0', nsn: [9, 9] },
  LU: { code: '352', nsn: [4, 11] },
  ES: { code: '34', nsn: [9, 9] },
  PT: { code: '351', nsn: [9, 9] },
  // Italy keeps the leading 0 of landlines in international form.
  IT: { code: '39', nsn: [6, 11] },
  SE: { code: '46', trunk: '0', nsn: [7, 9] },
  NO: { code: '47', nsn: [8, 8] },
  DK: { code: '45', nsn: [8, 8] },
  FI: { code: '358', trunk: '0', nsn: [5, 12] },
  PL: { code: '48', nsn: [9, 9] },
  AU: { code: '61', trunk: '0', nsn: [9, 9], exits: ['0011'] },
  NZ: { code: '64', trunk: '0', nsn: [8, 10] },
  JP: { code: '81', trunk: '0', nsn: [9, 10], exits: ['010'] },
  BR: { code: '55', trunk: '0', nsn: [10, 11] },
  MX: { code: '52', nsn: [10, 10] },
  IN: { code: '91', trunk: '0', nsn: [10, 10] },
};

const ALLOWED = /^[+]?[0-9 ().\-/]+$/;

/** The number in E.164 (`+15035550100`), or null when it cannot be read as a phone number. */
export const normalizePhone = (raw: string, defaultCountry: string): string | null => {
  const input = raw.trim().replace(/^tel:/i, '');
  if (input.length === 0 || input.length > 40 || !ALLOWED.test(input)) return null;
  // "+44 (0)20 …": the trunk 0 in parentheses is not dialled from abroad.
  const cleaned = input.replace(/\(0\)/g, '');
  const digits = cleaned.replace(/\D/g, '');
  const plan = COUNTRIES[defaultCountry.toUpperCase()];
  let international: string | null = null;
  if (cleaned.startsWith('+')) international = digits;
  else if (digits.startsWith('00')) international = digits.slice(2);
  else {
    const exit = plan?.exits?.find((e) => digits.startsWith(e));
    if (exit) international = digits.slice(exit.length);
  }
  if (international !== null) {
    if (!/^[1-9][0-9]{7,14}$/.test(international)) return null;
    return `+${international}`;
  }
  if (!plan) return null;
  let national = digits;
  const [min, max] = plan.nsn;
  if (plan.trunk && national.startsWith(plan.trunk) && national.length - plan.trunk.length >= min) {
    national = national.slice(plan.trunk.length);
  }
  if (national.length < min || national.length > max) return null;
  const e164 = `${plan.code}${national}`;
  return e164.length <= 15 ? `+${e164}` : null;
};
