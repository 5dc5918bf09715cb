/**
 * Customer value (GET /admin/analytics/customers): as of a day and in one currency, what customers
 * who bought online only, in store only or both are worth (with the headline multiple of an
 * omnichannel customer over an online-only one), the same by first channel, the retention heat map,
 * the RFM groups, the lifetime value model's parameters, and the CSV export of the groups; all of
 * them for the members of one segment if chosen. Filters live in the URL
 * (`?to=…&currency=EUR&segment=seg_…`); without them the API answers for every customer, as of today,
 * in the currency most sold in.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { EmptyState, ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import { CURRENCY, DATE, useNames } from './data.ts';
import {
  type CustomerGroup,
  type CustomersQuery,
  exportUrl,
  jsonOnly,
  MIXES,
  measureKeys,
  useUrlState,
} from './measure-data.ts';
import { AnalyticsPage } from './page.tsx';
import { CsvLink } from './period.tsx';
import { RetentionMap } from './retention.tsx';
import { GroupTable, Headline, ModelDetails, RfmTable } from './value-tables.tsx';

const SPEC = { to: { valid: DATE }, currency: { valid: CURRENCY }, segment: { valid: /^seg_\w+$/ } };

const CustomerValueScreen = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [f, set] = useUrlState(SPEC);
  const names = useNames();
  const q: CustomersQuery = {
    ...(f.to ? { to: f.to } : {}),
    ...(f.currency ? { currency: f.currency } : {}),
    ...(f.segment ? { segment_id: f.segment } : {}),
  };
  const report = useQuery({
    queryKey: measureKeys.customers(q),
    queryFn: async () =>
      jsonOnly(await unwrap(staffApi.GET('/admin/analytics/customers', { params: { query: q } }))),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => ((query.state.data?.customers ?? 0) > 0 ? 60_000 : 5000),
  });
  const segments = useQuery({
    queryKey: measureKeys.segmentList,
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/segments', { params: { query: { limit: 200 } } }))).data,
    staleTime: 60_000,
  });
  const data = report.data;
  // the segment the answer is for (the picker may have moved on while the next answer loads)
  const segmentName =
    report.data && !report.isPlaceholderData && f.segment
      ? (segments.data?.find((s) => s.id === f.segment)?.name ?? f.segment)
      : undefined;
  const currencies = useMemo(
    () =>
      [
        ...new Set([
          ...names.channels.map((c) => c.currency),
          ...(data ? [data.currency, ...data.currencies] : []),
          ...(f.currency ? [f.currency] : []),
        ]),
      ].sort(),
    [names.channels, data, f.currency],
  );
  const mixName = useCallback((g: CustomerGroup) => t(`analytics.value.mix.${g.key}`), [t]);
  const channelName = useCallback((g: CustomerGroup) => names.channel(g.key), [names]);
  const mixes = useMemo(
    () => [
      ...MIXES.flatMap((m) => (data?.by_mix ?? []).filter((g) => g.key === m)),
      ...(data && data.customers > 0 ? [data.all] : []),
    ],
    [data],
  );
  return (
    <AnalyticsPage>
      <div className="an-filters" data-testid="value-filters">
        <Field
          label={t('analytics.value.asOf')}
          type="date"
          value={f.to || data?.to || ''}
          onChange={(e) => set({ to: e.target.value })}
          data-testid="value-as-of"
        />
        <SelectField
          label={t('analytics.value.currency')}
          value={f.currency || data?.currency || ''}
          onChange={(e) => set({ currency: e.target.value })}
          data-testid="value-currency"
        >
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('analytics.value.segment')}
          value={f.segment}
          onChange={(e) => set({ segment: e.target.value })}
          data-testid="value-segment"
        >
          <option value="">{t('analytics.value.allSegments')}</option>
          {(segments.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <span className="pz-spacer" />
        <CsvLink href={exportUrl('/admin/analytics/customers', q)} testId="value-csv" />
      </div>
      {report.isError ? (
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : !data ? (
        <Skeleton lines={8} />
      ) : (
        <div className="pz-stack" aria-busy={report.isFetching || undefined} data-testid="value-report">
          <p className="pz-muted" data-testid="value-scope">
            {t('analytics.value.scope', {
              n: fmt.number(data.customers),
              to: fmt.day(`${data.to}T12:00:00Z`),
              currency: data.currency,
            })}
            {segmentName && ` ${t('analytics.value.scopeSegment', { segment: segmentName })}`}
            {data.computed_at && (
              <span data-testid="value-computed-at">
                {` ${t('analytics.value.computedAt', { at: fmt.date(data.computed_at) })}`}
              </span>
            )}
          </p>
          {data.customers === 0 ? (
            <EmptyState title={t('analytics.value.none')} />
          ) : (
            <>
              <Headline data={data} />
              <GroupTable
                title={t('analytics.value.byMix')}
                groups={mixes}
                currency={data.currency}
                name={(g) => (g.key === 'all' ? t('analytics.value.all') : mixName(g))}
                testId="value-mix"
              />
              <RetentionMap data={data} channelName={names.channel} />
              <GroupTable
                title={t('analytics.value.byFirstChannel')}
                groups={data.by_first_channel}
                currency={data.currency}
                name={channelName}
                testId="value-channel"
              />
              <RfmTable rows={data.rfm} currency={data.currency} />
              <ModelDetails model={data.model} />
            </>
          )}
        </div>
      )}
    </AnalyticsPage>
  );
};

export default CustomerValueScreen;
