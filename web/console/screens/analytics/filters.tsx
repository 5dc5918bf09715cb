/**
 * The report's filters: a period (a preset or two days), a channel, a location, the grouping and an
 * optional report currency; all in the page's URL. The CSV download takes the same filters.
 */
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../../kit/fields.tsx';
import { csvUrl, type Filters, GROUPS, type Names, reportQuery } from './data.ts';
import { CsvLink, PeriodFields } from './period.tsx';

export const ReportFilters = ({
  filters,
  set,
  shown,
  timeZone,
  names,
  currencies,
  periodError,
}: {
  filters: Filters;
  set: (patch: Partial<Filters>) => void;
  /** The period the last answer covers (the date fields show it when the URL has none). */
  shown: { from: string; to: string } | undefined;
  timeZone: string;
  names: Names;
  currencies: readonly string[];
  periodError: string | undefined;
}) => {
  const { t } = useTranslation();
  return (
    <div className="an-filters" data-testid="analytics-filters">
      <PeriodFields period={filters} set={set} shown={shown} timeZone={timeZone} error={periodError} />
      <SelectField
        label={t('analytics.filters.channel')}
        value={filters.channel}
        onChange={(e) => set({ channel: e.target.value })}
        data-testid="analytics-channel"
      >
        <option value="">{t('analytics.filters.allChannels')}</option>
        {names.channels.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('analytics.filters.location')}
        value={filters.location}
        onChange={(e) => set({ location: e.target.value })}
        data-testid="analytics-location"
      >
        <option value="">{t('analytics.filters.allLocations')}</option>
        {names.locations.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('analytics.filters.groupBy')}
        value={filters.by}
        onChange={(e) => set({ by: e.target.value === 'location' ? 'location' : 'channel' })}
        options={GROUPS.map((g) => ({ value: g, label: t(`analytics.filters.by.${g}`) }))}
        data-testid="analytics-group-by"
      />
      <SelectField
        label={t('analytics.filters.reportCurrency')}
        value={filters.in}
        onChange={(e) => set({ in: e.target.value })}
        data-testid="analytics-report-currency"
      >
        <option value="">{t('analytics.filters.noReportCurrency')}</option>
        {currencies.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </SelectField>
      <span className="pz-spacer" />
      <CsvLink href={periodError ? undefined : csvUrl(reportQuery(filters))} testId="analytics-csv" />
    </div>
  );
};
