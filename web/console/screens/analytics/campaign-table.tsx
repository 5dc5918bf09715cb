/**
 * The campaigns report's rows, a campaign × medium (× currency) each: the campaign's funnel since it
 * began, the period's attributed sales and revenue by the chosen model, the costs entered and what
 * follows from them (cost per order, ROAS, ROI), and the lift against the holdout as a verdict badge
 * with its interval in percentage points. The verdict is translated from its code (the API's English
 * sentence is not shown).
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Badge, Card } from '../../../kit/ui.tsx';
import { CampaignKey } from './campaign-key.tsx';
import {
  type CampaignRow,
  type CampaignsReport,
  decimal,
  type Lift,
  mediumKeys,
  points,
} from './measure-data.ts';
import { percent } from './rows-table.tsx';

const FUNNEL = ['sent', 'delivered', 'opened', 'clicked', 'converted'] as const;

const TONES = {
  significant_positive: 'success',
  significant_negative: 'danger',
  not_significant: 'warning',
  insufficient_data: 'neutral',
} as const;

const Num = ({ children, testId }: { children: string; testId?: string }) => (
  <span className="pz-num an-nowrap" data-testid={testId}>
    {children}
  </span>
);

export const LiftBadge = ({ lift }: { lift: Lift | null }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!lift) return <span className="pz-muted">{t('analytics.lift.noHoldout')}</span>;
  const { verdict, rate_lift: r } = lift;
  return (
    <span data-testid="campaign-lift" data-verdict={verdict.code}>
      <Badge tone={TONES[verdict.code]}>{t(`analytics.lift.${verdict.code}`)}</Badge>
      {verdict.code !== 'insufficient_data' && (
        <span className="an-sub an-nowrap">
          {t('analytics.lift.interval', {
            estimate: points(r.estimate, fmt.locale),
            low: points(r.low, fmt.locale),
            high: points(r.high, fmt.locale),
          })}
        </span>
      )}
      {verdict.more_customers_needed !== null && (
        <span className="an-sub">
          {t('analytics.lift.more', { n: fmt.number(verdict.more_customers_needed) })}
        </span>
      )}
    </span>
  );
};

export const CampaignTable = ({ data }: { data: CampaignsReport }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const columns = useMemo<ColumnDef<CampaignRow, unknown>[]>(() => {
    const money = (v: number | null, currency: string | null) =>
      v === null || currency === null ? '—' : fmt.money(v, currency);
    return [
      {
        id: 'campaign',
        header: t('analytics.campaigns.campaign'),
        cell: ({ row }) => (
          <CampaignKey id={row.original.campaign_id} name={row.original.name} testId="campaign-row-name" />
        ),
      },
      {
        id: 'medium',
        header: t('analytics.campaigns.medium'),
        cell: ({ row }) => (
          <span data-testid="campaign-row-medium">
            {t(mediumKeys(row.original.medium), { defaultValue: row.original.medium })}
          </span>
        ),
      },
      {
        id: 'funnel',
        header: t('analytics.campaigns.funnel'),
        columns: FUNNEL.map(
          (k): ColumnDef<CampaignRow, unknown> => ({
            id: `funnel-${k}`,
            header: t(`analytics.campaigns.steps.${k}`),
            cell: ({ row }) => <Num>{fmt.number(row.original.funnel[k])}</Num>,
          }),
        ),
      },
      {
        id: 'attributed',
        header: t('analytics.campaigns.attributed'),
        columns: [
          {
            id: 'attributed-sales',
            header: t('analytics.campaigns.sales'),
            cell: ({ row }) => (
              <Num testId="campaign-row-sales">
                {decimal(row.original.attributed.conversions, fmt.locale, 2)}
              </Num>
            ),
          },
          {
            id: 'attributed-revenue',
            header: t('analytics.campaigns.revenue'),
            cell: ({ row }) => <Num>{money(row.original.attributed.revenue, row.original.currency)}</Num>,
          },
        ],
      },
      {
        id: 'cost',
        header: t('analytics.campaigns.cost'),
        cell: ({ row }) => (
          <Num testId="campaign-row-cost">
            {row.original.cost === 0 ? '—' : money(row.original.cost, row.original.currency)}
          </Num>
        ),
      },
      {
        id: 'cpo',
        header: t('analytics.campaigns.costPerOrder'),
        cell: ({ row }) => <Num>{money(row.original.cost_per_order, row.original.currency)}</Num>,
      },
      {
        id: 'roas',
        header: t('analytics.campaigns.roas'),
        cell: ({ row }) => (
          <Num testId="campaign-row-roas">
            {row.original.roas === null
              ? '—'
              : t('analytics.campaigns.times', { n: decimal(row.original.roas, fmt.locale, 2) })}
          </Num>
        ),
      },
      {
        id: 'roi',
        header: t('analytics.campaigns.roi'),
        cell: ({ row }) => <Num>{percent(row.original.roi, fmt.locale)}</Num>,
      },
      {
        id: 'lift',
        header: t('analytics.campaigns.lift'),
        cell: ({ row }) => <LiftBadge lift={row.original.lift} />,
      },
    ];
  }, [t, fmt]);
  return (
    <Card title={t('analytics.campaigns.title')}>
      <div className="an-compact">
        <DataTable
          columns={columns}
          data={data.rows}
          caption={t('analytics.campaigns.title')}
          empty={t('analytics.campaigns.empty')}
          rowId={(r) => `${r.campaign_id}:${r.medium}:${r.currency ?? ''}`}
          rowTestId="campaign-row"
        />
      </div>
      <p className="pz-muted">{t('analytics.campaigns.note')}</p>
    </Card>
  );
};
