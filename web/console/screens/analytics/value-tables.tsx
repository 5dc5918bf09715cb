/**
 * What customers are worth, side by side: the headline multiple of an omnichannel customer over an
 * online-only one, a table of groups (channel mixes, or first channels) with their frequency, order
 * value, revenue at 3/6/12 months, predicted next 12 months and P(alive); the RFM groups; and the
 * parameters of the lifetime value model in a disclosure.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Card } from '../../../kit/ui.tsx';
import {
  type CustomerGroup,
  type CustomerValue,
  decimal,
  omnichannelMultiple,
  type RfmGroup,
} from './measure-data.ts';
import { percent } from './rows-table.tsx';

/** RFM groups from the best customers to the ones slipping away. */
const RFM_ORDER = ['champions', 'loyal', 'promising', 'new', 'at_risk', 'hibernating'];

const Num = ({ children, testId }: { children: string; testId?: string }) => (
  <span className="pz-num an-nowrap" data-testid={testId}>
    {children}
  </span>
);

export const Headline = ({ data }: { data: CustomerValue }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const multiple = omnichannelMultiple(data.by_mix);
  const both = data.by_mix.find((g) => g.key === 'both');
  const online = data.by_mix.find((g) => g.key === 'online');
  return (
    <div className="pz-card an-headline" data-testid="value-headline">
      {multiple !== null && both && online ? (
        <>
          <p className="an-headline-figure" data-testid="value-multiple">
            {t('analytics.value.headline', { n: decimal(multiple, fmt.locale, 1) })}
          </p>
          <p className="pz-muted">
            {t('analytics.value.headlineBasis', {
              both: fmt.money(both.revenue_per_customer, data.currency),
              online: fmt.money(online.revenue_per_customer, data.currency),
            })}
          </p>
        </>
      ) : (
        <p className="pz-muted">{t('analytics.value.noHeadline')}</p>
      )}
    </div>
  );
};

export const GroupTable = ({
  title,
  groups,
  currency,
  name,
  testId,
}: {
  title: string;
  groups: CustomerGroup[];
  currency: string;
  name: (g: CustomerGroup) => string;
  testId: string;
}) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const columns = useMemo<ColumnDef<CustomerGroup, unknown>[]>(() => {
    const money = (v: number | null) => (v === null ? '—' : fmt.money(v, currency));
    const c = (id: string, cell: (g: CustomerGroup) => string, cellTestId?: string) => ({
      id,
      header: t(`analytics.value.${id}`),
      cell: ({ row }: { row: { original: CustomerGroup } }) => (
        <Num testId={cellTestId}>{cell(row.original)}</Num>
      ),
    });
    return [
      {
        id: 'group',
        header: t('analytics.value.group'),
        cell: ({ row }) => (
          <span className="an-nowrap" data-testid={`${testId}-group`} dir="auto">
            {name(row.original)}
          </span>
        ),
      },
      c('customers', (g) => fmt.number(g.customers), `${testId}-customers`),
      c('ordersPerCustomer', (g) => decimal(g.orders_per_customer, fmt.locale, 2)),
      c('aov', (g) => money(g.aov)),
      c('revenuePerCustomer', (g) => money(g.revenue_per_customer), `${testId}-revenue`),
      c('revenue3m', (g) => money(g.revenue_3m)),
      c('revenue6m', (g) => money(g.revenue_6m)),
      c('revenue12m', (g) => money(g.revenue_12m)),
      c('predicted12m', (g) => money(g.predicted_12m)),
      c('alive', (g) => percent(g.probability_alive, fmt.locale)),
    ];
  }, [t, fmt, currency, name, testId]);
  return (
    <Card title={title}>
      <DataTable
        columns={columns}
        data={groups}
        caption={title}
        empty={t('analytics.value.empty')}
        rowId={(g) => g.key}
        rowTestId={`${testId}-row`}
      />
    </Card>
  );
};

export const RfmTable = ({ rows, currency }: { rows: RfmGroup[]; currency: string }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const sorted = useMemo(
    () => [...rows].sort((a, b) => RFM_ORDER.indexOf(a.group) - RFM_ORDER.indexOf(b.group)),
    [rows],
  );
  const columns = useMemo<ColumnDef<RfmGroup, unknown>[]>(
    () => [
      {
        id: 'group',
        header: t('analytics.rfm.group'),
        cell: ({ row }) => (
          <>
            <span data-testid="rfm-row-group">
              {t(`analytics.rfm.groups.${row.original.group}.name`, { defaultValue: row.original.group })}
            </span>
            <span className="an-sub">
              {t(`analytics.rfm.groups.${row.original.group}.explain`, { defaultValue: '' })}
            </span>
          </>
        ),
      },
      {
        id: 'customers',
        header: t('analytics.rfm.customers'),
        cell: ({ row }) => <Num>{fmt.number(row.original.customers)}</Num>,
      },
      {
        id: 'revenue',
        header: t('analytics.rfm.revenue'),
        cell: ({ row }) => <Num>{fmt.money(row.original.revenue, currency)}</Num>,
      },
      {
        id: 'monetary',
        header: t('analytics.rfm.monetary'),
        cell: ({ row }) => <Num>{decimal(row.original.monetary_score, fmt.locale, 1)}</Num>,
      },
    ],
    [t, fmt, currency],
  );
  return (
    <Card title={t('analytics.rfm.title')}>
      <DataTable
        columns={columns}
        data={sorted}
        caption={t('analytics.rfm.title')}
        empty={t('analytics.value.empty')}
        rowId={(r) => r.group}
        rowTestId="rfm-row"
      />
    </Card>
  );
};

export const ModelDetails = ({ model }: { model: CustomerValue['model'] }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const n = (v: number) => decimal(v, fmt.locale, 4);
  const param = (label: string, value: string) => (
    <div key={label}>
      <dt>{label}</dt>
      <dd className="pz-num">{value}</dd>
    </div>
  );
  return (
    <details className="pz-card an-details" data-testid="value-model">
      <summary>{t('analytics.model.title')}</summary>
      {!model ? (
        <p className="pz-muted">{t('analytics.model.none')}</p>
      ) : (
        <div className="pz-stack">
          <p className="pz-muted">
            {t('analytics.model.intro', {
              unit: t(`analytics.model.units.${model.unit}`, { defaultValue: model.unit }),
            })}
          </p>
          <h3>{t('analytics.model.bgNbd')}</h3>
          <dl className="an-stats">
            {param('r', n(model.bg_nbd.r))}
            {param('α', n(model.bg_nbd.alpha))}
            {param('a', n(model.bg_nbd.a))}
            {param('b', n(model.bg_nbd.b))}
            {param(t('analytics.model.logLikelihood'), decimal(model.bg_nbd.log_likelihood, fmt.locale, 1))}
          </dl>
          <h3>{t('analytics.model.gammaGamma')}</h3>
          {model.gamma_gamma ? (
            <dl className="an-stats">
              {param('p', n(model.gamma_gamma.p))}
              {param('q', n(model.gamma_gamma.q))}
              {param('v', n(model.gamma_gamma.v))}
            </dl>
          ) : (
            <p className="pz-muted">{t('analytics.model.noSpend')}</p>
          )}
        </div>
      )}
    </details>
  );
};
