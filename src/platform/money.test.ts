import currencyCodes from 'currency-codes';
import { describe, expect, it } from 'vitest';
import { formatMoney, isCurrency, minorUnitDigits } from './money.ts';

describe('money: minor units from ISO 4217 (currency-codes), not from ICU', () => {
  it('counts HUF, IDR, PKR, COP … in hundredths as ISO 4217 does (ICU says 0 digits)', () => {
    for (const code of [
      'HUF',
      'IDR',
      'PKR',
      'COP',
      'AFN',
      'ALL',
      'IRR',
      'LAK',
      'LBP',
      'MMK',
      'SOS',
      'SYP',
      'YER',
    ]) {
      expect(minorUnitDigits(code), code).toBe(2);
    }
    expect(minorUnitDigits('IQD')).toBe(3);
    expect(minorUnitDigits('CLF')).toBe(4);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
  });

  it('agrees with the ISO list for every currency it accepts', () => {
    const accepted = currencyCodes.codes().filter(isCurrency);
    expect(accepted.length).toBeGreaterThan(150);
    for (const code of accepted) expect(minorUnitDigits(code), code).toBe(currencyCodes.code(code)?.digits);
  });

  it('accepts only currencies one can sell in', () => {
    expect(isCurrency('HUF')).toBe(true);
    expect(isCurrency('XAU')).toBe(false); // gold
    expect(isCurrency('XTS')).toBe(false); // testing code
    expect(isCurrency('HRK')).toBe(false); // replaced by the euro in 2023
  });

  it('formats with the ISO digits: 1999 HUF minor units are 19.99, not 20', () => {
    expect(formatMoney(1999, 'HUF', 'en-US')).toMatch(/19\.99/);
    expect(formatMoney(1999, 'EUR', 'fr-FR')).toBe('19,99\u00a0€');
    expect(formatMoney(1999, 'JPY', 'en-US')).toBe('¥1,999');
  });
});
