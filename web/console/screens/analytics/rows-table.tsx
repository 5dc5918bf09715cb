/** The report's rows: a channel (or channel × location) and currency each, with its sales figures. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Card } from '../../../kit/ui.tsx';
import type { ChannelReport, Names, ReportRow } from './data.ts';

/** A share 0–1 as a percentage in the page's language; a dash when there was nothing to divide by. */
export const percent = (share: number | null, locale: string): string =>
  share === null
    ? '—'
    : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);

const Num = ({ children, testId }: { children: string; testId?: string }) => (
  <span className="pz-num an-nowrap" data-testid={testId}>
    {children}
  </span>
);

export const RowsTable = ({
  data,
  names,
  byLocation,
}: {
  data: ChannelReport;
  names: Names;
  byLocation: boolean;
}) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const reportCurrency = data.report_currency;
  const columns = useMemo<ColumnDef<ReportRow, unknown>[]>(() => {
    const c = (
      id: string,
      cell: (r: ReportRow) => string,
      header = t(`analytics.rows.${id}`),
      testId?: string,
    ): ColumnDef<ReportRow, unknown> => ({
      id,
      header,
      cell: ({ row }) => <Num testId={testId}>{cell(row.original)}</Num>,
    });
    const money = (v: number | null, currency: string) => (v === null ? '—' : fmt.money(v, currency));
    return [
      {
        id: 'channel',
        header: t('analytics.rows.channel'),
        cell: ({ row }) => (
          <span data-testid="analytics-row-channel">{names.channel(row.original.channel_id)}</span>
        ),
      },
      ...(byLocation
        ? [
            {
              id: 'location',
              header: t('analytics.rows.location'),
              cell: ({ row }: { row: { original: ReportRow } }) => (
                <span data-testid="analytics-row-location">
                  {row.original.location_id
                    ? names.location(row.original.location_id)
                    : t('analytics.noLocation')}
                </span>
              ),
            },
          ]
        : []),
      c('orders', (r) => fmt.number(r.orders), undefined, 'analytics-row-orders'),
      c('units', (r) => fmt.number(r.units)),
      c('gross', (r) => fmt.money(r.gross, r.currency)),
      {
        id: 'refunds',
        header: t('analytics.rows.refunds'),
        cell: ({ row }) => (
          <>
            <Num>{fmt.money(row.original.refunded, row.original.currency)}</Num>
            <span className="an-sub">
              {t('analytics.rows.refundCount', { n: fmt.number(row.original.refunds) })}
            </span>
          </>
        ),
      },
      c('net', (r) => fmt.money(r.net, r.currency), undefined, 'analytics-row-net'),
      ...(reportCurrency
        ? [
            c(
              'netReport',
              (r) => money(r.net_report, reportCurrency),
              t('analytics.rows.netReport', { currency: reportCurrency }),
              'analytics-row-net-report',
            ),
          ]
        : []),
      c('aov', (r) => money(r.aov, r.currency)),
      c(
        'customers',
        (r) =>
          t('analytics.rows.newReturning', {
            new: fmt.number(r.customers_new),
            returning: fmt.number(r.customers_returning),
          }),
        t('analytics.rows.customers'),
      ),
      {
        id: 'clickCollect',
        header: t('analytics.rows.clickCollect'),
        cell: ({ row }) => (
          <>
            <Num>{percent(row.original.click_collect_share, fmt.locale)}</Num>
            <span className="an-sub">
              {t('analytics.rows.ofOrders', { n: fmt.number(row.original.click_collect_orders) })}
            </span>
          </>
        ),
      },
      c('crossChannel', (r) => fmt.number(r.cross_channel_orders)),
      {
        id: 'cancelled',
        header: t('analytics.rows.cancelled'),
        cell: ({ row }) => (
          <>
            <Num>{fmt.number(row.original.cancelled)}</Num>
            {row.original.cancelled > 0 && (
              <span className="an-sub">{fmt.money(row.original.cancelled_total, row.original.currency)}</span>
            )}
          </>
        ),
      },
    ];
  }, [t, fmt, names, byLocation, reportCurrency]);
  const title = byLocation ? t('analytics.rows.titleByLocation') : t('analytics.rows.title');
  return (
    <Card title={title}>
      <DataTable
        columns={columns}
        data={data.rows}
        caption={title}
        empty={t('analytics.rows.empty')}
        rowId={(r) => `${r.channel_id}:${r.location_id ?? ''}:${r.currency}`}
        rowTestId="analytics-row"
      />
    </Card>
  );
};
