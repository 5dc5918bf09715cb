/** Pickups due and low stock: what the stores must act on. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Badge, Card } from '../../../kit/ui.tsx';
import type { Dashboard } from './series.ts';

type Level = Dashboard['low_stock']['levels'][number];

export const Pickups = ({ pickups }: { pickups: Dashboard['pickups'] }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Card
      title={t('dashboard.pickups.title')}
      actions={<Link to="/pickups">{t('dashboard.pickups.open')}</Link>}
    >
      <dl className="pz-dash-stats" data-testid="dash-pickups">
        <div className="pz-dash-stat">
          <dt>{t('dashboard.pickups.toPrepare')}</dt>
          <dd className="pz-num">{fmt.number(pickups.to_prepare)}</dd>
        </div>
        <div className="pz-dash-stat" data-alert={pickups.overdue > 0 ? 'true' : undefined}>
          <dt>{t('dashboard.pickups.overdue')}</dt>
          <dd className="pz-num">
            {fmt.number(pickups.overdue)}{' '}
            {pickups.overdue > 0 && <Badge tone="danger">{t('dashboard.pickups.late')}</Badge>}
          </dd>
        </div>
        <div className="pz-dash-stat">
          <dt>{t('dashboard.pickups.ready')}</dt>
          <dd className="pz-num">{fmt.number(pickups.ready)}</dd>
        </div>
      </dl>
    </Card>
  );
};

export const LowStock = ({
  lowStock,
  locationName,
}: {
  lowStock: Dashboard['low_stock'];
  locationName: (id: string) => string;
}) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const columns = useMemo<ColumnDef<Level, unknown>[]>(
    () => [
      {
        id: 'sku',
        header: t('dashboard.stock.sku'),
        cell: ({ row }) => <span className="pz-mono">{row.original.sku}</span>,
      },
      {
        id: 'location',
        header: t('dashboard.stock.location'),
        cell: ({ row }) => locationName(row.original.location_id),
      },
      {
        id: 'available',
        header: t('dashboard.stock.available'),
        cell: ({ row }) => (
          <span className="pz-num">
            {fmt.number(row.original.available)}{' '}
            {row.original.available <= 0 && <Badge tone="danger">{t('dashboard.stock.out')}</Badge>}
          </span>
        ),
      },
      {
        id: 'threshold',
        header: t('dashboard.stock.threshold'),
        cell: ({ row }) =>
          row.original.low_stock_threshold === null ? '—' : fmt.number(row.original.low_stock_threshold),
      },
      {
        id: 'incoming',
        header: t('dashboard.stock.incoming'),
        cell: ({ row }) => <span className="pz-num">{fmt.number(row.original.incoming)}</span>,
      },
    ],
    [t, fmt, locationName],
  );
  return (
    <Card
      title={t('dashboard.stock.title', { n: fmt.number(lowStock.count) })}
      actions={<Link to="/inventory">{t('dashboard.stock.open')}</Link>}
    >
      <DataTable
        columns={columns}
        data={lowStock.levels}
        caption={t('dashboard.stock.caption')}
        empty={t('dashboard.stock.empty')}
        rowId={(l) => `${l.sku}@${l.location_id}`}
        rowTestId="dash-low-stock-row"
      />
      {lowStock.count > lowStock.levels.length && (
        <p className="pz-muted">
          {t('dashboard.stock.more', {
            shown: fmt.number(lowStock.levels.length),
            n: fmt.number(lowStock.count),
          })}
        </p>
      )}
    </Card>
  );
};
