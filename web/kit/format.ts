/** Money, numbers and dates through Intl, in the page's language (and a channel's locale when given). */
import { useTranslation } from 'react-i18next';

/** The Intl locale for a UI language: Arabic uses Arabic-Indic digits, as a reader in Arabic expects. */
export const intlLocale = (lang: string, channelLocale?: string): string => {
  if (lang === 'ar') return 'ar-EG';
  if (lang === 'ko') return 'ko-KR';
  return channelLocale?.startsWith(lang) ? channelLocale : lang === 'en' ? 'en-US' : lang;
};

const digitsOf = (currency: string, locale: string): number =>
  new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** Formats an amount in minor units (`1999`, `EUR`) as the locale writes it. */
export const formatMoney = (minor: number, currency: string, locale: string): string => {
  const digits = digitsOf(currency, locale);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
};

export const formatNumber = (n: number, locale: string): string => new Intl.NumberFormat(locale).format(n);

export const formatDate = (iso: string | Date, locale: string, withTime = true): string =>
  new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(typeof iso === 'string' ? new Date(iso) : iso);

/** Formatters bound to the current UI language (re-rendered when it changes). */
export const useFormat = (channelLocale?: string) => {
  const { i18n } = useTranslation();
  const locale = intlLocale(i18n.language, channelLocale);
  return {
    locale,
    money: (minor: number, currency: string) => formatMoney(minor, currency, locale),
    number: (n: number) => formatNumber(n, locale),
    date: (iso: string | Date) => formatDate(iso, locale),
    day: (iso: string | Date) => formatDate(iso, locale, false),
  };
};
