import { describe, expect, it } from 'vitest';
import { formatMoney, intlLocale } from './format.ts';

describe('money in the page language', () => {
  it('divides minor units by the currency digits', () => {
    expect(formatMoney(1999, 'USD', 'en-US')).toBe('$19.99');
    expect(formatMoney(1999, 'JPY', 'en-US')).toBe('¥1,999');
    expect(formatMoney(1999, 'KWD', 'en-US')).toMatch(/^KWD\s1\.999$/);
  });

  it('writes Arabic prices with Arabic-Indic digits and Korean ones in won', () => {
    const ar = formatMoney(3899, 'USD', intlLocale('ar'));
    expect(ar).toMatch(/[٠-٩]/);
    expect(ar).toContain('٣٨');
    expect(formatMoney(15000, 'KRW', intlLocale('ko'))).toBe('₩15,000');
  });

  it("uses the channel's locale when it is in the page's language", () => {
    expect(intlLocale('en', 'en-GB')).toBe('en-GB');
    expect(intlLocale('en', 'fr-FR')).toBe('en-US');
  });
});
