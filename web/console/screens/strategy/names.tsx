/**
 * Words and figures of the advisor in the page's language. The result's phrases are a message key
 * with parameters (src/modules/strategy/model/phrases.ts): their templates and the labels their
 * parameters refer to (`strategy.*`, `factor.*`, `input.*`, `value.*`, `channel.*`, `medium.*`) are
 * under `strategy.phrases` in the messages; the API's English text stands in for a key the console
 * does not know. Screens name strategies with `strategy.names` (a label, not a sentence's words).
 */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import type { Contribution, Measure, Phrase } from './data.ts';
import { dayDate, type ParamFormat, phraseParams, valueKind } from './values.ts';

type Source = Contribution['source'];
type InputValue = Contribution['value'];

export const useNames = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const percent = (ratio: number) => t('strategy.percent', { n: f.number(Math.round(ratio * 1000) / 10) });
  /** A label of the phrases (`factor.repeat_purchase_rate`), else the code itself. */
  const label = (prefix: string, code: string) =>
    t(`strategy.phrases.${prefix}.${code}`, { defaultValue: code });
  const list = (items: string[], type: 'conjunction' | 'unit') =>
    new Intl.ListFormat(f.locale, { type, style: 'long' }).format(items);
  const strategy = (s: string) => t(`strategy.names.${s}`, { defaultValue: s });
  const factor = (key: string) => label('factor', key);
  const input = (name: string) => label('input', name);

  /** A measured figure in its unit (a missing one says so). */
  const measured = (key: string, unit: Measure['unit'] | undefined, v: number | null, currency: string) => {
    if (v === null) return t('strategy.missing');
    switch (valueKind(key, unit)) {
      case 'percent':
        return percent(v);
      case 'multiple':
        return t('strategy.multiple', { n: f.number(Math.round(v * 100) / 100) });
      case 'money':
        return currency ? f.money(Math.round(v), currency) : f.number(Math.round(v));
      case 'km':
        return t('strategy.km', { n: f.number(Math.round(v * 10) / 10) });
      default:
        return f.number(Math.round(v * 100) / 100);
    }
  };

  /** An input's value as answered or measured (choices by their labels); "missing" for none. */
  const value = (name: string, source: Source, v: InputValue, currency: string, unit?: Measure['unit']) => {
    if (v === null) return t('strategy.missing');
    if (Array.isArray(v))
      return v.length === 0
        ? label('value', 'none')
        : list(
            v.map((x) => label('value', x)),
            'unit',
          );
    if (typeof v === 'string') return name === 'currency' ? v : label('value', v);
    if (source === 'measure') return measured(name, unit, v, currency);
    if (name === 'budget_per_year') return currency ? f.money(v, currency) : f.number(v);
    if (name === 'gross_margin_rate') return percent(v);
    if (name === 'fiscal_year_start') return monthName(v, f.locale);
    return f.number(v);
  };

  const format: ParamFormat = {
    number: f.number,
    money: (minor, currency) => f.money(minor, currency),
    day: (d) => f.day(dayDate(d)),
    label,
    list,
  };
  /** Points with their sign (+1.5, −0.5, 0), one decimal. */
  const signed = (v: number) =>
    new Intl.NumberFormat(f.locale, { signDisplay: 'exceptZero', maximumFractionDigits: 1 }).format(v);
  /** How far an input must move (flips_at − current), with its sign, in the input's unit. */
  const change = (name: string, source: Source, v: number, currency: string, unit?: Measure['unit']) =>
    `${v > 0 ? '+' : v < 0 ? '−' : ''}${value(name, source, Math.abs(v), currency, unit)}`;

  /** A phrase of the result in the page's language, its parameters formatted and named. */
  const phrase = (p: Phrase) =>
    t(`strategy.phrases.${p.key}`, { ...phraseParams(p.params, format), defaultValue: p.text });

  return { strategy, factor, input, measured, value, phrase, percent, label, list, signed, change };
};

export type Names = ReturnType<typeof useNames>;

/** A month's name (1–12) in the locale. */
export const monthName = (month: number, locale: string): string =>
  new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, month - 1, 1)),
  );
