/**
 * A report's period: a preset (the last 7, 30 or 90 days of the analytics time zone) or two days. An
 * empty period is the API's default, the last 30 days; the date fields then show the days the last
 * answer covered. Shared by the report screens of the area.
 */
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { localDate } from './data.ts';

const PRESETS = [7, 30, 90] as const;
const DEFAULT_DAYS = 30;

export interface Period {
  from: string;
  to: string;
}

/** Which preset the period is (an empty period is the API's default, the last 30 days), else 'custom'. */
const presetOf = (p: Period, timeZone: string): string => {
  if (!p.from && !p.to) return String(DEFAULT_DAYS);
  const today = localDate(timeZone);
  const hit = PRESETS.find((n) => p.to === today && p.from === localDate(timeZone, n - 1));
  return hit ? String(hit) : 'custom';
};

/** The message of a period whose first day is after its last, or undefined. */
export const usePeriodError = (p: Period): string | undefined => {
  const { t } = useTranslation();
  return p.from && p.to && p.from > p.to ? t('analytics.filters.fromAfterTo') : undefined;
};

export const PeriodFields = ({
  period,
  set,
  shown,
  timeZone,
  error,
}: {
  period: Period;
  set: (patch: Period) => void;
  /** The period the last answer covers (the date fields show it when the URL has none). */
  shown: Period | undefined;
  timeZone: string;
  error: string | undefined;
}) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const preset = presetOf(period, timeZone);
  const choosePreset = (v: string) => {
    const n = Number(v);
    if (n === DEFAULT_DAYS) set({ from: '', to: '' });
    else if (n > 0) set({ from: localDate(timeZone, n - 1), to: localDate(timeZone) });
  };
  return (
    <>
      <SelectField
        label={t('analytics.filters.period')}
        value={preset}
        onChange={(e) => choosePreset(e.target.value)}
        data-testid="analytics-period"
      >
        {PRESETS.map((n) => (
          <option key={n} value={n}>
            {t('analytics.filters.lastDays', { days: fmt.number(n) })}
          </option>
        ))}
        {preset === 'custom' && <option value="custom">{t('analytics.filters.custom')}</option>}
      </SelectField>
      <Field
        label={t('analytics.filters.from')}
        type="date"
        value={period.from || shown?.from || ''}
        max={period.to || shown?.to}
        onChange={(e) => set({ from: e.target.value, to: period.to || shown?.to || '' })}
        error={error}
        data-testid="analytics-from"
      />
      <Field
        label={t('analytics.filters.to')}
        type="date"
        value={period.to || shown?.to || ''}
        onChange={(e) => set({ to: e.target.value, from: period.from || shown?.from || '' })}
        data-testid="analytics-to"
      />
    </>
  );
};

/** The CSV download of a report: a link to the same query with format=csv. */
export const CsvLink = ({ href, testId }: { href: string | undefined; testId: string }) => {
  const { t } = useTranslation();
  return (
    <div className="pz-field">
      <a className="pz-btn" href={href} aria-disabled={href ? undefined : true} download data-testid={testId}>
        {t('analytics.csv')}
      </a>
    </div>
  );
};
