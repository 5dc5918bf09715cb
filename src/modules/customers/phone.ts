/**
 * Phone numbers to E.164 through libphonenumber-js (Google's libphonenumber metadata, full
 * validation): `+1 (503) 555-0100`, `503.555.0100`, `09171234567` in the Philippines,
 * `010-1234-5678` in Korea or `8 (912) 345-67-89` in Russia all become `+<country code><number>`.
 *
 * A number without a country code is read in a default country: the store location's at a counter,
 * the channel's online, else PLAZA_COUNTRY (see docs/customers.md). `00` is accepted as the
 * international prefix everywhere (a visitor's habit), besides each country's own (011 in the US).
 * Extensions and letters are refused: an identity is a number one can call and look up.
 */
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

const ALLOWED = /^[+]?[0-9 ().\-/]+$/;

const e164 = (text: string, country: CountryCode | undefined): string | null => {
  const p = parsePhoneNumberFromString(text, country ? { defaultCountry: country } : undefined);
  return p?.isValid() && !p.ext ? p.number : null;
};

/** The number in E.164 (`+15035550100`), or null when it is not a valid phone number. */
export const normalizePhone = (raw: string, defaultCountry: string): string | null => {
  const input = raw.trim().replace(/^tel:/i, '');
  if (input.length === 0 || input.length > 40 || !ALLOWED.test(input)) return null;
  const upper = defaultCountry.toUpperCase();
  const country = isSupportedCountry(upper) ? upper : undefined;
  const found = e164(input, country);
  if (found) return found;
  const digits = input.replace(/\D/g, '');
  return !input.startsWith('+') && digits.startsWith('00') ? e164(`+${digits.slice(2)}`, undefined) : null;
};
