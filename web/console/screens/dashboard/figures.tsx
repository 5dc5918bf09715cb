/** The dashboard's numbers: today's and the period's totals, and each channel's share. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Card } from '../../../kit/ui.tsx';
import { type ChannelFigures, type Dashboard, perChannel } from './series.ts';

type Totals = Dashboard['today'];

const Stat = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <div className="pz-dash-stat">
    <dt>{label}</dt>
    <dd className="pz-num" data-testid={testId}>
      {value}
    </dd>
  </div>
);

const TotalsCard = ({ title, totals, testId }: { title: string; totals: Totals; testId: string }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const net =
    totals.revenue.length === 0
      ? fmt.number(0)
      : totals.revenue.map((r) => fmt.money(r.net, r.currency)).join(' · ');
  const gross = totals.revenue.map((r) => fmt.money(r.gross, r.currency)).join(' · ');
  return (
    <Card title={title}>
      <dl className="pz-dash-stats" data-testid={testId}>
        <Stat label={t('dashboard.figures.net')} value={net} testId={`${testId}-net`} />
        <Stat
          label={t('dashboard.figures.orders')}
          value={fmt.number(totals.orders)}
          testId={`${testId}-orders`}
        />
        <Stat label={t('dashboard.figures.customersNew')} value={fmt.number(totals.customers_new)} />
        <Stat
          label={t('dashboard.figures.customersReturning')}
          value={fmt.number(totals.customers_returning)}
        />
      </dl>
      {gross && (
        <p className="pz-muted">
          {t('dashboard.figures.grossRefunds', {
            gross,
            refunds: totals.revenue.map((r) => fmt.money(r.refunds, r.currency)).join(' · '),
            guests: fmt.number(totals.guest_orders),
          })}
        </p>
      )}
    </Card>
  );
};

export const Totals = ({ data }: { data: Dashboard }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="pz-grid pz-dash-totals">
      <TotalsCard
        title={t('dashboard.figures.today', { date: fmt.day(`${data.to}T12:00:00Z`) })}
        totals={data.today}
        testId="dash-today"
      />
      <TotalsCard
        title={t('dashboard.figures.period', { days: fmt.number(data.days) })}
        totals={data.period}
        testId="dash-period"
      />
    </div>
  );
};

interface Row {
  id: string;
  name: string;
  today: ChannelFigures | undefined;
  period: ChannelFigures;
}

/** Today's and the period's figures per channel (and currency). */
export const ChannelTable = ({
  data,
  channelName,
}: {
  data: Dashboard;
  channelName: (id: string) => string;
}) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const rows = useMemo<Row[]>(() => {
    const today = perChannel(data.series, (p) => p.date === data.to);
    return perChannel(data.series, () => true).map((f) => ({
      id: `${f.channelId}:${f.currency}`,
      name: channelName(f.channelId),
      today: today.find((x) => x.channelId === f.channelId && x.currency === f.currency),
      period: f,
    }));
  }, [data, channelName]);
  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      { id: 'channel', header: t('dashboard.channels.channel'), cell: ({ row }) => row.original.name },
      {
        id: 'todayOrders',
        header: t('dashboard.channels.todayOrders'),
        cell: ({ row }) => <span className="pz-num">{fmt.number(row.original.today?.orders ?? 0)}</span>,
      },
      {
        id: 'todayNet',
        header: t('dashboard.channels.todayNet'),
        cell: ({ row }) => (
          <span className="pz-num">
            {fmt.money(row.original.today?.net ?? 0, row.original.period.currency)}
          </span>
        ),
      },
      {
        id: 'orders',
        header: t('dashboard.channels.orders'),
        cell: ({ row }) => <span className="pz-num">{fmt.number(row.original.period.orders)}</span>,
      },
      {
        id: 'net',
        header: t('dashboard.channels.net'),
        cell: ({ row }) => (
          <span className="pz-num">{fmt.money(row.original.period.net, row.original.period.currency)}</span>
        ),
      },
      {
        id: 'new',
        header: t('dashboard.channels.customersNew'),
        cell: ({ row }) => <span className="pz-num">{fmt.number(row.original.period.customersNew)}</span>,
      },
      {
        id: 'returning',
        header: t('dashboard.channels.customersReturning'),
        cell: ({ row }) => (
          <span className="pz-num">{fmt.number(row.original.period.customersReturning)}</span>
        ),
      },
    ],
    [t, fmt],
  );
  return (
    <Card title={t('dashboard.channels.title', { days: fmt.number(data.days) })}>
      <DataTable
        columns={columns}
        data={rows}
        caption={t('dashboard.channels.title', { days: fmt.number(data.days) })}
        empty={t('dashboard.channels.empty')}
        rowId={(r) => r.id}
        rowTestId="dash-channel-row"
      />
    </Card>
  );
};
