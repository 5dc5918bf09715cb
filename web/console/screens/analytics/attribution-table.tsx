/**
 * The attribution report's rows: a medium (or campaign) and currency each, with a column group per
 * model (credited sales, credited revenue) so the six models read side by side; and a bar chart of
 * the credited sales of the leading keys by model.
 */
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BarChart, type BarGroup } from '../../../kit/bar-chart.tsx';
import { useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Card } from '../../../kit/ui.tsx';
import { CampaignKey } from './campaign-key.tsx';
import { type Attribution, type AttributionRow, decimal, MODELS, mediumKeys } from './measure-data.ts';

/** Keys the chart shows at most (the table has every one). */
const CHART_KEYS = 8;

/** The name of a row's key: a medium in words (Plaza's own) or as tagged (cpc), a campaign's name. */
export const useKeyName = () => {
  const { t } = useTranslation();
  return useCallback(
    (r: Pick<AttributionRow, 'key' | 'name'>, by: string) =>
      by === 'campaign' ? (r.name ?? r.key) : t(mediumKeys(r.key), { defaultValue: r.key }),
    [t],
  );
};

const Num = ({ children, testId }: { children: string; testId?: string }) => (
  <span className="pz-num an-nowrap" data-testid={testId}>
    {children}
  </span>
);

export const AttributionTable = ({ data }: { data: Attribution }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const keyName = useKeyName();
  const by = data.by;
  const columns = useMemo<ColumnDef<AttributionRow, unknown>[]>(
    () => [
      {
        id: 'key',
        header: by === 'campaign' ? t('analytics.attribution.campaign') : t('analytics.attribution.medium'),
        cell: ({ row }) =>
          by === 'campaign' ? (
            <CampaignKey id={row.original.key} name={row.original.name} testId="attribution-row-key" />
          ) : (
            <span className="an-nowrap" data-testid="attribution-row-key">
              {keyName(row.original, by)}
            </span>
          ),
      },
      {
        id: 'currency',
        header: t('analytics.attribution.currency'),
        cell: ({ row }) => row.original.currency,
      },
      ...MODELS.map(
        (m): ColumnDef<AttributionRow, unknown> => ({
          id: m,
          header: t(`analytics.models.${m}.name`),
          columns: [
            {
              id: `${m}-sales`,
              header: t('analytics.attribution.sales'),
              cell: ({ row }) => (
                <Num testId={`attribution-sales-${m}`}>
                  {decimal(row.original.credits[m].conversions, fmt.locale, 2)}
                </Num>
              ),
            },
            {
              id: `${m}-revenue`,
              header: t('analytics.attribution.revenue'),
              cell: ({ row }) => (
                <Num>{fmt.money(row.original.credits[m].revenue, row.original.currency)}</Num>
              ),
            },
          ],
        }),
      ),
    ],
    [t, fmt, by, keyName],
  );
  const title =
    by === 'campaign' ? t('analytics.attribution.titleByCampaign') : t('analytics.attribution.titleByMedium');
  return (
    <Card title={title}>
      <div className="an-compact">
        <DataTable
          columns={columns}
          data={data.rows}
          caption={title}
          empty={t('analytics.attribution.empty')}
          rowId={(r) => `${r.key}:${r.currency}`}
          rowTestId="attribution-row"
        />
      </div>
    </Card>
  );
};

/** Credited sales per key and model (sales add up across currencies), the keys credited most first. */
export const ModelChart = ({ data }: { data: Attribution }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const keyName = useKeyName();
  const groups = useMemo<BarGroup[]>(() => {
    const byKey = new Map<string, BarGroup>();
    for (const r of data.rows) {
      const g = byKey.get(r.key) ?? { key: r.key, label: keyName(r, data.by), values: MODELS.map(() => 0) };
      MODELS.forEach((m, i) => {
        g.values[i] = (g.values[i] ?? 0) + r.credits[m].conversions;
      });
      byKey.set(r.key, g);
    }
    return [...byKey.values()]
      .sort((a, b) => Math.max(...b.values) - Math.max(...a.values) || a.label.localeCompare(b.label))
      .slice(0, CHART_KEYS);
  }, [data, keyName]);
  const format = useCallback((v: number) => decimal(v, fmt.locale, 2), [fmt.locale]);
  if (groups.length === 0) return null;
  return (
    <Card title={t('analytics.attribution.chartTitle')}>
      <BarChart
        groups={groups}
        series={MODELS.map((m) => t(`analytics.models.${m}.name`))}
        label={t('analytics.attribution.chartLabel')}
        formatValue={format}
        testId="attribution-chart"
      />
      {new Set(data.rows.map((r) => r.key)).size > CHART_KEYS && (
        <p className="pz-muted">{t('analytics.attribution.chartTop', { n: fmt.number(CHART_KEYS) })}</p>
      )}
    </Card>
  );
};

/** What each model credits, in a sentence each. */
export const ModelLegend = () => {
  const { t } = useTranslation();
  return (
    <Card title={t('analytics.attribution.legendTitle')}>
      <dl className="an-legend" data-testid="attribution-legend">
        {MODELS.map((m) => (
          <div key={m}>
            <dt>{t(`analytics.models.${m}.name`)}</dt>
            <dd>{t(`analytics.models.${m}.explain`)}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
};
