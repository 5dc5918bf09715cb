/** Click & collect at the stores (pickups ready on time, collected, expired) and where sales came back. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Badge, Card } from '../../../kit/ui.tsx';
import type { Names, PickupRow, ReturnRow } from './data.ts';
import { percent } from './rows-table.tsx';

export const PickupsTable = ({ rows, names }: { rows: PickupRow[]; names: Names }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const columns = useMemo<ColumnDef<PickupRow, unknown>[]>(
    () => [
      {
        id: 'location',
        header: t('analytics.pickups.location'),
        cell: ({ row }) => names.location(row.original.location_id),
      },
      {
        id: 'channel',
        header: t('analytics.pickups.channel'),
        cell: ({ row }) => names.channel(row.original.channel_id),
      },
      {
        id: 'ready',
        header: t('analytics.pickups.ready'),
        cell: ({ row }) => <span className="pz-num">{fmt.number(row.original.ready)}</span>,
      },
      {
        id: 'onTime',
        header: t('analytics.pickups.onTime'),
        cell: ({ row }) => (
          <>
            <span className="pz-num" data-testid="analytics-pickup-on-time">
              {percent(row.original.on_time_rate, fmt.locale)}
            </span>
            <span className="an-sub">
              {t('analytics.pickups.onTimeOf', {
                n: fmt.number(row.original.ready_on_time),
                of: fmt.number(row.original.ready),
              })}
            </span>
          </>
        ),
      },
      {
        id: 'collected',
        header: t('analytics.pickups.collected'),
        cell: ({ row }) => <span className="pz-num">{fmt.number(row.original.collected)}</span>,
      },
      {
        id: 'expired',
        header: t('analytics.pickups.expired'),
        cell: ({ row }) =>
          row.original.expired > 0 ? (
            <Badge tone="warning">{fmt.number(row.original.expired)}</Badge>
          ) : (
            <span className="pz-num">{fmt.number(0)}</span>
          ),
      },
    ],
    [t, fmt, names],
  );
  return (
    <Card title={t('analytics.pickups.title')}>
      <DataTable
        columns={columns}
        data={rows}
        caption={t('analytics.pickups.title')}
        empty={t('analytics.pickups.empty')}
        rowId={(r) => `${r.channel_id}:${r.location_id}`}
        rowTestId="analytics-pickup-row"
      />
    </Card>
  );
};

export const ReturnsTable = ({ rows, names }: { rows: ReturnRow[]; names: Names }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const columns = useMemo<ColumnDef<ReturnRow, unknown>[]>(
    () => [
      {
        id: 'sold',
        header: t('analytics.returns.soldAt'),
        cell: ({ row }) => (
          <>
            <span>
              {row.original.location_id
                ? names.location(row.original.location_id)
                : t('analytics.noLocation')}
            </span>
            <span className="an-sub">{names.channel(row.original.channel_id)}</span>
          </>
        ),
      },
      {
        id: 'returned',
        header: t('analytics.returns.returnedAt'),
        cell: ({ row }) => names.location(row.original.return_location_id),
      },
      {
        id: 'elsewhere',
        header: t('analytics.returns.where'),
        cell: ({ row }) =>
          row.original.elsewhere ? (
            <Badge>{t('analytics.returns.elsewhere')}</Badge>
          ) : (
            <span className="pz-muted">{t('analytics.returns.same')}</span>
          ),
      },
      {
        id: 'returns',
        header: t('analytics.returns.returns'),
        cell: ({ row }) => <span className="pz-num">{fmt.number(row.original.returns)}</span>,
      },
      {
        id: 'total',
        header: t('analytics.returns.total'),
        cell: ({ row }) => (
          <span className="pz-num an-nowrap">{fmt.money(row.original.total, row.original.currency)}</span>
        ),
      },
    ],
    [t, fmt, names],
  );
  return (
    <Card title={t('analytics.returns.title')}>
      <DataTable
        columns={columns}
        data={rows}
        caption={t('analytics.returns.title')}
        empty={t('analytics.returns.empty')}
        rowId={(r) => `${r.channel_id}:${r.location_id ?? ''}:${r.return_location_id}:${r.currency}`}
        rowTestId="analytics-return-row"
      />
    </Card>
  );
};
