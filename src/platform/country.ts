/** ISO 3166-1 alpha-2 country codes, checked against the runtime's ICU region names. */

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** User-assigned and reserved codes ICU still names (Kosovo's XK is in use and allowed). */
const NOT_COUNTRIES = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

/** True for an assigned ISO 3166-1 alpha-2 country code (ICU knows its name). */
export const isCountry = (code: string): boolean => {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.test(code)) return false;
  try {
    return regionNames.of(code) !== code;
  } catch {
    return false;
  }
};
