/**
 * Two assessments side by side (`/strategy/compare?from=&to=`; without `from`, the one before `to`):
 * the recommendation of each and whether it changed, the scores' changes, each factor's lean
 * (omnichannel minus multichannel points) before and after, and the inputs that differ.
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useFormat } from '../../../kit/format.ts';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Alert, Badge, Card, EmptyState } from '../../../kit/ui.tsx';
import {
  type Comparison,
  type Measure,
  STRATEGIES,
  type Summary,
  strategyApi,
  strategyKeys,
  useAssessment,
} from './data.ts';
import { useNames } from './names.tsx';
import { StrategyPage } from './page.tsx';

type FactorRow = Comparison['factors'][number];
type InputRow = Comparison['inputs'][number];

const Side = ({ s, title }: { s: Summary; title: string }) => {
  const f = useFormat();
  const n = useNames();
  return (
    <div className="st-side">
      <h3 className="st-h3">{title}</h3>
      <Link to={`/strategy/assessments/${s.id}`}>{f.date(s.created_at)}</Link>
      <p className="st-cap-block" data-strategy={s.strategy}>
        {n.phrase(s.name)}
      </p>
      <p className="pz-muted st-small">{n.percent(s.confidence)}</p>
    </div>
  );
};

const View = ({
  c,
  currency,
  measures,
}: {
  c: Comparison;
  currency: string;
  measures: readonly Measure[];
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const unitOf = (key: string) => measures.find((m) => m.key === key)?.unit;
  const factorColumns: ColumnDef<FactorRow, unknown>[] = [
    {
      id: 'factor',
      header: t('strategy.contributions.factor'),
      cell: ({ row }) => <span className="st-cap">{n.factor(row.original.factor)}</span>,
    },
    {
      id: 'from',
      header: t('strategy.compare.before'),
      cell: ({ row }) => <span className="pz-num">{n.signed(row.original.from_points)}</span>,
    },
    {
      id: 'to',
      header: t('strategy.compare.after'),
      cell: ({ row }) => <span className="pz-num">{n.signed(row.original.to_points)}</span>,
    },
    {
      id: 'delta',
      header: t('strategy.compare.delta'),
      cell: ({ row }) => <span className="pz-num">{n.signed(row.original.delta)}</span>,
    },
  ];
  const inputColumns: ColumnDef<InputRow, unknown>[] = [
    {
      id: 'input',
      header: t('strategy.compare.input'),
      cell: ({ row }) => <span className="st-cap">{n.input(row.original.input)}</span>,
    },
    {
      id: 'source',
      header: t('strategy.compare.source'),
      cell: ({ row }) => t(`strategy.sources.${row.original.source}`),
    },
    {
      id: 'from',
      header: t('strategy.compare.before'),
      cell: ({ row }) =>
        n.value(
          row.original.input,
          row.original.source,
          row.original.from,
          currency,
          unitOf(row.original.input),
        ),
    },
    {
      id: 'to',
      header: t('strategy.compare.after'),
      cell: ({ row }) =>
        n.value(
          row.original.input,
          row.original.source,
          row.original.to,
          currency,
          unitOf(row.original.input),
        ),
    },
  ];
  return (
    <div className="pz-stack" data-testid="strategy-compare">
      <Card title={t('strategy.compare.title')}>
        <div className="st-sides">
          <Side s={c.from} title={t('strategy.compare.before')} />
          <Side s={c.to} title={t('strategy.compare.after')} />
        </div>
        {c.recommendation_changed ? (
          <Alert tone="warning">
            <span data-testid="compare-changed">
              {t('strategy.change.changed', {
                from: n.label('strategy', c.from.strategy),
                to: n.label('strategy', c.to.strategy),
              })}
            </span>
          </Alert>
        ) : (
          <p className="pz-muted" data-testid="compare-same">
            {t('strategy.change.same', { strategy: n.label('strategy', c.to.strategy) })}
          </p>
        )}
        <dl className="st-stats">
          {STRATEGIES.map((s) => (
            <div key={s}>
              <dt>{n.strategy(s)}</dt>
              <dd>
                {f.number(Math.round(c.to.scores[s] * 10) / 10)}{' '}
                <Badge
                  tone={c.score_changes[s] > 0 ? 'success' : c.score_changes[s] < 0 ? 'danger' : 'neutral'}
                >
                  {n.signed(c.score_changes[s])}
                </Badge>
              </dd>
            </div>
          ))}
        </dl>
      </Card>
      <Card title={t('strategy.compare.factors')}>
        <p className="pz-muted">{t('strategy.compare.factorsIntro')}</p>
        <DataTable
          caption={t('strategy.compare.factors')}
          columns={factorColumns}
          data={c.factors}
          rowId={(r) => r.factor}
        />
      </Card>
      <Card title={t('strategy.compare.inputs')}>
        <DataTable
          caption={t('strategy.compare.inputs')}
          columns={inputColumns}
          data={c.inputs}
          rowId={(r) => `${r.source}:${r.input}`}
          empty={t('strategy.compare.noInputs')}
        />
      </Card>
    </div>
  );
};

const CompareScreen = () => {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const later = useAssessment(to);
  const query = useQuery({
    queryKey: strategyKeys.compare(from, to),
    enabled: to !== '',
    queryFn: () => strategyApi.compare(to, from || undefined),
  });
  return (
    <StrategyPage tab={2}>
      {to === '' ? (
        <EmptyState title={t('strategy.compare.choose')}>
          <Link to="/strategy/history">{t('strategy.tabs.history')}</Link>
        </EmptyState>
      ) : (
        <QueryState query={query} lines={10}>
          {(c) => (
            <View c={c} currency={later.data?.answers.currency ?? ''} measures={later.data?.measures ?? []} />
          )}
        </QueryState>
      )}
    </StrategyPage>
  );
};

export default CompareScreen;
