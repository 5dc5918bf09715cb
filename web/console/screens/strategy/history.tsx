/**
 * The assessments kept, newest first (GET /admin/strategy/assessments, keyset pages): when and how
 * each was made (by hand or the monthly re-run), its recommendation, confidence and scores, a flag
 * where the recommendation changed from the one before, and a comparison with it; or any two chosen.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { SelectField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { Badge, Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { STRATEGIES, type Summary, strategyApi, strategyKeys } from './data.ts';
import { useNames } from './names.tsx';
import { StrategyPage } from './page.tsx';

export const comparePath = (from: string | undefined, to: string): string =>
  `/strategy/compare?${new URLSearchParams({ ...(from ? { from } : {}), to }).toString()}`;

/** Two assessments of the page to compare: the older is "from". */
const ChooseTwo = ({ rows }: { rows: Summary[] }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [from, setFrom] = useState(rows[1]?.id ?? '');
  const [to, setTo] = useState(rows[0]?.id ?? '');
  if (rows.length < 2) return null;
  const options = rows.map((r) => ({ value: r.id, label: f.date(r.created_at) }));
  return (
    <form
      className="st-filters"
      onSubmit={(e) => {
        e.preventDefault();
        const [a, b] = [rows.find((r) => r.id === from), rows.find((r) => r.id === to)];
        if (!a || !b || a.id === b.id) return;
        // the older one first, whichever way they were chosen
        const [older, newer] = a.created_at <= b.created_at ? [a, b] : [b, a];
        navigate(comparePath(older.id, newer.id));
      }}
    >
      <SelectField
        label={t('strategy.history.from')}
        value={from}
        onChange={(e) => setFrom(e.target.value)}
        options={options}
      />
      <SelectField
        label={t('strategy.history.to')}
        value={to}
        onChange={(e) => setTo(e.target.value)}
        options={options}
      />
      <div className="pz-field">
        <Button type="submit" disabled={from === to} data-testid="history-compare">
          {t('strategy.history.compare')}
        </Button>
      </div>
    </form>
  );
};

const History = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const pager = useCursorPager();
  const list = useQuery({
    queryKey: strategyKeys.list(pager.cursor),
    queryFn: () => strategyApi.assessments({ limit: 20, ...(pager.cursor ? { after: pager.cursor } : {}) }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.data ?? [];
  const columns: ColumnDef<Summary, unknown>[] = [
    {
      id: 'when',
      header: t('strategy.history.when'),
      cell: ({ row }) => (
        <Link to={`/strategy/assessments/${row.original.id}`} data-testid="history-open">
          {f.date(row.original.created_at)}
        </Link>
      ),
    },
    {
      id: 'trigger',
      header: t('strategy.history.trigger'),
      cell: ({ row }) => t(`strategy.trigger.${row.original.trigger}`),
    },
    {
      id: 'recommendation',
      header: t('strategy.history.recommendation'),
      cell: ({ row }) => (
        <div className="st-cell-text">
          <span className="st-cap" data-testid="history-recommendation" data-strategy={row.original.strategy}>
            {n.phrase(row.original.name)}
          </span>{' '}
          {row.original.changed && (
            <Badge tone="warning">
              <span data-testid="history-changed">{t('strategy.history.changed')}</span>
            </Badge>
          )}
        </div>
      ),
    },
    {
      id: 'confidence',
      header: t('strategy.recommendation.confidence'),
      cell: ({ row }) => <span className="pz-num">{n.percent(row.original.confidence)}</span>,
    },
    ...STRATEGIES.map(
      (s): ColumnDef<Summary, unknown> => ({
        id: s,
        header: n.strategy(s),
        cell: ({ row }) => (
          <span className="pz-num">{f.number(Math.round(row.original.scores[s] * 10) / 10)}</span>
        ),
      }),
    ),
    {
      id: 'compare',
      header: t('strategy.history.compare'),
      cell: ({ row }) => {
        const older = rows[row.index + 1];
        // the previous assessment is the next row, or (last of the page) the API's default
        return row.index === rows.length - 1 && !list.data?.next_cursor ? (
          '—'
        ) : (
          <Link to={comparePath(older?.id, row.original.id)} data-testid="history-compare-previous">
            {t('strategy.history.withPrevious')}
          </Link>
        );
      },
    },
  ];
  return (
    <StrategyPage>
      <Card title={t('strategy.history.title')}>
        <p className="pz-muted">{t('strategy.history.intro')}</p>
        {list.isError ? (
          <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <ChooseTwo key={rows.map((r) => r.id).join()} rows={rows} />
            <DataTable
              caption={t('strategy.history.title')}
              columns={columns}
              data={list.data?.data}
              loading={list.isPending}
              rowId={(r) => r.id}
              rowTestId="history-row"
              empty={t('strategy.history.empty')}
            />
            <Pager pager={pager} nextCursor={list.data?.next_cursor} />
          </>
        )}
      </Card>
    </StrategyPage>
  );
};

export default History;
